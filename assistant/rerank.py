"""The rerank of the fused candidates, in two stages. Fusion by rank alone cannot tell a passage that speaks to
the question from one that shares its words: the first stage adds what a teacher's question gives away (the
document or section it names, the kind of fact it wants, how much of it a passage covers); the second reads the
best few sentence by sentence, since a passage answers by one sentence of it, not by its average.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.asked_facts import holds_fact
from assistant.catalogue import subject_terms
from assistant.hits import Hit, dense_norm
from assistant.listing import LIST_LINE, listed_noun, lists_kinds
from assistant.passage_index import PassageIndex
from assistant.question import Question, states_eligibility
from indexer.chunking import question_heading, sentences
from indexer.structure import PATH_SEPARATOR, heading_name
from indexer.thesaurus import synonyms

# An FAQ heading is a short question, worded like the teacher's: its similarity runs a little higher than a
# sentence's that answers as well, so it speaks for its passage at this discount (chosen on the dev split).
HEADING_DISCOUNT = 0.01
HEADING_QUOTED_MIN = 4  # characters of a heading's name the question must repeat verbatim


@dataclass(frozen=True)
class RerankWeights:
    """Fitted by ``python -m evals.tune`` on the dev split of the eval sets (recall@1, MRR tie-break)."""

    dense: float = 0.4
    lexical: float = 0.1
    coverage: float = 0.3
    heading: float = 0.0
    fused: float = 0.0
    sentence: float = 0.9
    scope: float = 0.3  # bonus for a passage of a document the question names
    fact: float = 0.1  # bonus for a passage holding the kind of fact asked for (a figure, a date)
    sentence_top_n: int = 8  # candidates whose sentences are scored one by one


def rerank(hits: list[Hit], terms: tuple[str, ...], lex: PassageIndex, qvec: np.ndarray, question: Question,
           named: tuple[str, ...], alternatives: dict[str, tuple[str, ...]], outside: tuple[str, ...],
           w: RerankWeights, embedder: Embeddings) -> None:
    """Scores ``hits`` in place: the signals it sets on them (coverage, each sentence's cosine) are read again
    when the answer's sentences are chosen and judged."""
    max_lex = max((h.lexical for h in hits), default=0.0) or 1.0
    max_fused = max((h.fused for h in hits), default=0.0) or 1.0
    weights = lex.bm25.weights(terms)
    # 国培计划有哪些项目: the notice's 支持重点 lists them without repeating 国培计划, the name the whole notice
    # is about; in its own document that name counts as said in every passage.
    in_hits = {h.doc_id for h in hits}
    subject = {d.doc_id: subject_terms(terms, [d]) for d in lex.catalogue if d.doc_id in in_hits}
    listed = listed_noun(question)
    for h in hits:
        pos = lex.position.get(h.id)
        doc_terms = lex.terms[pos] if pos is not None else str(h.metadata.get("lex", "")).split()
        doc_terms = set(doc_terms) | subject.get(h.doc_id, set())
        head_terms = lex.heading_terms[pos] if pos is not None else set()
        h.coverage = lex.bm25.coverage(weights, doc_terms, alternatives)
        h.heading = lex.bm25.coverage(weights, head_terms, alternatives)
        h.score = (w.dense * dense_norm(h.dense) + w.lexical * h.lexical / max_lex
                   + w.coverage * h.coverage + w.heading * h.heading + w.fused * h.fused / max_fused)
        if named and h.doc_id in named:
            h.score += w.scope
        if h.doc_id in outside:  # as far below the programme's documents as a named one is above the rest
            h.score -= w.scope
        # 强化能力建设，健全教师发展支持服务体系具体怎么搞 (a heading copied, or 第三项 resolved to it) names its
        # section as plainly as 省方案 names a document.
        if _names_section(question.text, h, named):
            h.score += w.scope
        if w.fact:
            h.score += w.fact * answer_kinds(question, h, listed)
    # Second stage: a chunk is as relevant as its best sentence. An FAQ entry is also about the question
    # in its heading (1. 哪些教师可以参加“国培计划”项目？): when that question is closer to the teacher's than
    # any sentence of the answer, it speaks for the passage. Both kinds of vector were computed at indexing
    # time into the embedding cache (``indexer.pipeline.rerank_texts``): one cache lookup, no model work.
    first = sorted(hits, key=lambda h: h.score, reverse=True)
    top = first[: w.sentence_top_n]
    if len(named) >= 2:  # a comparison: each document it names is read sentence by sentence too
        missing = [doc for doc in named if not any(t.doc_id == doc for t in top)]
        top += [h for doc in missing if (h := _best_of(first, doc)) is not None]
    spans = [(h, s, e) for h in top for s, e in sentences(h.text)]
    if not spans:
        return
    asked = [(h, q) for h in top if (q := question_heading(h.section))]
    texts = [h.text[s:e] for h, s, e in spans] + [q for _, q in asked]
    cosines = np.asarray(embedder.embed_documents(texts), dtype=np.float32) @ qvec
    for (h, s, e), cos in zip(spans, cosines[: len(spans)], strict=True):
        h.sentences.append((s, e, float(cos)))
    for h in top:
        h.sentence = max((c for _, _, c in h.sentences), default=h.dense)
    for (h, _), cos in zip(asked, cosines[len(spans):], strict=True):
        h.sentence = max(h.sentence, float(cos) - HEADING_DISCOUNT)
    for h in top:
        h.score += w.sentence * dense_norm(h.sentence)


def _names_section(text: str, hit: Hit, named: tuple[str, ...]) -> bool:
    """The question repeats the name of one of the passage's headings (指导思想, 学分银行, or a whole heading
    copied); not when it names another document than the passage's: 国家说匿名评价… asks the notice, whatever
    the FAQ's 七、匿名评价 covers."""
    if named and hit.doc_id not in named:
        return False
    return any(len(name := heading_name(part)) >= HEADING_QUOTED_MIN and name in text
               for part in hit.section.split(PATH_SEPARATOR))


def answer_kinds(question: Question, hit: Hit, listed: str) -> int:
    """How many of the kinds of answer the question wants the passage holds: the fact asked for (a figure, a
    date), kinds of the thing a list question names (``listed``: 项目 → 示范项目, 骨干项目), whom a training is
    for when the question asks who may take part."""
    return (int(question.wants_fact and holds_fact(question, hit.text))
            + int(bool(listed) and (lists_kinds(listed, hit.text) or _headed_list(listed, hit)))
            + int(question.asks_eligibility and states_eligibility(f"{hit.section}\n{hit.text}")))


def _headed_list(noun: str, hit: Hit) -> bool:
    """目标有几条 asked of a section headed 课程目标 whose passage is a numbered list: its items are the 目标."""
    heading = heading_name(hit.section.split(PATH_SEPARATOR)[-1])
    items = sum(1 for line in hit.text.splitlines() if LIST_LINE.match(line) and not line.rstrip().endswith(("：", ":")))
    return heading.endswith((noun, *synonyms(noun))) and items >= 2


def _best_of(ranked: list[Hit], doc: str) -> Hit | None:
    return next((h for h in ranked if h.doc_id == doc), None)


def each_named(ranked: list[Hit], k: int, named: tuple[str, ...]) -> list[Hit]:
    """The top ``k``, with room for each document a comparison names (省方案和国家通知在学分上有啥不一样): its best
    passage takes the place of the last one from a document that has more than one."""
    top = ranked[:k]
    if len(named) < 2:
        return top
    for doc in named:
        if any(h.doc_id == doc for h in top):
            continue
        own = _best_of(ranked[k:], doc)
        counts = {d: sum(h.doc_id == d for h in top) for d in {h.doc_id for h in top}}
        spare = next((i for i in range(len(top) - 1, 0, -1) if counts[top[i].doc_id] > 1), None)
        if own is None or spare is None:
            continue
        top = [*top[:spare], *top[spare + 1:], own]
    return top
