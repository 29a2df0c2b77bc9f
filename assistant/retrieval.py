"""Hybrid retrieval: dense (Chroma) + BM25 (jieba terms), fused by reciprocal rank, then reranked.

Each signal covers the other's blind spot: the multilingual embedder understands paraphrases and English
questions, BM25 catches exact terms and figures. The rerank adds two cues a teacher's question gives away:
how much of the question a passage actually speaks to (idf-weighted term coverage) and whether the
question names the section's own heading. The same signals give an evidence strength the answerer uses to
abstain instead of guessing. An English question shares no words with the text; its words are rendered as
the Chinese words the knowledge base uses (``assistant.question.bridged``), and BM25 and coverage use those.

The question is read against the index in ``assistant.question_reading``, the candidates are reranked in
``assistant.rerank``, and what the answerer is handed (the hits, the evidence strength) is ``assistant.hits``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np

from assistant.catalogue import DocumentInfo
from assistant.hits import Hit, Retrieval, evidence_strength
from assistant.listing import LIST_LINE
from assistant.passage_index import PassageIndex, chunk_doc_id
from assistant.question_reading import lookup_terms, read_question
from assistant.rerank import RerankWeights, each_named, rerank
from corpus.text import CJK
from indexer.store import ChunkStore, StoredChunk

STALE_CHECK_SECONDS = 1.0
CONTINUED_TOP = 3  # the passages whose list may run on into the next ones


def _continued(hits: list[Hit], lex: PassageIndex) -> dict[str, list[Hit]]:
    out: dict[str, list[Hit]] = {}
    for h in hits:
        lines = [ln for ln in h.text.splitlines() if ln.strip()]
        if lines and LIST_LINE.search(lines[-1]):
            after = [Hit(c.id, c.text, dict(c.metadata)) for c in lex.section_after(h.id)]
            if after:
                out[h.id] = after
    return out


class Visibility(Protocol):
    """Which stored chunks may be searched: the store can hold chunks of a version still being written (or
    cut off by a crash); the owner of the versions (the core's resource records) says which one is live."""

    def visible(self, chunk_id: str) -> bool: ...

    def reload(self) -> None: ...

    def generation(self) -> object: ...


class HybridRetriever:
    def __init__(self, store: ChunkStore, *, candidate_k: int = 30, rrf_k: int = 60,
                 weights: RerankWeights | None = None, visibility: Visibility | None = None) -> None:
        self.store = store
        self.candidate_k = candidate_k
        self.rrf_k = rrf_k
        self.weights = weights or RerankWeights()
        self.visibility = visibility
        self._lex: PassageIndex | None = None
        self._lex_count = -1
        self._lex_generation: object = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._writing: dict[str, int] = {}  # doc ids this process is writing right now

    def _visible(self, chunk_id: str) -> bool:
        return self.visibility is None or self.visibility.visible(chunk_id)

    def _generation(self) -> object:
        return self.visibility.generation() if self.visibility is not None else None

    def refresh(self, *, only_if_stale: bool = False) -> None:
        """Rebuild the lexical index from the whole store: at start, and when another process wrote."""
        with self._lock:
            if only_if_stale and self._lex is not None and not self._stale():
                return  # a write of our own brought it up to date while this thread waited for the lock
            if self.store.changed_elsewhere():
                self.store.reopen()
            if self.visibility is not None:
                self.visibility.reload()
            chunks = [c for c in self.store.all_chunks() if self._visible(c.id)]
            self._lex = PassageIndex(chunks)
            self._lex_count = self.store.count()
            self._lex_generation = self._generation()

    def update_document(self, doc_id: str, commit: Callable[[], None] | None = None) -> None:
        """Bring one document up to date in the lexical index (added, replaced or deleted): work in
        proportion to that document, not to the knowledge base. ``commit`` (switching the live version) runs
        under the same lock, so no question sees the switch before the index has it."""
        with self._lock:
            if commit is not None:
                commit()
            if self._lex is None:
                return  # built from the whole store on first use anyway
            chunks = [c for c in self.store.document_chunks(doc_id) if self._visible(c.id)]
            self._lex = self._lex.with_document(doc_id, chunks)
            if self._lex.bm25.dead > max(10_000, self._lex.bm25.n):
                self._lex = PassageIndex([c for c in self._lex.chunks if c.id in self._lex.position])
            self._lex_count = self.store.count()
            self._lex_generation = self._generation()

    @contextmanager
    def writing(self, doc_id: str) -> Iterator[None]:
        """Marks a write in progress here: its half-written chunks must not look like another process's
        finished work and trigger a rebuild that would make them searchable."""
        with self._lock:
            self._writing[doc_id] = self._writing.get(doc_id, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._writing[doc_id] -= 1
                if not self._writing[doc_id]:
                    del self._writing[doc_id]

    def _stale(self) -> bool:
        if self._generation() != self._lex_generation or self.store.changed_elsewhere():
            return True
        return not self._writing and self.store.count() != self._lex_count

    def _unknown(self, chunk_id: str) -> bool:
        """A dense hit the lexical index lacks that is finished, visible work (so worth a rebuild)."""
        return (chunk_doc_id(chunk_id) not in self._writing and self._visible(chunk_id))

    def _lexical(self) -> PassageIndex:
        """Our own writes update the index explicitly; another process's are noticed within a second."""
        now = time.monotonic()
        if self._lex is None or (now - self._checked > STALE_CHECK_SECONDS and self._stale()):
            self.refresh(only_if_stale=True)
        self._checked = now
        assert self._lex is not None
        return self._lex

    def documents(self) -> list[DocumentInfo]:
        """The documents in the knowledge base, each with its head chunk."""
        return list(self._lexical().catalogue)

    def chunks(self) -> list[StoredChunk]:
        """Every searchable chunk (the in-memory copy: no store round trip, nothing uncommitted)."""
        lex = self._lexical()
        return [c for c in lex.chunks if lex.position.get(c.id) is not None]

    def chunk_texts(self, ids: list[str]) -> dict[str, str]:
        lex = self._lexical()
        return {i: lex.chunks[lex.position[i]].text for i in ids if i in lex.position}

    def retrieve(self, query: str, k: int = 5, where: dict[str, Any] | None = None, asked: str = "") -> Retrieval:
        """``asked`` is the teacher's own text when ``query`` joins it with the conversation's topic: what kind of
        answer is wanted is read from it (乡村教师每年能参加几次 asks a count, though 学分 came before)."""
        lex = self._lexical()
        simplified, result = read_question(query, asked, lex)
        terms, question, named = result.terms, result.question, result.named
        assert question is not None
        if not lex.chunks:
            return result
        qvec = np.asarray(self.store.embedder.embed_query(simplified), dtype=np.float32)
        # Texts and metadata come from the in-memory copy the lexical index holds, so the vector query
        # transfers ids and distances only; a chunk newer than that copy triggers a refresh.
        dense = self.store.query_vector(qvec.tolist(), self.candidate_k, where=where, content=False)
        if any(sc.id not in lex.position and self._unknown(sc.id) for sc in dense):
            self.refresh()
            lex = self._lexical()
        alternatives, lexical_query, boost = lookup_terms(terms, question, lex)
        lexical = lex.bm25.top(lexical_query, self.candidate_k, lex.mask(where), boost)

        hits: dict[str, Hit] = {}
        for rank, sc in enumerate(dense):
            if sc.id not in lex.position:
                continue
            chunk = lex.chunks[lex.position[sc.id]]
            hit = hits.setdefault(sc.id, Hit(sc.id, chunk.text, dict(chunk.metadata)))
            hit.dense = float(sc.score or 0.0)
            hit.fused += 1.0 / (self.rrf_k + rank + 1)
        missing_dense = []
        for rank, lh in enumerate(lexical):
            chunk = lex.chunks[lh.index]
            hit = hits.get(chunk.id)
            if hit is None:
                hit = hits[chunk.id] = Hit(chunk.id, chunk.text, dict(chunk.metadata))
                missing_dense.append(hit)
            hit.lexical = lh.score
            hit.fused += 1.0 / (self.rrf_k + rank + 1)
        if missing_dense:
            vectors = self.store.vectors([h.id for h in missing_dense])
            for h in missing_dense:
                if h.id in vectors:
                    h.dense = float(np.dot(vectors[h.id], qvec))
                else:  # gone from the store since the lexical index was built: never cite it
                    del hits[h.id]
        rerank(list(hits.values()), terms, lex, qvec, question, named, alternatives, result.outside, self.weights,
               self.store.embedder)
        ranked = sorted(hits.values(), key=lambda h: h.score, reverse=True)
        result.hits = each_named(ranked, k, named)
        result.continued = _continued(result.hits[:CONTINUED_TOP], lex)
        cross = not CJK.search(query)
        result.strength = max((evidence_strength(h, cross_lingual=cross) for h in ranked[:3]), default=0.0)
        return result
