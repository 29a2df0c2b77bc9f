"""Which other documents answer beside the best sentence's, each by its own answer.

When two documents both answer (国家的通知 says one thing, 省里的方案 another), a teacher needs both, each under its
own source; a comparison that names two documents gets one answer from each. A document quoted beside the best
one answers nearly as well and on the same topic, else it only shares the teacher's words.
"""

from __future__ import annotations

import re

from assistant.asked_facts import figure_keys
from assistant.question import Asks, Question
from assistant.quote import Quote

MAX_DOCUMENTS = 3
# Another document's sentence is quoted beside the best one when it is nearly as good an answer.
OTHER_DOCUMENT_SHARE = 0.85
OTHER_DOCUMENT_COVER = 0.8
_HOW_COUNTED = re.compile(r"(?:怎么|如何|怎样)(?:计算?|算|折|认定)|口径|计算方法|折算(?:办法|标准|比例)")


def other_documents(q: Question, best: Quote, answering: list[Quote], named: tuple[str, ...] = (),
                    outside: tuple[str, ...] = ()) -> list[Quote]:
    """Each other document's own answer, for a teacher needs every source that answers, not only the best one's.
    A document ``outside`` the programme the question names is no other document with an answer of its own (a
    county's allowance is not 国培's)."""
    others: list[Quote] = []
    docs = {best.hit.doc_id}
    compare = [d for d in named if d != best.hit.doc_id] if len(named) >= 2 else []
    alike = _same_kind_of_figure(q, best, answering, compare)

    def rival(s: Quote) -> bool:
        return (not named or s.hit.doc_id in named) and s.hit.doc_id not in outside \
            and s.score >= OTHER_DOCUMENT_SHARE * best.score \
            and s.topic >= OTHER_DOCUMENT_COVER * best.topic

    for s in answering[1:]:
        if len(docs) >= MAX_DOCUMENTS or s.hit.doc_id in docs:
            continue
        wanted = s.hit.doc_id in compare
        if id(s) not in alike and any(id(o) in alike and o.hit.doc_id == s.hit.doc_id and (wanted or rival(o))
                                      for o in answering):
            continue  # the same document has a figure of the same kind: that one answers beside the best
        if wanted or rival(s):
            others.append(s)
            docs.add(s.hit.doc_id)
    return others


def _same_kind_of_figure(q: Question, best: Quote, answering: list[Quote], compare: list[str]) -> set[int]:
    # Beside a figure, another document is quoted for the same kind of figure (its own 每N学时 beside a
    # conversion rate, its own yearly amount beside a yearly amount), not for whatever it says best; but
    # only a figure on the same topic: 五年内不重复参加 is a span of time, and no answer beside 请假1天以上.
    keys = figure_keys(q, best.text, best.header) if q.asks == Asks.QUANTITY else set()
    if compare and not keys and _HOW_COUNTED.search(q.text):
        # Two documents compared on how a thing is counted (线上学时怎么算，两份文件口径一样吗): one's rate
        # (每45分钟计1学时) beside the other's (每40分钟计1学时), not whatever else it says best.
        keys = {k for k in figure_keys(q, best.text, best.header) if k[0] == "rate"}
    return {id(s) for s in answering if keys & figure_keys(q, s.text, s.header)
            and s.topic >= OTHER_DOCUMENT_COVER * best.topic}
