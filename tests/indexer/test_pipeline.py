"""Indexing a document: chunk and sentence vectors in one embedding call, nothing embedded when unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from corpus.bundled import bundled_documents
from indexer.embedders.cache import CachedEmbeddings
from indexer.embedders.e5_onnx import OnnxE5Embeddings
from indexer.pipeline import ChunkingOptions, embedding_text, index_document, prepare, rerank_texts
from indexer.store import ChunkStore


class Recording(Embeddings):
    """Delegates to the default embedder and records the texts of every call."""

    def __init__(self, inner: OnnxE5Embeddings) -> None:
        self.inner = inner
        self.model_id, self.dimension = self.inner.model_id, self.inner.dimension
        self.calls: list[list[str]] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


@pytest.fixture
def recording(onnx_e5: OnnxE5Embeddings) -> Recording:
    return Recording(onnx_e5)


def test_chunks_and_sentences_share_one_call(recording: Recording, tmp_path: Path) -> None:
    store = ChunkStore("guopei", recording, path=tmp_path / "chroma")
    doc, options = bundled_documents()[0], ChunkingOptions()
    _, chunks = prepare(doc, options)
    result = index_document(store, doc, options)
    assert result.changed and store.count() == len(chunks)
    assert len(recording.calls) == 1
    (call,) = recording.calls
    assert call[: len(chunks)] == [embedding_text(doc, c) for c in chunks]
    assert set(call) == {embedding_text(doc, c) for c in chunks} | set(rerank_texts(chunks))
    # Stored vectors are the chunk vectors of that call, not sentence vectors.
    stored = store.vectors([f"{doc.doc_id}:{result.version}:00000"])
    fresh = recording.inner.embed_documents([call[0]])[0]
    assert sum(a * b for a, b in zip(next(iter(stored.values())), fresh, strict=True)) == pytest.approx(1, abs=1e-4)


def test_unchanged_document_embeds_nothing(recording: Recording, tmp_path: Path) -> None:
    store = ChunkStore("guopei", recording, path=tmp_path / "chroma")
    doc, options = bundled_documents()[0], ChunkingOptions()
    index_document(store, doc, options)
    recording.calls.clear()
    assert not index_document(store, doc, options).changed
    assert recording.calls == []


def test_sentences_reach_the_cache_for_the_reranker(recording: Recording, tmp_path: Path) -> None:
    cache = CachedEmbeddings(recording, tmp_path / "cache.sqlite3")
    store = ChunkStore("guopei", cache, path=tmp_path / "chroma")
    doc, options = bundled_documents()[0], ChunkingOptions()
    index_document(store, doc, options)
    _, chunks = prepare(doc, options)
    recording.calls.clear()
    cache.embed_documents(rerank_texts(chunks))
    assert recording.calls == []  # every sentence was cached during indexing


def test_without_warming_only_chunks_are_embedded(recording: Recording, tmp_path: Path) -> None:
    store = ChunkStore("guopei", recording, path=tmp_path / "chroma")
    doc, options = bundled_documents()[0], ChunkingOptions()
    _, chunks = prepare(doc, options)
    index_document(store, doc, options, warm_sentences=False)
    assert recording.calls == [[embedding_text(doc, c) for c in chunks]]


def test_embedder_is_prepared_even_when_nothing_changes(recording: Recording, tmp_path: Path) -> None:
    """Model conversion belongs to indexing (which every start-up runs), not to the first question."""
    prepared: list[bool] = []
    recording.prepare = lambda: prepared.append(True)  # type: ignore[attr-defined]
    store = ChunkStore("guopei", CachedEmbeddings(recording, tmp_path / "cache.sqlite3"), path=tmp_path / "chroma")
    doc, options = bundled_documents()[0], ChunkingOptions()
    index_document(store, doc, options)
    index_document(store, doc, options)
    assert prepared == [True, True]


def test_a_new_word_in_the_dictionary_stores_the_document_again(recording: Recording, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import indexer.pipeline as pipeline

    store = ChunkStore("guopei", recording, path=tmp_path / "chroma")
    doc, options = bundled_documents()[0], ChunkingOptions()
    first = index_document(store, doc, options)
    monkeypatch.setattr(pipeline, "dictionary_digest", lambda: "another")
    second = index_document(store, doc, options)
    assert second.changed and second.version != first.version, "stored term lists follow the dictionary"


def test_an_faq_entrys_question_is_embedded_beside_its_sentences() -> None:
    from indexer.chunking import chunk_document

    chunks = chunk_document("faq", "一、费用\n7. 参加国培需要交培训费吗？\n答：不需要，培训费由项目经费支付。\n")
    assert rerank_texts(chunks) == ["答：不需要，培训费由项目经费支付。", "7. 参加国培需要交培训费吗？"]
