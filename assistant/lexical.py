"""BM25 over jieba terms, kept in memory beside the vector store, updated one document at a time.

Dense retrieval alone misses exact policy vocabulary (学分银行, 5%, 校园长) and numbers; BM25 finds
them. The index is built from the terms stored in each chunk's metadata, so no text is segmented again.

Writes are incremental: adding passages appends them (one posting block per term and batch) and removing
them only marks their positions dead, so an upload into a 100k-passage knowledge base costs work in
proportion to the upload, not to the knowledge base. What depends on the whole collection — document
frequencies, the average length and the length-normalised term weights — is kept as counters and
recomputed lazily, per queried term, after a write. Postings are numpy arrays, so scoring 100k passages
stays a few vectorised adds per query term.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SYNONYM_CREDIT = 0.7  # a synonym in the passage stands in for most, not all, of the question's own word
_MERGE_BLOCKS = 16  # a term's posting blocks are merged into one once it has this many


@dataclass(frozen=True)
class LexicalHit:
    index: int
    score: float


class BM25Index:
    """Passages are addressed by position; positions never move (removed ones are dead until a rebuild)."""

    def __init__(self, docs: Sequence[Sequence[str]] = (), *, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.n = 0  # live passages
        self._size = 0  # positions handed out, dead ones included
        self._lengths = np.zeros(0, dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._total_length = 0.0
        self._blocks: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
        self._df: Counter[str] = Counter()
        self._idf: dict[str, float] = {}
        self._weights: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # term -> (live ids, normalised tf)
        if docs:
            self.add(docs)

    def copy(self) -> BM25Index:
        """An independent index sharing the (never mutated) posting arrays: writers update a copy and swap
        it in, so a question being answered meanwhile keeps reading a consistent index."""
        other = BM25Index.__new__(BM25Index)
        other.k1, other.b, other.n, other._size = self.k1, self.b, self.n, self._size
        other._lengths, other._alive = self._lengths.copy(), self._alive.copy()
        other._total_length = self._total_length
        other._blocks = dict(self._blocks)
        other._df = Counter(self._df)
        other._idf, other._weights = {}, {}
        return other

    @property
    def size(self) -> int:
        """Positions in use, dead ones included: the length of every score array."""
        return self._size

    @property
    def dead(self) -> int:
        return self._size - self.n

    @property
    def avg_len(self) -> float:
        return self._total_length / self.n if self.n else 0.0

    def add(self, docs: Sequence[Sequence[str]]) -> list[int]:
        """Index ``docs``; returns their positions."""
        first = self._size
        count = len(docs)
        self._grow(first + count)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for offset, terms in enumerate(docs):
            pos = first + offset
            self._lengths[pos] = len(terms)
            self._total_length += len(terms)
            for term, tf in Counter(terms).items():
                ids, tfs = postings.setdefault(term, ([], []))
                ids.append(pos)
                tfs.append(tf)
        for term, (ids, tfs) in postings.items():
            # A new list, never an append: a copy of this index may share the old one.
            blocks = [*self._blocks.get(term, ()), (np.array(ids, dtype=np.int32), np.array(tfs, dtype=np.float32))]
            self._blocks[term] = [_merged(blocks)] if len(blocks) >= _MERGE_BLOCKS else blocks
            self._df[term] += len(ids)
        self._alive[first:first + count] = True
        self._size += count
        self.n += count
        self._changed()
        return list(range(first, first + count))

    def remove(self, positions: Sequence[int], terms: Sequence[Sequence[str]]) -> None:
        """Forget the passages at ``positions`` (``terms`` are what they were indexed with)."""
        for pos, doc_terms in zip(positions, terms, strict=True):
            if not self._alive[pos]:
                continue
            self._alive[pos] = False
            self.n -= 1
            self._total_length -= float(self._lengths[pos])
            for term in set(doc_terms):
                self._df[term] -= 1
                if self._df[term] <= 0:
                    del self._df[term]
                    self._blocks.pop(term, None)
        self._changed()

    def _grow(self, needed: int) -> None:
        if needed <= len(self._lengths):
            return
        capacity = max(needed, int(len(self._lengths) * 1.5) + 64)
        self._lengths = np.concatenate([self._lengths, np.zeros(capacity - len(self._lengths), dtype=np.float32)])
        self._alive = np.concatenate([self._alive, np.zeros(capacity - len(self._alive), dtype=bool)])

    def _changed(self) -> None:
        """N and the average length moved: every cached idf and weight is stale."""
        self._idf.clear()
        self._weights.clear()

    def _term(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Live posting ids of ``term`` with their length-normalised tf, computed once per write."""
        cached = self._weights.get(term)
        if cached is not None:
            return cached
        blocks = self._blocks.get(term)
        if not blocks:
            return None
        ids, tf = _merged(blocks) if len(blocks) > 1 else blocks[0]
        if len(blocks) > 1:
            self._blocks[term] = [(ids, tf)]
        keep = self._alive[ids]
        if not keep.all():
            ids, tf = ids[keep], tf[keep]
            self._blocks[term] = [(ids, tf)]
        norm = self.k1 * (1 - self.b + self.b * self._lengths[ids] / (self.avg_len or 1.0))
        cached = self._weights[term] = (ids, tf * (self.k1 + 1) / (tf + norm))
        return cached

    def idf(self, term: str) -> float:
        """Unseen terms get the idf of a term seen once: rare, so they count when weighing a question."""
        cached = self._idf.get(term)
        if cached is None:
            df = self._df.get(term, 0)
            if not self.n:
                cached = 0.0
            elif df:
                cached = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            else:
                cached = math.log(1 + (self.n - 0.5) / 1.5)
            self._idf[term] = cached
        return cached

    def known(self, term: str) -> bool:
        """Whether any indexed passage holds the term."""
        return self._df.get(term, 0) > 0

    def frequency(self, term: str) -> int:
        """How many live passages hold the term."""
        return self._df.get(term, 0)

    def vocabulary(self) -> list[tuple[str, int]]:
        """Every term live passages hold, with how many hold it."""
        return [(t, n) for t, n in self._df.items() if n > 0]

    def scores(self, query_terms: Sequence[str], boost: dict[str, float] | None = None) -> np.ndarray:
        """BM25 of every position (dead ones score 0); ``boost`` scales a term's contribution (synonyms
        count for less)."""
        out = np.zeros(self._size, dtype=np.float32)
        for term in set(query_terms):
            hit = self._term(term)
            if hit is not None:
                out[hit[0]] += self.idf(term) * (boost or {}).get(term, 1.0) * hit[1]
        return out

    def top(self, query_terms: Sequence[str], k: int, allowed: np.ndarray | None = None,
            boost: dict[str, float] | None = None) -> list[LexicalHit]:
        scores = self.scores(query_terms, boost)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        k = min(k, int(np.count_nonzero(scores)))
        if k <= 0:
            return []
        idx = np.argpartition(-scores, k - 1)[:k]
        idx = idx[np.argsort(-scores[idx], kind="stable")]
        return [LexicalHit(int(i), float(scores[i])) for i in idx]

    def weights(self, query_terms: Sequence[str]) -> dict[str, float]:
        """idf of each distinct question term; computed once per question, reused for every passage."""
        return {t: self.idf(t) for t in set(query_terms)}

    def coverage(self, query_terms: Sequence[str] | dict[str, float], doc_terms: Sequence[str] | set[str],
                 alternatives: dict[str, tuple[str, ...]] | None = None) -> float:
        """Share of the question's idf weight that a passage contains: how much of the question it speaks to.

        A term missing from the passage still counts for ``SYNONYM_CREDIT`` of its weight when one of its
        ``alternatives`` (synonyms) is there: 老师 in the question, 教师 in the text.
        """
        weights = query_terms if isinstance(query_terms, dict) else self.weights(query_terms)
        total = sum(weights.values())
        if not total:
            return 0.0
        present = doc_terms if isinstance(doc_terms, set) else set(doc_terms)
        alternatives = alternatives or {}
        got = 0.0
        for t, w in weights.items():
            if t in present:
                got += w
            elif any(a in present for a in alternatives.get(t, ())):
                got += SYNONYM_CREDIT * w
        return got / total


def _merged(blocks: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    return np.concatenate([b[0] for b in blocks]), np.concatenate([b[1] for b in blocks])
