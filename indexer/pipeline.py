"""From a loaded document to chunks in the store: normalise, chunk, embed (through the cache), upsert.

The version a document is stored under covers its text, its metadata, the chunking parameters and the
segmentation dictionary, so indexing the same file again is a no-op, while changing chunk sizes (or adding
a word to the dictionary) re-chunks it.

The work is split in two so it can run in two places: ``prepare_document`` is pure CPU (normalising,
chunking, segmenting for the lexical index) and returns plain picklable data, so a server can run it in a
worker process with a hard time limit; ``store_document`` embeds and writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corpus.documents import SourceDocument
from indexer.chunking import Chunk, chunk_document, question_heading, sentences
from indexer.normalize import normalize_text
from indexer.tokenizer import dictionary_digest, index_terms

if TYPE_CHECKING:  # the store (and chromadb) is not needed to prepare documents in a worker process
    from indexer.store import ChunkStore

PIPELINE_VERSION = "7"
_GROUP = 256  # chunks per embedding call (plus their sentences): bounds memory on very long documents


@dataclass(frozen=True)
class ChunkingOptions:
    max_tokens: int = 90
    min_tokens: int = 24
    overlap_tokens: int = 22

    def fingerprint(self) -> str:
        return (f"v{PIPELINE_VERSION}:{self.max_tokens}:{self.min_tokens}:{self.overlap_tokens}"
                f":{dictionary_digest()}")


@dataclass(frozen=True)
class IndexResult:
    doc_id: str
    title: str
    version: str
    chunks: int
    changed: bool


@dataclass(frozen=True)
class PreparedDocument:
    """A document ready to be embedded and stored: everything ``upsert_document`` needs, nothing live."""

    doc_id: str
    title: str
    version: str
    ids: list[str]
    texts: list[str]
    embed_texts: list[str]
    metadatas: list[dict[str, str | int]]
    # Per ``_GROUP`` chunks, the distinct sentences first seen there (and not already a chunk text): their
    # vectors, which the reranker looks up at question time, are computed in the same call as the group's.
    sentence_groups: list[list[str]]
    own_title: str = ""  # what the file calls itself (its metadata or first line), whatever title it is stored under

    @property
    def sentences(self) -> list[str]:
        return [s for group in self.sentence_groups for s in group]


def prepare(doc: SourceDocument, options: ChunkingOptions) -> tuple[str, list[Chunk]]:
    """The normalised text and its chunks; pure, so it can be shown to a trainer before indexing."""
    text = normalize_text(doc.text)
    return text, chunk_document(
        doc.doc_id, text,
        max_tokens=options.max_tokens, min_tokens=options.min_tokens, overlap_tokens=options.overlap_tokens,
    )


def document_version(doc: SourceDocument, options: ChunkingOptions) -> str:
    return hashlib.sha256(f"{doc.content_hash}|{options.fingerprint()}".encode()).hexdigest()[:16]


def embedding_text(doc: SourceDocument, chunk: Chunk) -> str:
    """What the dense model sees: the chunk, led by its own heading when a split left it headless.

    Measured on the seed eval set, prefixing the title and the full section path made the small e5 model
    rank worse (every chunk then shares most of its words), so only the innermost heading is added.
    """
    text = chunk.text.strip()
    return text if text.startswith(chunk.heading) or not chunk.section_path else f"{chunk.heading}\n{text}"


def chunk_metadata(doc: SourceDocument, chunk: Chunk) -> dict[str, str | int]:
    meta = doc.meta.as_metadata()
    meta.update(
        ordinal=chunk.ordinal,
        section=chunk.section,
        heading=chunk.heading,
        start=chunk.start,
        end=chunk.end,
        n_tokens=chunk.n_tokens,
        # Pre-segmented terms let the lexical index be rebuilt from the store without re-running jieba.
        lex=" ".join(index_terms(f"{chunk.section}\n{chunk.text}")),
    )
    if doc.extra.get("path"):  # the file a document indexed from disk came from (not part of its version)
        meta["path"] = doc.extra["path"]
    return meta


def prepare_embedder(embedder: object) -> None:
    """One-time setup of the embedder (or the one a cache wraps), e.g. converting a model on first use.

    Done while indexing -- which ``guopei index`` and every start-up run -- so that it never lands on
    a teacher's question, even when no document has changed and nothing gets embedded.
    """
    while embedder is not None:
        setup = getattr(embedder, "prepare", None)
        if callable(setup):
            setup()
            return
        embedder = getattr(embedder, "inner", None)


def rerank_texts(chunks: list[Chunk]) -> list[str]:
    """What the reranker embeds one by one, in first-seen order: every distinct sentence of the chunks
    (overlapping chunks share sentences), then every question heading (an FAQ entry's question)."""
    said = (c.text[s:e] for c in chunks for s, e in sentences(c.text))
    asked = (q for c in chunks if (q := question_heading(c.section)))
    return list(dict.fromkeys([*said, *asked]))


def prepare_document(doc: SourceDocument, options: ChunkingOptions) -> PreparedDocument:
    version = document_version(doc, options)
    _, chunks = prepare(doc, options)
    embed_texts = [embedding_text(doc, c) for c in chunks]
    seen: set[str] = set(embed_texts)
    groups: list[list[str]] = []
    for start in range(0, len(chunks), _GROUP):
        extra = [s for s in rerank_texts(chunks[start : start + _GROUP]) if s not in seen]
        seen.update(extra)
        groups.append(extra)
    return PreparedDocument(
        doc.doc_id, doc.meta.title, version,
        ids=[f"{doc.doc_id}:{version}:{c.ordinal:05d}" for c in chunks],
        texts=[c.text for c in chunks],
        embed_texts=embed_texts,
        metadatas=[chunk_metadata(doc, c) for c in chunks],
        sentence_groups=groups,
        own_title=doc.extra.get("own_title", ""),
    )


def store_document(store: ChunkStore, prepared: PreparedDocument, *, keep_previous: bool = False,
                   warm_sentences: bool = True, on_batch: Callable[[int, int], None] | None = None,
                   write_lock: AbstractContextManager[Any] | None = None) -> IndexResult:
    """Embed and write a prepared document; unchanged documents cost one version check and embed nothing.

    ``keep_previous`` leaves other versions of it in place, for a caller that switches versions itself and
    prunes afterwards (``ChunkStore.prune_document``). Sentence vectors drive the reranker and answer
    selection; computing them now (into the embedding cache) keeps that work off the question path. They go
    to the embedder in the same call as the chunk texts, ``_GROUP`` chunks at a time, so they share its
    length-sorted batches instead of forming a second, half-empty pass. ``on_batch(done, total)`` follows
    the embedding group by group; an exception it raises (a cancelled job) stops before anything is written.

    ``write_lock`` is held only while the store is read and written, not while embedding: a big document
    takes minutes to embed, and a caller's lock held that long made every small upload behind it wait.
    """
    prepare_embedder(store.embedder)
    result = IndexResult(prepared.doc_id, prepared.title, prepared.version, len(prepared.ids), False)
    with write_lock or nullcontext():
        if store.is_current(prepared.doc_id, prepared.version, prepared.ids, replace=not keep_previous):
            return result
    vectors: list[list[float]] = []
    total = len(prepared.ids)
    for group, start in enumerate(range(0, total, _GROUP)):
        texts = prepared.embed_texts[start : start + _GROUP]
        extra = prepared.sentence_groups[group] if warm_sentences else []
        vectors += store.embedder.embed_documents(texts + extra)[: len(texts)]
        if on_batch is not None:
            on_batch(min(start + _GROUP, total), total)
    with write_lock or nullcontext():
        changed = store.upsert_document(prepared.doc_id, prepared.version, ids=prepared.ids, texts=prepared.texts,
                                        embed_texts=prepared.embed_texts, metadatas=prepared.metadatas,
                                        vectors=vectors, replace=not keep_previous)
    return IndexResult(prepared.doc_id, prepared.title, prepared.version, total, changed)


def index_document(store: ChunkStore, doc: SourceDocument, options: ChunkingOptions, *,
                   warm_sentences: bool = True) -> IndexResult:
    """Store ``doc``; unchanged documents cost one version check and embed nothing."""
    return store_document(store, prepare_document(doc, options), warm_sentences=warm_sentences)
