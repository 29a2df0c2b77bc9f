"""Correcting a wrong premise by comparing like with like.

"按10%安排对吗？" deserves "原文规定的是 5%，而不是 10%" before the quote. The comparison is only ever
between facts of the same kind in the sentence that answers: a share with a share, hours with hours, a
period with a period, a deadline month with a deadline month, an actor with an actor. A year the question
mentions in passing (2027年还按这个通知执行吗) is not a claim about the notice's period and is never
"corrected"; whether the sources cover that year is the answerability check's business.
"""

from __future__ import annotations

import re

from assistant.facts import (
    Quantity,
    actors,
    bound,
    clause_of,
    cycle_length,
    names_plan,
    periods,
    quantities,
    years,
)
from assistant.question import Asks, Question, per_asked
from assistant.scoring import present
from corpus.text import HAN
from indexer.thesaurus import synonyms
from indexer.tokenizer import lexical_terms, to_simplified

CONTEXT_CHARS = 12
_COMPARABLE = ("percent", "money", "hours", "credits", "score", "age", "duration", "count", "month", "day")
# A clause about the teacher (我/我们/咱) states a circumstance unless it reports a rule (听说, 规定, 要求…).
_SELF = re.compile(r"我|咱|俺|本人|全校|本校")
_RULE_TALK = re.compile(r"听说|听人说|据说|规定|要求|必须|须|应当|应该|得|说是|说要|标准|是不是|对吗|是吗|对吧|对不对|是吧|没错吧"
                        r"|要[\d一二三四五六七八九十两]")
# A question that ends by asking whether what it said is right (我们学校按10%安排，对吗) puts what it said up
# for checking, though it is about the teacher's own school.
_CONFIRM = re.compile(r"(?:对吗|对吧|对不对|是吗|是吧|没错吧|合规吗|符合规定吗|符合要求吗|可以吗)[？?。！!\s]*$")
_WHEN = re.compile(r"(?:前|近|过去|这|头|最近)$")
# 网络匿名评估是由专家来做的吧: what is done, and who the teacher says does it.
_DONE_BY = re.compile(r"([" + HAN + r"]{2,12}?)(?:是|都是|主要是)?由([" + HAN + r"]{2,8}?)(?:来)?"
                      r"(?:做|进行|开展|组织|负责|实施|评|打分|评价|评估|承担)")
_AGENT = re.compile(r"由([" + HAN + r"]{2,12}?)(担任|负责|组织|牵头|统筹|审核|认定|发放|承担)")


def _given(q: Question | None, f: Quantity) -> bool:
    """24个学时 in 同样是24个学时，分别能换几个学分: what a figure of another kind is worked out from, not a claim."""
    return q is not None and q.asks == Asks.QUANTITY and q.unit is not None and f.kind != q.unit


def claimed(text: str, q: Question | None = None) -> list[Quantity]:
    """The question's figures, less spans that only name a plan (五年规划) and figures the teacher gives about
    themselves or about what happened (我怀孕五个月了, 全校就6个老师, 住院了一周): a circumstance, not a claim
    about what the rules say."""
    out = []
    for f in quantities(text):
        start = text.find(f.text)
        end = start + len(f.text)
        # 安排一个校本实践阶段: 一个 is the article "a", not a count, unless the teacher limits it (只报一个).
        if f.text in ("一个", "一项", "一次") and not re.search(r"[只仅就][^，。？！,?!]{0,3}$", text[:start]):
            continue
        # 几年一个周期: the cycle is what is measured, not a length the teacher claims.
        if names_plan(text, f) or per_asked(f, text) or f.names_span or _given(q, f):
            continue
        clause = clause_of(text, f)
        # 住院了一周, 请了三天假, 怀孕五个月了: something that happened, told as it happened; 前两年没去成,
        # 这两年, 过去三年: when it happened.
        happened = text[start - 1:start] == "了" or text[end:end + 1] == "了" \
            or (f.kind == "duration" and bool(_WHEN.search(text[max(0, start - 2):start])))
        if (_SELF.search(clause) or happened) and not _RULE_TALK.search(clause) \
                and not (_SELF.search(clause) and _CONFIRM.search(text)):
            continue
        out.append(f)
    return out


def _meets(said: str, asked: Quantity, evidence: str, rule: Quantity) -> bool:
    """教龄3年 against 教龄满2年: the teacher's own figure that meets the rule's bound is their circumstance, not
    a wrong premise. A figure the teacher gives as a rule (要教龄满3年吗, 听说要3年) is still compared as it is."""
    if bound(said, asked) or _RULE_TALK.search(clause_of(said, asked)):
        return False
    limit = bound(evidence, rule)
    return (limit > 0 and asked.value >= rule.value) or (limit < 0 and asked.value <= rule.value)


def _around(text: str, f: Quantity, width: int) -> str:
    at = text.find(f.text)
    return "" if at < 0 else text[max(0, at - width):at] + text[at + len(f.text):at + len(f.text) + width]


def _same_subject(question: str, asked: Quantity, evidence: str, found: Quantity, *, clause: bool = False) -> int:
    """How many terms (or synonyms) the words next to the two figures share: any means they measure the same
    thing. With ``clause``, only the figure's own clause counts (70分及以上为合格，85分及以上为优秀: 85分 is
    not 合格)."""
    # The unit itself (学时 beside 六十学时) says how it is measured, not what is measured.
    units = {asked.unit, found.unit}
    near_q = [t for t in lexical_terms(_around(question, asked, CONTEXT_CHARS)) if len(t) > 1 and t not in units]
    window = clause_of(evidence, found) if clause else _around(evidence, found, CONTEXT_CHARS + 4)
    words = set(lexical_terms(window))
    return sum(present(t, words, window) for t in near_q)


