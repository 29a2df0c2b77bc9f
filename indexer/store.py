"""Chroma vector store: one collection per knowledge base, cosine space, vectors computed by us.

We always pass ``embedding_function=None`` and hand Chroma finished vectors: Chroma's default
embedding function would download an ONNX model on first use, and the embedder must be the one the
cache and the query path use. The same class works against an embedded ``PersistentClient`` (a
directory) or a Chroma server (``HttpClient``), so a deployment can move to a server without
re-indexing code changes.

Documents are replaced "add first, delete after": a concurrent reader sees the old version, then
both, then the new one, but never a knowledge base where the document is missing.
"""

from __future__ import annotations

import math
import os
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import InternalError, InvalidArgumentError
from langchain_core.embeddings import Embeddings

__all__ = ["ChunkStore", "InvalidMetadataError", "StoreError", "StoredChunk"]

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,510}[A-Za-z0-9]$")
_EMBED_BATCH = 256  # texts per embed call: bounds memory and lets progress reach Chroma early

_LOCKS_GUARD = threading.Lock()
_WRITE_LOCKS: dict[tuple[str, str], threading.Lock] = {}


class StoreError(RuntimeError):
    """The vector store cannot do what was asked; the message is meant for the user (Chinese)."""


class InvalidMetadataError(StoreError, ValueError):
    """Chroma only stores scalar metadata; caught here so the culprit chunk and key are named."""


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    score: float | None = None  # cosine similarity (1 - cosine distance); only set by queries


def _writer_lock(location: str, collection: str) -> threading.Lock:
    """Writers to one collection share a lock even across ChunkStore instances in this process."""
    with _LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault((location, collection), threading.Lock())


