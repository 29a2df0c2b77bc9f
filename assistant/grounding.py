"""Does the knowledge base answer what was asked, or only touch the topic?

Retrieval always returns the nearest passages; near is not the same as answering. Three things that a
question asks and a passage either has or has not decide it:

- the kind of fact requested: "多少钱" needs a sum of money, "什么时候" a date, "网址" an address; no
  on-topic sentence with such a fact means the documents do not state it;
- the years it asks about: a year that no passage names, nor any period a passage gives, is outside what
  the documents cover;
- its key terms: a key term (考试, 补贴) that occurs nowhere in the knowledge base, not even as a synonym,
  is a subject the documents never address, provided it carries a real share of the question.

The outcome is a verdict with a teacher-readable description of what is missing, which the answer states
plainly ("知识库中的文件没有写明…") before quoting what the documents do say on the topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.facts import covers_year
from assistant.question import Asks, Question
from assistant.retrieval import Retrieval
from assistant.selection import Quote, term_weights

_FACT_NAMES = {
    "percent": "具体比例", "money": "具体金额", "hours": "具体学时", "credits": "具体学分", "score": "分数要求",
    "duration": "具体时长", "count": "具体数量", None: "具体数字",
}


@dataclass(frozen=True)
class GroundingPolicy:
    """Thresholds of the answerability check; fitted on the dev split of the eval sets only."""

    fact_min_cover: float = 0.25  # a fact-holding sentence must also be this much on topic
    cross_lingual_min_dense: float = 0.3  # ... or, for a question in another language, this similar
    unknown_share: float = 0.3  # share of the question's weight carried by unknown key terms
    unknown_max_dense: float = 0.75  # unless the best sentence is this similar to the question


@dataclass(frozen=True)
class Verdict:
    answered: bool
    missing: str = ""  # what the documents do not state, for the teacher ("培训补贴的具体金额")
    reason: str = ""  # fact | year | term: which check decided (reported in evals)


def _topic(q: Question, avoid: tuple[str, ...] = ()) -> str:
    words = [t for t in q.focus if t not in avoid][:2]
    return "".join(words)


def judge(q: Question, retrieval: Retrieval, ranked: list[Quote],
          policy: GroundingPolicy | None = None) -> Verdict:
    policy = policy or GroundingPolicy()
    # Passages and document titles (国家级培训计划（2021—2025年）) both say which years are covered.
    texts = [h.text for h in retrieval.hits] + [d.title for d in retrieval.documents]
    issued = {d.year for d in retrieval.documents if d.year}
    for year in q.years:
        if year not in issued and not any(covers_year(t, year) for t in texts):
            return Verdict(False, f"{year}年的相关安排", "year")
    # A cross-lingual question shares no words with the passages; only the embedder can say it is on topic.
    on_topic = (lambda s: s.dense >= policy.cross_lingual_min_dense) if q.cross_lingual else (
        lambda s: s.cover >= policy.fact_min_cover)
    if q.wants_fact and not any(s.fact and on_topic(s) for s in ranked):
        name = {Asks.DATE: "具体时间", Asks.LOCATION: "网址或地点", Asks.CONTACT: "联系方式"}.get(
            q.asks, _FACT_NAMES.get(q.unit, "具体数字"))
        topic = "" if q.cross_lingual else _topic(q)
        return Verdict(False, f"{topic}的{name}" if topic else name, "fact")
    if retrieval.unknown and ranked and not q.cross_lingual:
        weights = term_weights(q)
        total = sum(weights.values()) or 1.0
        share = sum(weights.get(t, 0.0) for t in retrieval.unknown) / total
        best_dense = max(s.dense for s in ranked)
        if share >= policy.unknown_share and best_dense < policy.unknown_max_dense:
            return Verdict(False, "、".join(f"「{t}」" for t in retrieval.unknown), "term")
    return Verdict(True)