def corrections(q: Question, evidence: str, own: str | None = None, best: str = "") -> list[str]:
    """One line per wrong premise found; empty when the question's facts agree with the evidence.

    ``own`` is what the teacher typed this turn: a follow-up (那换个类别呢) is read in the light of earlier
    turns, but only figures the teacher states now are premises to correct (一年能参加几次 two turns back is
    no claim about the answer to this one). ``best`` is the sentence that answers best: when its only figure of
    a kind is the teacher's (返岗后3个月内 for 培训结束后三个月内要做什么), another document's figure beside it
    (结束后15个工作日内完成登记) corrects nothing."""
    out: list[str] = []
    said = q.text if own is None else to_simplified(own)
    stated = quantities(evidence)
    in_best = quantities(best)
    named_years = set(years(said))
    for kind in _COMPARABLE:
        own_kind = [g for g in in_best if g.kind == kind]
        found = [f for f in stated if f.kind == kind]
        # A rule said of the very year the teacher names (其中2021年于5月底前) overrides the best sentence's figure.
        of_year = any(_said_of(evidence, g, named_years) for g in found)
        asked = [f for f in claimed(said, q) if f.kind == kind
                 and not (len(own_kind) == 1 and own_kind[0].value == f.value and not of_year)]
        if not asked or not found:
            continue
        # A figure is wrong only against a figure about the same thing: 五分钟的发言稿 says nothing about
        # 迟到超过30分钟, though both are minutes.
        # The figures in the same clause as the matching words come first; a wider window otherwise
        # (分别占60%和40% names what it measures a clause earlier).
        # Of several figures about it, the one whose clause shares most with the question's is the rule.
        pairs: list[tuple[Quantity, Quantity]] = []
        for clause in (True, False):
            for f in asked:
                rules = [g for g in found if cycle_length(evidence, g)] if cycle_length(said, f) else found
                rules = [g for g in rules if _count_of_same(said, f, evidence, g)]
                shared = {g: _same_subject(said, f, evidence, g, clause=clause) for g in rules}
                best = max(shared.values(), default=0)
                matched = [g for g, n in shared.items() if n and n == best]
                # 2021年的材料2月底前报送吗: of 每年2月底前 and 其中2021年于5月底前, the rule said of that year.
                asked_years = set(years(clause_of(said, f)))
                matched = [g for g in matched if _said_of(evidence, g, asked_years)] or matched
                # The same figure said of something else (讲课费每学时不超过500元) does not confirm 补助500元.
                if any(g.value == f.value for g in matched) or (not matched and any(g.value == f.value for g in found)):
                    continue
                if any(_meets(said, f, evidence, g) for g in matched):
                    continue
                pairs += [(f, g) for g in matched]
            if pairs:
                break
        wrong = list(dict.fromkeys(f.text for f, _ in pairs))
        if wrong and len(asked) <= 2:
            right = "、".join(dict.fromkeys(g.text for _, g in pairs))
            out.append(f"原文规定的是 {right}，而不是 {'、'.join(wrong)}")
    asked_periods, found_periods = periods(said), periods(evidence)
    if asked_periods and found_periods and not set(asked_periods) & set(found_periods):
        a, b = found_periods[0]
        qa, qb = asked_periods[0]
        out.append(f"原文的期限是 {a}—{b}年，而不是 {qa}—{qb}年")
    if q.yesno and (doer := _doer(said, evidence)):
        out.append(doer)
    if q.yesno:
        agent = _AGENT.search(evidence)
        if agent:
            actual, verb = agent.group(1), agent.group(2)
            wrong_actors = [a for a in dict.fromkeys(actors(said)) if a not in evidence]
            # Only a question that names someone for this very duty (是老师负责吗) has an actor to correct.
            if wrong_actors and actual not in said and verb in said:
                out.append(f"原文规定由{actual}{verb}，而不是{'、'.join(wrong_actors)}")
    return out


def _counted(text: str, f: Quantity) -> str:
    """What a count counts when the noun follows it (九个模块 → 模块, 十项准则 → 准则); empty otherwise."""
    at = text.find(f.text)
    after = text[at + len(f.text):at + len(f.text) + 6] if at >= 0 else ""
    words = lexical_terms(after)
    return words[0] if words and len(words[0]) >= 2 and after.startswith(words[0]) else ""


def _count_of_same(said: str, asked: Quantity, evidence: str, found: Quantity) -> bool:
    """骨干班九个模块 is no claim about 十项准则: two counts compare only when they count the same thing (or either
    leaves it unsaid)."""
    if asked.kind != "count":
        return True
    a, b = _counted(said, asked), _counted(evidence, found)
    # A word cut differently (一次课就行 beside 4次课堂教学) still counts the same thing when it starts alike.
    return not a or not b or a[0] == b[0] or b in synonyms(a)


def _said_of(evidence: str, figure: Quantity, named: set[int]) -> bool:
    """The figure's own clause names one of these years (其中2021年于5月底前)."""
    return bool(named & set(years(clause_of(evidence, figure))))


def _doer(said: str, evidence: str) -> str:
    """网络匿名评估是由专家来做的吧 against 参训学员网络匿名评估: the document names who does it in the very words
    (an actor right before the thing, in the same list item), and it is not whom the teacher named."""
    m = _DONE_BY.search(said)
    if not m:
        return ""
    thing, named = m.group(1), m.group(2)
    at = evidence.find(thing)
    if at <= 0 or not actors(named):
        return ""
    before = re.split(r"[、，。；：,;:（(“\s]", evidence[:at])[-1]
    who = before[-6:]
    if len(who) < 2 or not actors(who) or named in who or who in named:
        return ""
    return f"原文写的是「{before}{thing}」，由{who}进行，而不是{named}"