def _validate_metadata(metadata: Mapping[str, Any], chunk_id: str) -> dict[str, Any]:
    if not isinstance(metadata, Mapping):
        raise InvalidMetadataError(f"块 {chunk_id} 的元数据必须是 dict，实际是 {type(metadata).__name__}")
    clean: dict[str, Any] = {}
    for key, value in metadata.items():
        if not isinstance(key, str) or not key:
            raise InvalidMetadataError(f"块 {chunk_id} 的元数据键必须是非空字符串：{key!r}")
        if not isinstance(value, str | int | float | bool):
            raise InvalidMetadataError(
                f"块 {chunk_id} 的元数据“{key}”的值类型为 {type(value).__name__}，"
                "Chroma 只接受 str/int/float/bool（列表请先拼接成字符串，None 请省略该键）"
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidMetadataError(f"块 {chunk_id} 的元数据“{key}”不是有限数：{value}")
        clean[key] = value
    return clean


def _check_ids(ids: Sequence[str]) -> None:
    if any(not isinstance(i, str) or not i for i in ids):
        raise StoreError("块 id 必须是非空字符串")
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise StoreError(f"块 id 重复：{', '.join(dupes)}")


def _normalise_where(where: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Accept ``{"a": 1, "b": 2}`` as shorthand for ``$and``; Chroma demands exactly one top-level key."""
    if not where:
        return None
    if len(where) > 1 and not any(k.startswith("$") for k in where):
        return {"$and": [{k: v} for k, v in where.items()]}
    return dict(where)


class ChunkStore:
    """Chunks of one knowledge base (= one Chroma collection) with their vectors."""

    def __init__(
        self, collection: str, embedder: Embeddings, *, path: Path | None = None, url: str | None = None
    ) -> None:
        if not isinstance(collection, str) or not _NAME_RE.match(collection) or ".." in collection:
            raise StoreError(
                f"知识库名“{collection}”无效：需 3–512 个字符，只含字母、数字、点、下划线或连字符，"
                "且首尾为字母或数字"
            )
        self.name = collection
        self.embedder = embedder
        settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise StoreError(f"Chroma 服务地址“{url}”无效，应形如 http://127.0.0.1:8000")
            ssl = parsed.scheme == "https"
            port = parsed.port or (443 if ssl else 8000)
            location = f"{parsed.scheme}://{parsed.hostname}:{port}"
            try:
                self._client = chromadb.HttpClient(
                    host=parsed.hostname, port=port, ssl=ssl, settings=settings
                )
            except Exception as exc:
                raise StoreError(f"无法连接 Chroma 服务端 {location}：{exc}") from exc
        elif path is not None:
            resolved = Path(path).expanduser().resolve()
            resolved.mkdir(parents=True, exist_ok=True)
            location = str(resolved)
            self._client = chromadb.PersistentClient(path=location, settings=settings)
        else:
            raise StoreError("ChunkStore 需要 path（嵌入式 Chroma 目录）或 url（Chroma 服务端地址）之一")
        self.location = location
        self._embedded = url is None
        self._lock = _writer_lock(location, collection)
        self._max_batch = max(1, int(self._client.get_max_batch_size()))
        self._collection = self._open()
        self._stamp = self._disk_stamp()

    def _open(self) -> Any:
        return self._client.get_or_create_collection(
            self.name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
        )

    # -- another process's writes --------------------------------------------------------------
    # An embedded Chroma keeps what it loaded in memory: after ``guopei index`` replaced a document beside a running
    # server, the server's client still returns the deleted chunks and cannot find the new ones. The files on disk
    # say when someone else wrote; the client is then opened afresh.
    def _disk_stamp(self) -> tuple[int, ...] | None:
        if not self._embedded:
            return None  # a Chroma server serves every client the same state
        stamps = []
        for name in ("chroma.sqlite3", "chroma.sqlite3-wal"):
            try:
                stamps.append(os.stat(os.path.join(self.location, name)).st_mtime_ns)
            except OSError:
                stamps.append(0)
        return tuple(stamps)

    def changed_elsewhere(self) -> bool:
        """Whether the embedded store's files changed since this client last read or wrote them."""
        return self._embedded and self._disk_stamp() != self._stamp

    def reopen(self) -> None:
        """Drop this process's cached Chroma state for the directory and read it again from disk. The old state is
        not stopped: another store of this process may still be reading through it."""
        if not self._embedded:
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        with self._lock:
            settings = self._client.get_settings()
            SharedSystemClient._identifier_to_system.pop(self._client._identifier, None)
            self._client = chromadb.PersistentClient(path=self.location, settings=settings)
            # Opened, not created: a knowledge base deleted under a running server is an error to report, not an
            # empty one to answer "not found" from.
            self._collection = self._client.get_collection(self.name, embedding_function=None)
            self._stamp = self._disk_stamp()

    # -- reading -------------------------------------------------------------------------------
    def _get_all(self, where: dict[str, Any] | None, include: list[str]) -> list[tuple[str, str, dict]]:
        """Page through ``get`` so large collections never hit the server's response limits."""
        rows: list[tuple[str, str, dict]] = []
        seen: set[str] = set()
        offset = 0
        while True:
            page = self._collection.get(where=where, include=include, limit=self._max_batch, offset=offset)
            ids = page["ids"]
            docs = page.get("documents") or [None] * len(ids)
            metas = page.get("metadatas") or [None] * len(ids)
            for chunk_id, doc, meta in zip(ids, docs, metas, strict=True):
                if chunk_id not in seen:  # offsets can shift under a concurrent writer
                    seen.add(chunk_id)
                    rows.append((chunk_id, doc or "", dict(meta or {})))
            if len(ids) < self._max_batch:
                return rows
            offset += len(ids)

    def _doc_chunks(self, doc_id: str) -> dict[str, str]:
        rows = self._get_all({"doc_id": doc_id}, ["metadatas"])
        return {cid: str(meta.get("content_hash", "")) for cid, _, meta in rows}

    def query(self, query_text: str, k: int, where: dict | None = None) -> list[StoredChunk]:
        return self.query_vector(self.embedder.embed_query(query_text), k, where)

    def query_vector(self, vector: list[float], k: int, where: dict | None = None, *,
                     content: bool = True) -> list[StoredChunk]:
        """Nearest chunks, best first; fewer than ``k`` when the collection or filter has fewer.

        ``content=False`` returns ids and scores only, for callers that already hold the texts.
        """
        if k < 1:
            raise StoreError(f"k 必须为正整数，实际为 {k}")
        try:
            result = self._collection.query(
                query_embeddings=[list(map(float, vector))],
                n_results=k,
                where=_normalise_where(where),
                include=["documents", "metadatas", "distances"] if content else ["distances"],
            )
        except InvalidArgumentError as exc:
            raise self._dimension_error(exc) from exc
        ids = result["ids"][0] if result["ids"] else []
        docs = (result.get("documents") or [[]])[0] or [None] * len(ids)
        metas = (result.get("metadatas") or [[]])[0] or [None] * len(ids)
        dists = (result.get("distances") or [[]])[0] or [None] * len(ids)
        return [
            StoredChunk(cid, doc or "", dict(meta or {}), None if dist is None else 1.0 - float(dist))
            for cid, doc, meta, dist in zip(ids, docs, metas, dists, strict=True)
        ]

    def all_chunks(self, where: dict | None = None) -> list[StoredChunk]:
        return [StoredChunk(cid, doc, meta) for cid, doc, meta in
                self._get_all(_normalise_where(where), ["documents", "metadatas"])]

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by id (float32 arrays), so a reranker can score lexical-only candidates densely too."""
        if not ids:
            return {}
        try:
            return self._vectors(ids)
        except InternalError:
            # Another process replaced a document since this one opened the embedded store (guopei index beside a
            # running server): the stale ids fail the whole batch, so each is fetched alone and a failing one is
            # left out, as a chunk gone from the store is.
            found: dict[str, np.ndarray] = {}
            for chunk_id in ids:
                try:
                    found.update(self._vectors([chunk_id]))
                except InternalError:
                    continue
            return found

    def _vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        page = self._collection.get(ids=list(ids), include=["embeddings"])
        embeddings = page.get("embeddings")
        if embeddings is None:
            return {}
        matrix = np.asarray(embeddings, dtype=np.float32)
        return dict(zip(page["ids"], matrix, strict=True))

    def count(self) -> int:
        return int(self._collection.count())

    # -- writing -------------------------------------------------------------------------------
    def _embed(self, texts: list[str]) -> list[list[float]]:
        vectors = self.embedder.embed_documents(texts)
        if len(vectors) != len(texts):
            raise StoreError(f"嵌入后端返回了 {len(vectors)} 个向量，但请求了 {len(texts)} 个文本")
        return self._checked(vectors)

    def _checked(self, vectors: list[list[float]]) -> list[list[float]]:
        dimension = getattr(self.embedder, "dimension", None)
        if dimension and any(len(v) != dimension for v in vectors):
            raise StoreError(f"嵌入后端返回的向量维度与其声明的维度 {dimension} 不符")
        return vectors

    def _dimension_error(self, exc: InvalidArgumentError) -> Exception:
        """A dimension clash means the collection was built with another model: say how to recover."""
        if "dimension" in str(exc):
            return StoreError(
                f"知识库“{self.name}”中的向量维度与当前嵌入模型不一致（{exc}）。"
                "更换嵌入模型后需要清空并重建索引。"
            )
        return exc

    def _write(self, ids: list[str], texts: list[str], vectors: list[list[float]], metadatas: list) -> None:
        for start in range(0, len(ids), self._max_batch):
            end = start + self._max_batch
            # upsert, not add: Chroma's add silently ignores ids that already exist.
            try:
                self._collection.upsert(
                    ids=ids[start:end], embeddings=vectors[start:end],
                    documents=texts[start:end], metadatas=metadatas[start:end],
                )
            except InvalidArgumentError as exc:
                raise self._dimension_error(exc) from exc
        self._stamp = self._disk_stamp()

    def _delete_ids(self, ids: list[str]) -> None:
        for start in range(0, len(ids), self._max_batch):
            self._collection.delete(ids=ids[start : start + self._max_batch])
        self._stamp = self._disk_stamp()

    def is_current(self, doc_id: str, content_hash: str, ids: Sequence[str], *, replace: bool = True) -> bool:
        """True when all stored chunks of ``doc_id`` carry ``content_hash`` and their ids are exactly ``ids``;
        with ``replace=False`` (other versions may stay beside it), when every chunk of ``ids`` is stored."""
        return _current(self._doc_chunks(doc_id), content_hash, ids, replace)

    def upsert_document(
        self,
        doc_id: str,
        content_hash: str,
        ids: list[str],
        texts: list[str],
        embed_texts: list[str],
        metadatas: list[dict],
        *,
        vectors: list[list[float]] | None = None,
        replace: bool = True,
        on_batch: Callable[[int, int], None] | None = None,
    ) -> bool:
        """Store a document's chunks, replacing any other version; ``False`` if nothing had to change.

        Unchanged means ``is_current`` — so a change of chunking settings is picked up even when the
        source file is unchanged. ``vectors`` (of ``embed_texts``) lets the indexer embed chunks together
        with other texts of the document; without them the store embeds ``embed_texts`` itself.
        With ``replace=False`` other versions stay (the caller prunes them once it has switched over), and
        unchanged means this version is already complete. ``on_batch(done, total)`` is called after each
        written batch; an exception it raises (a cancelled job) stops the write there.
        """
        if not (len(ids) == len(texts) == len(embed_texts) == len(metadatas)):
            raise StoreError("ids、texts、embed_texts、metadatas 的长度必须一致")
        if vectors is not None and len(vectors) != len(ids):
            raise StoreError(f"给出了 {len(vectors)} 个向量，但有 {len(ids)} 个块")
        if not (isinstance(doc_id, str) and doc_id and isinstance(content_hash, str) and content_hash):
            raise StoreError("doc_id 和 content_hash 必须是非空字符串")
        _check_ids(ids)
        prepared = [
            {**_validate_metadata(meta, cid), "doc_id": doc_id, "content_hash": content_hash}
            for cid, meta in zip(ids, metadatas, strict=True)
        ]
        with self._lock:
            existing = self._doc_chunks(doc_id)
            if _current(existing, content_hash, ids, replace):
                return False  # also covers "empty document, nothing stored"
            step = min(self._max_batch, _EMBED_BATCH)
            for start in range(0, len(ids), step):
                end = start + step
                batch = (self._embed(list(embed_texts[start:end])) if vectors is None
                         else self._checked(vectors[start:end]))
                self._write(list(ids[start:end]), list(texts[start:end]), batch, prepared[start:end])
                if on_batch is not None:
                    on_batch(min(end, len(ids)), len(ids))
            if replace:
                keep = set(ids)
                self._delete_ids([cid for cid in existing if cid not in keep])
            return True

    def prune_document(self, doc_id: str, keep_version: str | None) -> int:
        """Delete the chunks of ``doc_id`` that are not of ``keep_version`` (all of them for ``None``):
        the leftovers of a replaced version, or of a write that never finished."""
        with self._lock:
            stale = [cid for cid, version in self._doc_chunks(doc_id).items() if version != keep_version]
            self._delete_ids(stale)
            return len(stale)

    def document_metadata(self, doc_id: str) -> list[dict[str, Any]]:
        """The metadata of every stored chunk of one document, without fetching their texts."""
        return [meta for _, _, meta in self._get_all({"doc_id": doc_id}, ["metadatas"])]

    def document_chunks(self, doc_id: str) -> list[StoredChunk]:
        """Every stored chunk of one document (all versions present), texts and metadata included."""
        return self.all_chunks({"doc_id": doc_id})

    def delete_document(self, doc_id: str) -> int:
        with self._lock:
            ids = list(self._doc_chunks(doc_id))
            self._delete_ids(ids)
            return len(ids)

    def add_embedded(
        self, ids: list[str], texts: list[str], vectors: list[list[float]], metadatas: list[dict]
    ) -> None:
        """Bulk write with precomputed vectors (benchmarks); no per-document bookkeeping is added."""
        if not (len(ids) == len(texts) == len(vectors) == len(metadatas)):
            raise StoreError("ids、texts、vectors、metadatas 的长度必须一致")
        _check_ids(ids)
        # Chroma rejects an empty metadata dict but accepts None.
        prepared = [_validate_metadata(m, cid) or None for cid, m in zip(ids, metadatas, strict=True)]
        with self._lock:
            self._write(list(ids), list(texts), [list(map(float, v)) for v in vectors], prepared)

    def __repr__(self) -> str:
        return f"ChunkStore({self.name!r} @ {self.location})"


def _current(existing: Mapping[str, str], content_hash: str, ids: Sequence[str], replace: bool) -> bool:
    if replace:
        return set(existing.values()) <= {content_hash} and set(existing) == set(ids)
    return all(existing.get(cid) == content_hash for cid in ids)
