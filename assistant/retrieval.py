"""Hybrid retrieval: dense (Chroma) + BM25 (jieba terms), fused by reciprocal rank, then reranked.

Each signal covers the other's blind spot: the multilingual embedder understands paraphrases and English
questions, BM25 catches exact terms and figures. The rerank adds two cues a teacher's question gives away:
how much of the question a passage actually speaks to (idf-weighted term coverage) and whether the
question names the section's own heading. The same signals give an evidence strength the answerer uses to
abstain instead of guessing.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.catalogue import DocumentInfo, build_catalogue, named_documents
from assistant.lexical import BM25Index
from assistant.question import Question, analyse, holds_fact
from indexer.chunking import sentences
from indexer.store import ChunkStore, StoredChunk
from indexer.thesaurus import synonyms
from indexer.tokenizer import lexical_terms, to_simplified

# Cosine similarities of the e5 family sit in a narrow band; this maps "unrelated" (~0.72) to 0 and
# "same topic, same wording" (~0.92) to 1, so dense scores are comparable across questions.
DENSE_FLOOR, DENSE_SPAN = 0.72, 0.20
STALE_CHECK_SECONDS = 1.0


@dataclass
class Hit:
    id: str
    text: str
    metadata: dict[str, Any]
    dense: float = 0.0  # cosine similarity to the question
    lexical: float = 0.0  # BM25
    coverage: float = 0.0  # idf share of question terms present in the passage
    heading: float = 0.0  # idf share of question terms present in the section path
    fused: float = 0.0  # reciprocal-rank fusion
    sentence: float = 0.0  # best cosine similarity of one of its sentences to the question
    sentences: list[tuple[int, int, float]] = field(default_factory=list)  # (start, end, cosine)
    score: float = 0.0  # final rerank score

    @property
    def doc_id(self) -> str:
        return str(self.metadata.get("doc_id", ""))

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))

    @property
    def section(self) -> str:
        return str(self.metadata.get("section", ""))

    def as_dict(self) -> dict[str, Any]:
        return {"chunk_id": self.id, "doc_id": self.doc_id, "title": self.title, "section": self.section,
                "text": self.text.strip(), "score": round(self.score, 4)}


@dataclass
class Retrieval:
    query: str
    terms: tuple[str, ...]
    hits: list[Hit] = field(default_factory=list)
    strength: float = 0.0  # evidence strength of the best hit, compared with the abstain threshold
    question: Question | None = None  # what the (contextualised) query asks for
    documents: list[DocumentInfo] = field(default_factory=list)  # the knowledge base's catalogue
    named: tuple[str, ...] = ()  # ids of the documents the question names (国家的通知, 省里的方案)
    unknown: tuple[str, ...] = ()  # key terms of the question that no passage holds, nor any synonym of them


@dataclass(frozen=True)
class RerankWeights:
    """Fitted by ``python -m evals.tune`` on the dev split of the eval sets (recall@1, MRR tie-break)."""

    dense: float = 0.6
    lexical: float = 0.2
    coverage: float = 0.3
    heading: float = 0.1
    fused: float = 0.1
    sentence: float = 1.2
    scope: float = 0.3  # bonus for a passage of a document the question names
    fact: float = 0.2  # bonus for a passage holding the kind of fact asked for (a figure, a date)
    sentence_top_n: int = 8  # candidates whose sentences are scored one by one


def dense_norm(cos: float) -> float:
    return float(min(1.0, max(0.0, (cos - DENSE_FLOOR) / DENSE_SPAN)))


# A question in a language the corpus is not written in (English against Chinese policy text) gets
# systematically lower cosine similarities from the multilingual model, and no lexical overlap at all.
# This offset puts such questions on the same scale before the abstain threshold is applied; it was
# calibrated on the seed eval set (README, "Abstention").
CROSS_LINGUAL_OFFSET = 0.097
_CJK = re.compile(r"[\u4e00-\u9fff]")


def evidence_strength(hit: Hit, *, cross_lingual: bool = False) -> float:
    """How well the best passage supports an answer, on an absolute 0–1 scale (not relative to rivals)."""
    cos = max(hit.dense, hit.sentence) + (CROSS_LINGUAL_OFFSET if cross_lingual else 0.0)
    return 0.6 * dense_norm(cos) + 0.4 * max(hit.coverage, hit.heading)


class _LexicalState:
    def __init__(self, chunks: list[StoredChunk]) -> None:
        self.chunks = chunks
        self.terms = [str(c.metadata.get("lex", "")).split() for c in chunks]
        self.heading_terms = [set(lexical_terms(str(c.metadata.get("section", "")))) for c in chunks]
        self.position = {c.id: i for i, c in enumerate(chunks)}
        self.catalogue = build_catalogue(chunks)
        self.bm25 = BM25Index(self.terms)
        self._masks: dict[str, np.ndarray] = {}

    def knows(self, term: str) -> bool:
        """A term, one of its synonyms, or all of its dictionary sub-words occur somewhere in the knowledge base."""
        if self.bm25.known(term) or any(self.bm25.known(s) for s in synonyms(term)):
            return True
        parts = [p for p in lexical_terms(term) if p != term]
        return bool(parts) and all(self.bm25.known(p) for p in parts)

    def alternatives(self, terms: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """Synonyms of each question term that some passage actually uses (others cannot match anything)."""
        out = {}
        for t in set(terms):
            alts = tuple(s for s in synonyms(t) if s not in terms and self.bm25.known(s))
            if alts:
                out[t] = alts
        return out

    def mask(self, where: dict[str, Any] | None) -> np.ndarray | None:
        if not where:
            return None
        key = json.dumps(where, sort_keys=True, ensure_ascii=False)
        if key not in self._masks:
            self._masks[key] = np.array([matches(c.metadata, where) for c in self.chunks], dtype=bool)
        return self._masks[key]


_OPS: dict[str, Any] = {
    "$eq": lambda v, a: v == a,
    "$ne": lambda v, a: v != a,
    "$in": lambda v, a: v in a,
    "$nin": lambda v, a: v not in a,
}


def matches(metadata: dict[str, Any], where: dict[str, Any]) -> bool:
    """The subset of Chroma's ``where`` language we use: equality, $eq, $ne, $in, $and, $or."""
    for key, cond in where.items():
        if key == "$and":
            if not all(matches(metadata, c) for c in cond):
                return False
        elif key == "$or":
            if not any(matches(metadata, c) for c in cond):
                return False
        elif isinstance(cond, dict):
            value = metadata.get(key)
            for op, arg in cond.items():
                if op not in _OPS:
                    raise ValueError(f"不支持的过滤条件：{op}")
                if not _OPS[op](value, arg):
                    return False
        elif metadata.get(key) != cond:
            return False
    return True


