"""How well each candidate sentence answers the question.

A sentence earns its place by covering the question's key terms (or their synonyms), by the embedder's
sentence-level similarity, and by holding the kind of fact asked for: for "how many" a sentence with the
right kind of figure beats a topical one without it, even in a lower passage. What a sentence is about is read
with what it sits under: its document's subject, the name its line opens with, its section's headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.asked_facts import holds_fact
from assistant.catalogue import subject_terms
from assistant.hits import Retrieval, dense_norm
from assistant.question import Question
from assistant.quote import Quote, lead_in
from indexer.chunking import PATH_SEPARATOR, question_heading
from indexer.thesaurus import synonyms
from indexer.tokenizer import lexical_terms

SHORT_DOCUMENT = 2  # chunks: a document this short is about its title in every line
RESTATED = 0.9  # an FAQ entry whose question covers this share of the teacher's counts as on its words
_BULLETED = re.compile(r"^\s*[-•·*]\s")  # a bulleted item, not a numbered rule (5.教师在职取得…)
_KEYED = re.compile(r"^\s*[-•·*]\s*[^：:，。]{1,8}[：:]")
_POINTS_BACK = re.compile(r"不受此限制?|不计入此限|不在此限")


def term_weights(q: Question) -> dict[str, float]:
    """Longer terms say more (学分银行 over 学分); the key terms of the question count double."""
    focus = set(q.focus)
    return {t: (1.0 + len(t) / 2) * (2.0 if t in focus else 1.0) for t in set(q.terms)}


def present(term: str, words: set[str], text: str, alternatives: tuple[str, ...] = ()) -> bool:
    """The term, a synonym of it, or (for an English question) another rendering of its word is there."""
    return (term in words or term in text or any(s in text for s in synonyms(term))
            or any(a in text for a in alternatives))


def coverage(weights: dict[str, float], text: str, alternatives: dict[str, tuple[str, ...]] | None = None,
             context: str = "") -> float:
    """Weighted share of the question's terms in ``text``, read together with ``context`` (its headings) if given.
    Both are tokenised on their own, so a sentence or a heading seen before costs a cache lookup."""
    words = set(lexical_terms(text)) | (set(lexical_terms(context)) if context else set())
    where = f"{text}\n{context}" if context else text
    total = sum(weights.values()) or 1.0
    alts = alternatives or {}
    return sum(w for t, w in weights.items() if present(t, words, where, alts.get(t, ()))) / total


@dataclass(frozen=True)
class SelectionWeights:
    """How a sentence's signals add up; fitted by ``python -m evals.tune`` on the dev split only."""

    cover: float = 0.5
    dense: float = 1.0
    passage: float = 0.25  # the passage's rerank score relative to the best passage
    rank: float = 0.04  # penalty per rank of the passage
    fact: float = 0.0  # (fact-holding is already a filter for figure and date questions)
    scope: float = 0.0
    heading: float = 0.2  # the question's terms in the passage's section path


def topic_heading(section: str) -> str:
    """The headings a sentence sits under, as what it is about (五、考核评价 over 总评70分及以上为合格); an FAQ
    entry's own question is left out: it restates a teacher's question and says nothing of the sentence's topic."""
    parts = section.split(PATH_SEPARATOR)
    return PATH_SEPARATOR.join(parts[:-1] if question_heading(section) else parts)


def features(q: Question, retrieval: Retrieval, pool: list[Quote]) -> list[tuple[float, ...]]:
    """Per candidate: cover, dense, passage, -rank, fact, scope, heading (the order of SelectionWeights)."""
    weights = term_weights(q)
    alternatives = q.alternatives()
    top = retrieval.hits[0].score or 1.0 if retrieval.hits else 1.0
    named = set(retrieval.named)
    # The retriever already scored the top passages sentence by sentence with the embedder; that
    # similarity carries paraphrases and English questions that share no words with the text.
    cosine = {(h.id, s): c for h in retrieval.hits for s, _, c in h.sentences}
    rows = []
    # An FAQ entry whose own question says all the teacher asked (学分多久能查到？) is answered by its reply, though
    # the reply does not repeat the question's words (培训机构在项目结束后30日内完成登记).
    restated = {h.id for h in retrieval.hits
                if (asked := question_heading(h.section)) and coverage(weights, asked, alternatives) >= RESTATED}
    # The name a document gives its whole subject (国培计划) is said of every sentence in it, as the rerank counts it:
    # repeated in 强化“国培计划”的示范引领作用, it outranked 重点支持中西部欠发达地区 for 国培计划重点支持哪些地区.
    docs = {s.hit.doc_id for s in pool}
    everywhere = " ".join(t for t in retrieval.common if t in weights)
    # A document of a chunk or two (青山县2025年国培送教下乡安排: 一、时间：… 二、地点：…) is about what its title says
    # in every line, as a section is about its heading.
    subject = {d.doc_id: " ".join([*subject_terms(weights, [d]), everywhere, d.title if d.chunks <= SHORT_DOCUMENT else ""])
               for d in retrieval.documents if d.doc_id in docs}
    for s in pool:
        # 1. 集体备课。各教研组每两周至少开展一次。: the name the line opens with says what the sentence is about.
        about = f"{subject.get(s.hit.doc_id, '')}\n{lead_in(s)}"
        # 不受此限制 points back at the rule before it: its 限制 is that rule's, not a word the sentence says of its own.
        own = _POINTS_BACK.sub("", s.text)
        s.cover = coverage(weights, own, alternatives, context=about)
        if s.hit.id in restated:
            s.cover = max(s.cover, RESTATED)
        s.topic = coverage(weights, own, alternatives, context=f"{topic_heading(s.hit.section)}\n{about}")
        if _BULLETED.match(s.text) and not _KEYED.search(s.text):
            # A bare list item (- 《教学勇气》) names no more than itself: the heading it is listed under says what
            # it is. An item with its own key (- 培训对象：…) says that itself.
            s.cover = max(s.cover, s.topic)
        s.dense = dense_norm(cosine.get((s.hit.id, s.start), s.hit.dense))
        s.fact = holds_fact(q, s.text, s.header)
        rows.append((s.cover, s.dense, s.hit.score / top, -float(s.hit_rank),
                     float(q.wants_fact and s.fact), float(s.hit.doc_id in named), s.hit.heading))
    return rows


def score(q: Question, retrieval: Retrieval, pool: list[Quote],
          weights: SelectionWeights | None = None) -> list[Quote]:
    """Score every candidate and return them best first."""
    if not pool:
        return []
    w = weights or SelectionWeights()
    vector = (w.cover, w.dense, w.passage, w.rank, w.fact, w.scope, w.heading)
    for s, row in zip(pool, features(q, retrieval, pool), strict=True):
        s.score = sum(a * b for a, b in zip(vector, row, strict=True))
    return sorted(pool, key=lambda s: s.score, reverse=True)
