"""From a loaded document to chunks in the store: normalise, chunk, embed (through the cache), upsert.

The version a document is stored under covers its text, its metadata and the chunking parameters, so
indexing the same file again is a no-op, while changing chunk sizes re-chunks it.

The work is split in two so it can run in two places: ``prepare_document`` is pure CPU (normalising,
chunking, segmenting for the lexical index) and returns plain picklable data, so a server can run it in a
worker process with a hard time limit; ``store_document`` embeds and writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.documents import SourceDocument
from indexer.chunking import Chunk, chunk_document, sentences
from indexer.normalize import normalize_text
from indexer.tokenizer import index_terms

if TYPE_CHECKING:  # the store (and chromadb) is not needed to prepare documents in a worker process
    from indexer.store import ChunkStore

PIPELINE_VERSION = "6"


@dataclass(frozen=True)
class ChunkingOptions:
    max_tokens: int = 90
    min_tokens: int = 24
    overlap_tokens: int = 22

    def fingerprint(self) -> str:
        return f"v{PIPELINE_VERSION}:{self.max_tokens}:{self.min_tokens}:{self.overlap_tokens}"


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
    sentences: list[str]  # distinct sentences, whose vectors the reranker looks up at question time


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
    return meta


def prepare_document(doc: SourceDocument, options: ChunkingOptions) -> PreparedDocument:
    version = document_version(doc, options)
    _, chunks = prepare(doc, options)
    return PreparedDocument(
        doc.doc_id, doc.meta.title, version,
        ids=[f"{doc.doc_id}:{version}:{c.ordinal:05d}" for c in chunks],
        texts=[c.text for c in chunks],
        embed_texts=[embedding_text(doc, c) for c in chunks],
        metadatas=[chunk_metadata(doc, c) for c in chunks],
        sentences=sorted({c.text[s:e] for c in chunks for s, e in sentences(c.text)}),
    )


def store_document(store: ChunkStore, prepared: PreparedDocument, *, keep_previous: bool = False,
                   warm_sentences: bool = True, on_batch: Callable[[int, int], None] | None = None) -> IndexResult:
    """Embed and write a prepared document. ``keep_previous`` leaves other versions of it in place, for a
    caller that switches versions itself and prunes afterwards (``ChunkStore.prune_document``)."""
    changed = store.upsert_document(prepared.doc_id, prepared.version, ids=prepared.ids, texts=prepared.texts,
                                    embed_texts=prepared.embed_texts, metadatas=prepared.metadatas,
                                    replace=not keep_previous, on_batch=on_batch)
    if changed and warm_sentences:
        # Sentence vectors drive the reranker and answer selection; computing them now (into the
        # embedding cache) keeps that work off the question path.
        store.embedder.embed_documents(prepared.sentences)
    return IndexResult(prepared.doc_id, prepared.title, prepared.version, len(prepared.ids), changed)


def index_document(store: ChunkStore, doc: SourceDocument, options: ChunkingOptions, *,
                   warm_sentences: bool = True) -> IndexResult:
    """Store ``doc``; unchanged documents cost one version check and embed nothing."""
    return store_document(store, prepare_document(doc, options), warm_sentences=warm_sentences)