class HybridRetriever:
    def __init__(self, store: ChunkStore, *, candidate_k: int = 30, rrf_k: int = 60,
                 weights: RerankWeights | None = None) -> None:
        self.store = store
        self.candidate_k = candidate_k
        self.rrf_k = rrf_k
        self.weights = weights or RerankWeights()
        self._lex: _LexicalState | None = None
        self._lex_count = -1
        self._checked = 0.0
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Rebuild the lexical index from the store (after documents were added, replaced or deleted)."""
        with self._lock:
            chunks = self.store.all_chunks()
            self._lex = _LexicalState(chunks)
            self._lex_count = len(chunks)

    def _lexical(self) -> _LexicalState:
        """Our own writes refresh explicitly; another process's writes are noticed within a second."""
        now = time.monotonic()
        if self._lex is None or (now - self._checked > STALE_CHECK_SECONDS
                                 and self.store.count() != self._lex_count):
            self.refresh()
        self._checked = now
        assert self._lex is not None
        return self._lex

    def documents(self) -> list[DocumentInfo]:
        """The documents in the knowledge base, each with its head chunk."""
        return list(self._lexical().catalogue)

    def chunk_texts(self, ids: list[str]) -> dict[str, str]:
        lex = self._lexical()
        return {i: lex.chunks[lex.position[i]].text for i in ids if i in lex.position}

    def retrieve(self, query: str, k: int = 5, where: dict[str, Any] | None = None) -> Retrieval:
        simplified = to_simplified(query)
        terms = lexical_terms(simplified)
        lex = self._lexical()
        question = analyse(simplified)
        named = tuple(named_documents(simplified, lex.catalogue))
        result = Retrieval(query=query, terms=terms, question=question, documents=list(lex.catalogue), named=named,
                           unknown=tuple(t for t in question.focus if not lex.knows(t)))
        if not lex.chunks:
            return result
        qvec = np.asarray(self.store.embedder.embed_query(simplified), dtype=np.float32)
        # Texts and metadata come from the in-memory copy the lexical index holds, so the vector query
        # transfers ids and distances only; a chunk newer than that copy triggers a refresh.
        dense = self.store.query_vector(qvec.tolist(), self.candidate_k, where=where, content=False)
        if any(sc.id not in lex.position for sc in dense):
            self.refresh()
            lex = self._lexical()
        alternatives = lex.alternatives(terms)
        lexical = lex.bm25.top(terms, self.candidate_k, lex.mask(where))

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
        self._rerank(list(hits.values()), terms, lex, qvec, question, named, alternatives)
        ranked = sorted(hits.values(), key=lambda h: h.score, reverse=True)
        result.hits = ranked[:k]
        cross = not _CJK.search(query)
        result.strength = max((evidence_strength(h, cross_lingual=cross) for h in ranked[:3]), default=0.0)
        return result

    def _rerank(self, hits: list[Hit], terms: tuple[str, ...], lex: _LexicalState, qvec: np.ndarray,
                question: Question, named: tuple[str, ...], alternatives: dict[str, tuple[str, ...]]) -> None:
        w = self.weights
        max_lex = max((h.lexical for h in hits), default=0.0) or 1.0
        max_fused = max((h.fused for h in hits), default=0.0) or 1.0
        weights = lex.bm25.weights(terms)
        for h in hits:
            pos = lex.position.get(h.id)
            doc_terms = lex.terms[pos] if pos is not None else str(h.metadata.get("lex", "")).split()
            head_terms = lex.heading_terms[pos] if pos is not None else set()
            h.coverage = lex.bm25.coverage(weights, set(doc_terms), alternatives)
            h.heading = lex.bm25.coverage(weights, head_terms, alternatives)
            h.score = (w.dense * dense_norm(h.dense) + w.lexical * h.lexical / max_lex
                       + w.coverage * h.coverage + w.heading * h.heading + w.fused * h.fused / max_fused)
            if named and h.doc_id in named:
                h.score += w.scope
            if w.fact and question.wants_fact and holds_fact(question, h.text):
                h.score += w.fact
        # Second stage: a chunk is as relevant as its best sentence. Sentence vectors were computed at
        # indexing time into the embedding cache, so this is a cache lookup, not model work.
        top = sorted(hits, key=lambda h: h.score, reverse=True)[: w.sentence_top_n]
        spans = [(h, s, e) for h in top for s, e in sentences(h.text)]
        if not spans:
            return
        vectors = np.asarray(self.store.embedder.embed_documents([h.text[s:e] for h, s, e in spans]),
                             dtype=np.float32)
        for (h, s, e), cos in zip(spans, vectors @ qvec, strict=True):
            h.sentences.append((s, e, float(cos)))
        for h in top:
            h.sentence = max((c for _, _, c in h.sentences), default=h.dense)
            h.score += w.sentence * dense_norm(h.sentence)
