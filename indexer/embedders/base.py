"""What every embedding backend must provide beyond LangChain's ``Embeddings``.

Backends are plain ``langchain_core.embeddings.Embeddings`` subclasses so they plug into any LangChain
component; the two extra attributes exist because the rest of the indexer needs them:

* ``model_id`` keys the embedding cache and must change whenever the vectors would change (model,
  weights, version, prefixes). Two embedders with the same ``model_id`` must be interchangeable.
* ``dimension`` lets the store validate vectors before Chroma rejects a whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from langchain_core.embeddings import Embeddings

__all__ = ["EmbedderError", "IdentifiedEmbeddings", "check_embedder", "clean_text", "to_float_lists"]


class EmbedderError(RuntimeError):
    """An embedder could not be created or used; the message is meant for the user (Chinese)."""


@runtime_checkable
class IdentifiedEmbeddings(Protocol):
    """Structural type of a guopei embedder (LangChain ``Embeddings`` + identity)."""

    model_id: str
    dimension: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


def check_embedder(embedder: Any, name: str = "") -> Embeddings:
    """Reject third-party objects early, instead of failing later inside the cache or Chroma."""
    label = name or type(embedder).__name__
    if not isinstance(embedder, Embeddings):
        raise EmbedderError(f"嵌入后端“{label}”不是 langchain_core Embeddings 的实例")
    model_id = getattr(embedder, "model_id", None)
    if not isinstance(model_id, str) or not model_id:
        raise EmbedderError(f"嵌入后端“{label}”缺少非空字符串属性 model_id（用作缓存键）")
    dimension = getattr(embedder, "dimension", None)
    if not isinstance(dimension, int) or isinstance(dimension, bool) or dimension <= 0:
        raise EmbedderError(f"嵌入后端“{label}”缺少正整数属性 dimension")
    return embedder


def clean_text(text: str) -> str:
    """Make text safe for C/UTF-8 engines: PDF extraction can leave NULs and lone surrogates behind.

    A NUL would silently truncate the text in a C string and a lone surrogate makes ``str.encode``
    raise, so both are replaced rather than allowed to abort an indexing run.
    """
    if "\0" in text:
        text = text.replace("\0", " ")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def to_float_lists(rows: Iterable[Any]) -> list[list[float]]:
    """LangChain promises plain Python floats; numpy scalars break JSON and Chroma's HTTP client."""
    out: list[list[float]] = []
    for row in rows:
        if hasattr(row, "tolist"):  # numpy: tolist() already yields Python floats
            out.append(row.tolist())
        else:
            out.append([float(v) for v in row])
    return out
