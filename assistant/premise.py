"""Correcting a wrong premise by comparing like with like.

"按10%安排对吗？" deserves "原文规定的是 5%，而不是 10%" before the quote. The comparison is only ever
between facts of the same kind in the sentence that answers: a share with a share, hours with hours, a
period with a period, a deadline month with a deadline month, an actor with an actor. A year the question
mentions in passing (2027年还按这个通知执行吗) is not a claim about the notice's period and is never
"corrected"; whether the sources cover that year is the answerability check's business.
"""

from __future__ import annotations

import re

from assistant.facts import actors, periods, quantities
from assistant.question import Question
from corpus.text import HAN

_COMPARABLE = ("percent", "money", "hours", "credits", "score", "duration", "count", "month")
_AGENT = re.compile(r"由([" + HAN + r"]{2,12}?)(担任|负责|组织|牵头|统筹|审核|认定|发放|承担)")


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def corrections(q: Question, evidence: str) -> list[str]:
    """One line per wrong premise found; empty when the question's facts agree with the evidence."""
    out: list[str] = []
    stated = quantities(evidence)
    for kind in _COMPARABLE:
        asked = [f for f in quantities(q.text) if f.kind == kind]
        found = [f for f in stated if f.kind == kind]
        if not asked or not found:
            continue
        values = {f.value for f in found}
        wrong = [f for f in asked if f.value not in values]
        if wrong and len(asked) <= 2:
            right = "、".join(dict.fromkeys(f.text for f in found))
            out.append(f"原文规定的是 {right}，而不是 {'、'.join(f.text for f in wrong)}")
    asked_periods, found_periods = q.periods, periods(evidence)
    if asked_periods and found_periods and not set(asked_periods) & set(found_periods):
        a, b = found_periods[0]
        qa, qb = asked_periods[0]
        out.append(f"原文的期限是 {a}—{b}年，而不是 {qa}—{qb}年")
    if q.yesno:
        agent = _AGENT.search(evidence)
        if agent:
            actual, verb = agent.group(1), agent.group(2)
            wrong_actors = [a for a in dict.fromkeys(actors(q.text)) if a not in evidence]
            if wrong_actors and actual not in q.text:
                out.append(f"原文规定由{actual}{verb}，而不是{'、'.join(wrong_actors)}")
    return out
