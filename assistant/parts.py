"""A question in several parts (学分是几年一个周期，每年最少要拿多少分): what each further part asks, and which
sentence answers it.

The question as a whole is read by its leading ask (``Question.asks``), and the sentences are chosen for it. A
teacher who asks two things wants both answered: the part the leading ask does not cover is read on its own, with
the key terms of the rest of the question it leaves unsaid (学分 for 每年最少要拿多少分), and gets the best sentence
that answers it, unless the sentences already chosen do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.asked_facts import holds_fact
from assistant.question import Asks, Question, analyse, clauses
from assistant.quote import Quote
from assistant.scoring import present

# Words that are no key term of a part: asking whether a document says it (有没有规定, 答疑里有没有说, 能对比一下吗),
# an A-not-A ask (够不够) or an ask word (多长时间).
_NOT_OWN = re.compile(r"规定|文件|通知|方案|指南|大纲|答疑|问答|说|讲|提|写|对比|比较|帮|理|列|一样|一致|意思|对吧|对不对|"
                           r"(.)不\1|多少|几|多长|多久|什么|啥|哪|谁")
# Only a part asking for a fact a sentence either holds or not gets a sentence of its own: a yes/no or how part
# beside another (有没有封顶？最多能占多少学时) mostly frames it, and any sentence sharing its words would pass.
_FACT_PARTS = (Asks.QUANTITY, Asks.DATE, Asks.LOCATION, Asks.CONTACT, Asks.ACTOR)
# A further part's answer may come from a sentence this far below the best one (dev split).
PART_SHARE = 0.5
MAX_PART_CHARS = 160


@dataclass(frozen=True)
class Part:
    """A further part of a question: read on its own, and the key terms only it names."""

    question: Question
    own: tuple[str, ...]
    lead: bool = False  # the part the sentences were chosen for: only a sentence on all its own terms answers it


def _own_terms(read: list[tuple[str, Question]], i: int) -> tuple[str, ...]:
    """The key terms clause ``i`` names and no other clause of the question does."""
    rest = "".join(c for j, (c, _) in enumerate(read) if j != i)
    return tuple(t for t in read[i][1].focus if len(t) >= 2 and t not in rest and not _NOT_OWN.search(t))


def further_parts(q: Question) -> list[Part]:
    """The parts after the one that leads (``q.asks``), each of which asks something of its own."""
    if q.asks in (Asks.DOCUMENT, Asks.OTHER) or q.cross_lingual:
        return []
    parts_said = clauses(q.text)
    if len(parts_said) < 2:
        return []
    read = [(c, analyse(c)) for c in parts_said]
    lead = next((i for i, (_, p) in enumerate(read) if p.asks == q.asks), None)
    if lead is None:
        return []
    parts = []
    for i, (clause, p) in enumerate(read):
        if i == lead or p.asks not in _FACT_PARTS:
            continue
        own = _own_terms(read, i)
        # An elliptical part (每人补多少) is about what the rest of the question named.
        unsaid = "".join(t for t in q.focus if t not in clause) if not own else ""
        whole = analyse(unsaid + clause) if unsaid else p
        part = whole if whole.asks == p.asks else p
        if part.asks == q.asks and part.unit == q.unit:
            continue  # 省方案定的是多少，骨干班大纲又定的多少 asks the same thing twice
        parts.append(Part(part, own))
    return parts


def leading_part(q: Question) -> Part | None:
    """Of two questions asked one after the other (参加国培要不要自己交培训费？来回路费谁出？), the one whose kind of fact
    the sentences were chosen for, with the key terms only it names. A sentence of that kind on the other
    question's topic (the 教育局 to report a fee to) does not answer it, so it is checked like a further part."""
    if q.asks not in _FACT_PARTS or q.cross_lingual:
        return None
    if len([c for c in re.split(r"[？?]", q.text) if c.strip()]) < 2:
        return None
    read = [(c, analyse(c)) for c in clauses(q.text)]
    for i, (_, p) in enumerate(read):
        if p.asks != q.asks:
            continue
        own = _own_terms(read, i)
        return Part(p, own, lead=True) if own else None
    return None


def _on(part: Part, text: str) -> bool:
    """At least half the key terms only the part names are there (语文骨干班九个模块里…的占比 is not answered by a
    share of 骨干教师能力提升项目); all of them for the leading part."""
    found = sum(1 for t in part.own if present(t, set(), text))
    if part.lead:
        return found == len(part.own)
    return 2 * found >= len(part.own) and (found > 0 or not part.own)


def _answers(part: Part, s: Quote) -> bool:
    return holds_fact(part.question, s.text, s.header) and _on(part, f"{s.text}\n{s.hit.section}")


def answer_parts(q: Question, ranked: list[Quote], chosen: list[Quote]) -> list[Quote]:
    """``chosen`` with, for each further part of ``q`` that none of it answers, the best sentence that does."""
    if not chosen:
        return chosen
    best = max(s.score for s in chosen)
    result = list(chosen)
    lead = leading_part(q)
    for part in ([lead] if lead else []) + further_parts(q):
        if any(_answers(part, s) for s in result):
            continue
        # An elliptical part goes on with what was quoted: its answer is in a passage already quoted.
        quoted = {s.hit.id for s in result}
        pick = next((s for s in ranked if s not in result and s.score >= PART_SHARE * best and _answers(part, s)
                     and (part.own or s.hit.id in quoted)), None)
        if pick is not None and len(pick.text) <= MAX_PART_CHARS:
            result.append(pick)
    return result
