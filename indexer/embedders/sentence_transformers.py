"""Optional backend: any sentence-transformers model, from the Hugging Face hub or a local directory.

Offered for deployments that want a larger or domain-specific model (e.g. ``BAAI/bge-small-zh-v1.5``
with ``query_prefix="为这个句子生成表示以用于检索相关文章："``). Many deployment sites have no route
to the hub, so when ``HF_HUB_OFFLINE`` is set a hub name is resolved from the local cache only and an
uncached model fails at once with a message pointing to the local-path alternative, instead of
hanging on retries.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from indexer.embedders.base import EmbedderError, clean_text, to_float_lists

__all__ = ["SentenceTransformerEmbeddings"]

_LOAD_LOCK = threading.Lock()
# Loaded models are shared per process, each with its own lock: fast tokenizers raise
# "Already borrowed" when one model is used from several threads at once.
_MODELS: dict[tuple[str, str, bool], tuple[Any, threading.Lock]] = {}


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() not in ("", "0", "false", "no", "off")


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def _load(source: str, device: str, local_only: bool) -> tuple[Any, threading.Lock]:
    """Share loaded models per process: a second instance of the same model must not double the RAM."""
    key = (source, device, local_only)
    with _LOAD_LOCK:
        entry = _MODELS.get(key)
        if entry is None:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(source, device=device, local_files_only=local_only)
            entry = _MODELS[key] = (model, threading.Lock())
        return entry


class SentenceTransformerEmbeddings(Embeddings):
    """LangChain embeddings over ``sentence_transformers.SentenceTransformer`` with normalised output.

    ``query_prefix`` / ``passage_prefix`` are prepended verbatim (e5-style models need ``"query: "`` /
    ``"passage: "``, bge-zh wants an instruction on queries only); they are part of ``model_id``
    because they change the vectors.
    """

    def __init__(
        self,
        model: str | None = None,  # required; defaulted only to give a clear message when missing
        query_prefix: str = "",
        passage_prefix: str = "",
        device: str = "cpu",
        batch_size: int = 32,
    ) -> None:
        if not model or not str(model).strip():
            raise EmbedderError(
                "sentence-transformers 后端需要指定模型：请设置 GUOPEI_EMBEDDER_MODEL 为模型名或本地路径"
            )
        model = str(model).strip()
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size

        path = Path(model).expanduser()
        if path.exists():
            resolved = path.resolve()
            source, local_only = str(resolved), True
            identity = f"{resolved.name}-{_short_hash(str(resolved))}"
        else:
            source, local_only = model, _offline()
            identity = model
        if query_prefix or passage_prefix:
            identity += f"+prefix-{_short_hash(query_prefix + chr(0) + passage_prefix)}"
        self.model_id = f"st/{identity}"

        try:
            self._model, self._lock = _load(source, device, local_only)
        except Exception as exc:
            offline_hub = local_only and source == model
            hint = "（当前为离线模式 HF_HUB_OFFLINE，且本地缓存中没有该模型）" if offline_hub else ""
            raise EmbedderError(
                f"无法加载 sentence-transformers 模型“{model}”{hint}：{str(exc).strip().rstrip('.。')}。"
                "如果服务器无法访问 Hugging Face，请先在能联网的机器上下载模型，"
                "再把 GUOPEI_EMBEDDER_MODEL 设为该模型的本地目录路径。"
            ) from exc

        # sentence-transformers 6 renamed the method; keep working with 3.x-5.x.
        get_dim = getattr(self._model, "get_embedding_dimension", None)
        dimension = get_dim() if get_dim else self._model.get_sentence_embedding_dimension()
        if not dimension:  # some custom pipelines cannot tell without running once
            dimension = len(self._encode([""])[0])
        self.dimension: int = int(dimension)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            array = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return to_float_lists(array)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode([self.passage_prefix + clean_text(t) for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + clean_text(text)])[0]

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbeddings(model_id={self.model_id!r})"
