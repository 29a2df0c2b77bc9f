"""BM25 over jieba terms, kept in memory beside the vector store.

Dense retrieval alone misses exact policy vocabulary (学分银行, 5%, 校园长) and numbers; BM25 finds
them. The index is rebuilt from the terms stored in each chunk's metadata, so no text is segmented again.
Postings are numpy arrays so that scoring 100k chunks stays a few vectorised adds per query term.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SYNONYM_CREDIT = 0.7  # a synonym in the passage stands in for most, not all, of the question's own word


@dataclass(frozen=True)
class LexicalHit:
    index: int
    score: float


class BM25Index:
    def __init__(self, docs: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.n = len(docs)
        self.k1, self.b = k1, b
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        self.avg_len = float(lengths.mean()) if self.n else 0.0
        postings: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
        for i, terms in enumerate(docs):
            for term, tf in Counter(terms).items():
                ids, tfs = postings[term]
                ids.append(i)
                tfs.append(tf)
        norm = k1 * (1 - b + b * lengths / self.avg_len) if self.n else lengths
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._idf: dict[str, float] = {}
        for term, (ids, tfs) in postings.items():
            idx = np.array(ids, dtype=np.int32)
            tf = np.array(tfs, dtype=np.float32)
            self._postings[term] = (idx, tf * (k1 + 1) / (tf + norm[idx]))
            self._idf[term] = math.log(1 + (self.n - len(ids) + 0.5) / (len(ids) + 0.5))

    def idf(self, term: str) -> float:
        """Unseen terms get the idf of a term seen once: rare, so they count when weighing a question."""
        return self._idf.get(term, math.log(1 + (self.n - 0.5) / 1.5) if self.n else 0.0)

    def known(self, term: str) -> bool:
        """Whether any indexed passage holds the term."""
        return term in self._postings

    def scores(self, query_terms: Sequence[str], boost: dict[str, float] | None = None) -> np.ndarray:
        """BM25 of every passage; ``boost`` scales a term's contribution (synonyms count for less)."""
        out = np.zeros(self.n, dtype=np.float32)
        for term in set(query_terms):
            hit = self._postings.get(term)
            if hit is not None:
                out[hit[0]] += self._idf[term] * (boost or {}).get(term, 1.0) * hit[1]
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
