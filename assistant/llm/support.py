"""How well a passage supports a sentence that paraphrases it, and whether its figures come from there.

A generated sentence is not a quote, so "is it in the passage" cannot be a substring test. Support is the
mean of three readings, each on a 0–1 scale:

- terms: the idf-free, length-weighted share of the sentence's jieba terms that the passage holds (a
  synonym from the 同义词词林 counts), the same notion of coverage the answer engine uses for questions;
- characters: the share of the sentence's CJK character bigrams found in the passage, which survives
  segmentation differences (培训经费 / 经费 / 培训) and reordered clauses;
- meaning: the embedder's cosine between the sentence and the passage's closest sentence, on the
  retriever's normalised scale (``dense_norm``); left out when no embedder is given.

The threshold a sentence must reach is fitted on the dev split by ``python -m evals.calibrate_support``.

Figures are checked apart from support, because a sentence can share every word with a passage and still
change 5% into 10%: every quantity (value and kind: 5% and 百分之五 are the same) and every bare number
in the sentence must be in the passage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.facts import quantities
from assistant.hits import dense_norm
from assistant.scoring import present
from corpus.text import CJK, fold_width
from indexer.chunking import sentences
from indexer.tokenizer import lexical_terms, to_simplified

# Fitted by ``python -m evals.calibrate_support`` on the dev split (README, "大模型回答").
SUPPORT_THRESHOLD = 0.6346

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_WS = re.compile(r"\s+")
# A list item's own number (2. 强化…, （3）…) orders the answer; it is not a figure taken from a source.
_ORDINAL = re.compile(r"^\s*(?:\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[）)])\s*")


def fold(text: str) -> str:
    """Full-width forms as ASCII (``corpus.text.fold_width``), whitespace removed: how figures are compared."""
    return _WS.sub("", fold_width(text))


def _bigrams(text: str) -> set[str]:
    chars = "".join(CJK.findall(text))
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def term_support(claim: str, passage: str) -> float:
    terms = set(lexical_terms(claim))
    if not terms:
        return 0.0
    words = set(lexical_terms(passage))
    weights = {t: 1.0 + len(t) / 2 for t in terms}
    return sum(w for t, w in weights.items() if present(t, words, passage)) / sum(weights.values())


def char_support(claim: str, passage: str) -> float:
    grams = _bigrams(to_simplified(claim))
    if not grams:
        return 0.0
    held = _bigrams(to_simplified(passage))
    return len(grams & held) / len(grams)


@dataclass
class Support:
    score: float
    terms: float
    chars: float
    meaning: float | None
    best: tuple[int, int] | None  # the passage sentence closest in meaning (or in characters), as a span


class SupportScorer:
    """Scores (sentence, passage) pairs; ``embedder`` is a LangChain ``Embeddings`` or None (lexical only)."""

    def __init__(self, embedder: Any | None = None, threshold: float = SUPPORT_THRESHOLD) -> None:
        self.embedder = embedder
        self.threshold = threshold

    def score(self, claim: str, passage: str) -> Support:
        terms, chars = term_support(claim, passage), char_support(claim, passage)
        spans = sentences(passage, min_chars=4) or [(0, len(passage))]
        meaning, best = None, None
        if self.embedder is not None:
            vectors = np.asarray(self.embedder.embed_documents([passage[s:e] for s, e in spans]), dtype=np.float32)
            query = np.asarray(self.embedder.embed_query(to_simplified(claim)), dtype=np.float32)
            cos = vectors @ query / (np.linalg.norm(vectors, axis=1) * (np.linalg.norm(query) or 1.0) + 1e-9)
            meaning, best = dense_norm(float(cos.max())), spans[int(cos.argmax())]
        if best is None:
            best = max(spans, key=lambda sp: char_support(claim, passage[sp[0]:sp[1]]))
        parts = [terms, chars] + ([meaning] if meaning is not None else [])
        return Support(sum(parts) / len(parts), terms, chars, meaning, best)

    def supported(self, claim: str, passages: Sequence[str]) -> tuple[bool, list[Support]]:
        found = [self.score(claim, p) for p in passages]
        return any(s.score >= self.threshold for s in found), found


def figures(text: str) -> tuple[set[tuple[float, str]], set[str]]:
    """(value, kind) of each quantity, and each bare number not read as part of one."""
    folded = fold(text)
    found = quantities(folded)
    quantified = {(q.value, q.kind) for q in found}
    covered = "".join(q.text for q in found)
    bare = {n for n in _DIGITS.findall(folded) if n not in covered}
    return quantified, bare


def foreign_figures(claim: str, passages: Sequence[str]) -> list[str]:
    """Figures of ``claim`` that none of ``passages`` states (empty when every figure is sourced)."""
    source = fold("".join(passages))
    held, _ = figures(source)
    held_values = {v for v, _ in held}
    quantified, bare = figures(_ORDINAL.sub("", claim))
    out = []
    for value, kind in quantified:
        # A 2025年 may be a year in the passage and a span elsewhere; value and kind must both match,
        # except that a year-like or day-like value stated plainly in the source counts.
        if (value, kind) not in held and not (kind in ("year", "month", "day") and value in held_values):
            out.append(f"{value:g}（{kind}）")
    for number in bare:
        if not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", source):
            out.append(number)
    return out
