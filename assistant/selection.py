"""Which sentences of the retrieved passages answer the question, best first.

The best answering sentence leads, and what else answers follows it: each other document's own answer, then
sentences of the same passages that add something new, or the table, list or paragraph the best one belongs to.
Each step has a module of its own: which sentences are candidates (``assistant.candidates``), how well each
answers (``assistant.scoring``), which answering sentence leads (``assistant.leading``), which other documents
answer beside it (``assistant.other_documents``) and what of its passages joins it (``assistant.follow_on``).
"""

from __future__ import annotations

import re

from assistant.follow_on import new_terms, read_on
from assistant.leading import lead_first
from assistant.listing import listed_noun
from assistant.other_documents import other_documents
from assistant.question import Question
from assistant.quote import Quote
from assistant.units import extreme_rows

EXTREME_TABLE_SHARE = 0.8  # a table row this close to the best sentence may answer 哪个最多 (dev split)


def choose(q: Question, ranked: list[Quote], named: tuple[str, ...] = (), asked: str = "",
           outside: tuple[str, ...] = ()) -> list[Quote]:
    """The best answering sentence, then what else answers: each other document's own answer, then
    sentences of the same passages that add something new.

    When two documents both answer (国家的通知 says one thing, 省里的方案 another), a teacher needs both,
    each under its own source; a comparison that names two documents gets one answer from each. ``asked`` is the
    teacher's own text when ``q`` joins it with the conversation's topic. A document ``outside`` the programme
    the question names is no other document with an answer of its own (a county's allowance is not 国培's).
    """
    noun = listed_noun(q)
    answering = lead_first(q, ranked, named, noun)
    best = answering[0]
    extreme = _extreme_table(q, best, answering, ranked)
    if extreme:
        return extreme
    chosen = [best, *other_documents(q, best, answering, named, outside)]
    chosen = new_terms(q, best, answering, chosen)
    return read_on(q, best, chosen, ranked, noun, asked)


def _extreme_table(q: Question, best: Quote, answering: list[Quote], ranked: list[Quote]) -> list[Quote]:
    # 哪一项占比最大: a table that can say it answers, when its best row is nearly as good as the best sentence.
    for row in [best, *(s for s in answering if s.header and s.score >= EXTREME_TABLE_SHARE * best.score)][:3]:
        extreme = extreme_rows(row, ranked, q.text)
        if extreme:
            return extreme
    return []


# A sentence that makes an exception to the one before it (送教下乡等…不计入此限, 参加不同类型的项目不受此限制).
_EXCEPTION = re.compile(r"不计入此限|不受此限|不受[^，。；]{0,8}限制|除外|不在此列|另行规定|可放宽|不适用")


def with_exceptions(chosen: list[Quote], ranked: list[Quote]) -> list[Quote]:
    """``chosen`` with, after each sentence, the next one of its passage when that one makes an exception to it:
    a limit quoted without its exception (同一年度只参加1个项目 without 送教下乡不计入此限) says more than the rule."""
    out = list(chosen)
    for s in chosen:
        after = next((o for o in ranked if o.hit is s.hit and o.order == s.order + 1), None)
        if after is not None and after not in out and _EXCEPTION.search(after.text):
            out.insert(out.index(s) + 1, after)
    return out
