"""Persistent embedding cache, so rebuilding or re-chunking an index does not re-embed unchanged text.

Entries are keyed by ``(model_id, sha256(kind + "\\0" + text))``. ``kind`` is ``"p"`` for passages and
``"q"`` for queries because asymmetric models (e5, bge) embed the same string differently in the two
roles. Vectors are stored as raw float32 bytes: 1.5 KB per 384-d vector instead of ~8 KB of JSON, and
float32 is the precision the models produce anyway.

One SQLite connection is shared by all threads behind a lock; only the (fast) lookups and inserts are
serialised, the slow inner embedding call runs outside the lock. WAL mode lets a second process (the
CLI re-indexing while the web app answers) read while the other writes.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from indexer.embedders.base import EmbedderError, check_embedder

__all__ = ["CachedEmbeddings"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model_id TEXT NOT NULL,
    key BLOB NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model_id, key)
) WITHOUT ROWID
"""
_LOOKUP_CHUNK = 500  # stays far below SQLite's bound-parameter limit


def _key(kind: str, text: str) -> bytes:
    return hashlib.sha256(f"{kind}\0{text}".encode("utf-8", "surrogatepass")).digest()


class CachedEmbeddings(Embeddings):
    """Wrap ``inner`` with an SQLite cache; exposes the inner ``model_id`` and ``dimension`` unchanged.

    ``hits`` counts input texts answered without calling ``inner`` (including repeats within one call);
    ``misses`` counts distinct texts that had to be embedded. ``hits + misses`` equals the number of
    texts requested.
    """

    def __init__(self, inner: Embeddings, path: Path | str) -> None:
        check_embedder(inner)
        self.inner = inner
        self.model_id: str = inner.model_id  # type: ignore[attr-defined]
        self.dimension: int = inner.dimension  # type: ignore[attr-defined]
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30.0, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(_SCHEMA)

    # -- storage -------------------------------------------------------------------------------
    def _lookup(self, keys: Sequence[bytes]) -> dict[bytes, list[float]]:
        found: dict[bytes, list[float]] = {}
        with self._lock:
            for start in range(0, len(keys), _LOOKUP_CHUNK):
                chunk = list(keys[start : start + _LOOKUP_CHUNK])
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT key, vector FROM embeddings WHERE model_id = ? AND key IN ({marks})",
                    [self.model_id, *chunk],
                ).fetchall()
                for key, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape[0] == self.dimension:  # ignore entries from a mis-declared model
                        found[key] = vector.tolist()
        return found

    def _store(self, items: Sequence[tuple[bytes, list[float]]]) -> None:
        rows = [(self.model_id, key, np.asarray(vec, dtype=np.float32).tobytes()) for key, vec in items]
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO embeddings (model_id, key, vector) VALUES (?, ?, ?)", rows
                )
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # -- Embeddings API ------------------------------------------------------------------------
    def _embed(self, kind: str, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        keys = [_key(kind, t) for t in texts]
        cached = self._lookup(list(dict.fromkeys(keys)))
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in cached:
                missing.setdefault(key, text)

        if missing:
            miss_texts = list(missing.values())
            if kind == "q":
                fresh = [self.inner.embed_query(t) for t in miss_texts]
            else:
                fresh = self.inner.embed_documents(miss_texts)
            if len(fresh) != len(miss_texts):
                raise EmbedderError(
                    f"嵌入后端 {self.model_id} 返回了 {len(fresh)} 个向量，但请求了 {len(miss_texts)} 个文本"
                )
            for vec in fresh:
                if len(vec) != self.dimension:
                    raise EmbedderError(
                        f"嵌入后端 {self.model_id} 返回的向量维度为 {len(vec)}，声明的维度是 {self.dimension}"
                    )
            # Round to float32 now, so a result is bit-identical whether or not it came from the cache.
            rounded = np.asarray(fresh, dtype=np.float32)
            new_items = list(zip(missing, rounded.tolist(), strict=True))
            self._store(new_items)
            cached.update(new_items)

        with self._lock:
            self.misses += len(missing)
            self.hits += len(texts) - len(missing)
        return [list(cached[key]) for key in keys]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed only texts not seen before, in a single call to the inner embedder."""
        return self._embed("p", list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self._embed("q", [text])[0]

    # -- maintenance ---------------------------------------------------------------------------
    def __len__(self) -> int:
        """Entries cached for this model (other models sharing the file are not counted)."""
        with self._lock:
            (n,) = self._conn.execute(
                "SELECT COUNT(*) FROM embeddings WHERE model_id = ?", (self.model_id,)
            ).fetchone()
        return int(n)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __repr__(self) -> str:
        return f"CachedEmbeddings({self.inner!r}, path={str(self.path)!r})"
