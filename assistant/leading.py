"""Which answering sentence leads: the one that answers the way the question asks, when it is nearly as good.

The sentence that shares most of the teacher's words is often not the answer: how to go about something is
answered by a step someone takes, what follows from falling short by the consequence, whether one may take part
by whom the training is for. Each rule moves such a sentence ahead of a nearly as close one that only shares the
words; a rule that does not apply leaves the order as scored.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.asked_facts import asked_figures, says_none_paid
from assistant.facts import cycle_length
from assistant.listing import kinds_named
from assistant.question import Asks, Question, states_eligibility
from assistant.quote import Quote
from assistant.scoring import topic_heading
from assistant.units import item_marker, table_of
from indexer.chunking import PATH_SEPARATOR
from indexer.structure import heading_name
from indexer.thesaurus import synonyms

EXACT_UNIT_SHARE = 0.9
NAMED_SHARE = 0.9  # the named document's answer leads when it scores at least this share of the best
WORDS_SHARE = 0.9  # below this share of the best sentence, a figure-holding one does not check a stated figure
STEP_SHARE = 0.9  # a step within this share of the best sentence's score answers a how-to question first
# A sentence that answers the way the question asks leads within this share of the best sentence, which often only
# shares the teacher's words: whom a training is for (我能参加吗; 幼儿园 in a funding rule), that none is paid
# (补贴每天多少钱; 每人每天450元 of something else).
LEAD_SHARE = 0.8
_STEP = re.compile(r"申请|提交|递交|批准|审批|同意|审核|报送|报备|登记|填写|办理|联系|登录|上传|下载|书面说明|反映|咨询|"
                   r"备案|签到|补学|补记|查询|点击|进入|清除|更换|截图|告知|通知|由[^，。；]{1,12}(?:负责|组织|安排|统一)")
_HOW_TO = re.compile(r"手续|流程|步骤|程序|(?:怎么|如何|怎样)(?:办理|申请|报|查|弄|操作|处理|提交|登记|补|改|修改|解决)")
_CONSEQUENCE_ASKED = re.compile(r"会怎么样|会怎样|(?:有|会有)?什么后果|后果是|怎么处理|如何处理|会受到什么|什么处罚|会不会受影响")
_FALLING_SHORT_ASKED = re.compile(r"没(?:有)?(?:达到|达标|完成|修满|修够|通过|合格)|达不到|不够|不合格|不达标|未达|超过了?")
_FALLING_SHORT = re.compile(r"不合格|未达|不足|未完成|没有完成|不达标|未通过|超过|所缺")
_CONSEQUENCE = re.compile(r"不得|不予|不再|取消|补足|记入|纳入|通报|约谈|暂停|淘汰|追回|扣减|不颁发|不登记|限期整改")
_ALLOWANCE = re.compile(r"补贴|补助|津贴|补偿")  # money a teacher would receive, not a fee they would pay


def lead_first(q: Question, ranked: list[Quote], named: tuple[str, ...], noun: str) -> list[Quote]:
    """The answering sentences in the order they are quoted: the score rewards sharing the teacher's words, and
    the rules put first the sentence that answers the way the question asks. ``named`` are the documents the
    question names; ``noun`` what a list question asks the kinds of."""
    answering = _answering(q, ranked)
    answering = _step_first(q, answering)
    answering = _consequence_first(q, answering)
    answering = _eligibility_first(q, answering)
    answering = _none_paid_first(q, answering)
    answering = _kind_named_first(answering, ranked, noun)
    answering = _exact_unit_first(q, answering)
    return _named_document_first(answering, named)


def _answering(q: Question, ranked: list[Quote]) -> list[Quote]:
    # A figure question whose answer is in words (不少于三分之一) still gets the best sentence.
    answering = [s for s in ranked if _answers(q, s)] or ranked
    # A yes/no question stating a figure (一年考一次吗) is checked against a sentence with a figure of that kind,
    # unless a clearly better sentence says it in words (每学年末进行考核).
    if not q.wants_fact and q.checks_figure and answering[0] is not ranked[0] \
            and answering[0].score < WORDS_SHARE * ranked[0].score and not _claims_cycle(q):
        answering = ranked
    return answering


def _answers(q: Question, s: Quote) -> bool:
    return s.fact if q.wants_fact or q.checks_figure else True


def _claims_cycle(q: Question) -> bool:
    """学分是三年一个周期吗 claims how long a cycle is, which no sentence says in words (学分在一个周期内累计有效 does not
    check it); 五年周期结束后 only names the cycle."""
    return any(cycle_length(q.text, f) and f"是{f.text}" in q.text for f in q.figures)


def _step_first(q: Question, answering: list[Quote]) -> list[Quote]:
    # How to go about something (请假要办什么手续) is answered by a step someone takes (向班主任提交书面申请),
    # ahead of a nearly as close sentence that only states the rule (累计请假超过2天的，不予结业).
    if q.asks == Asks.PROCEDURE and _HOW_TO.search(q.text):
        answering = _lead_with(answering, lambda s: _STEP.search(s.text) is not None)
    return answering


def _consequence_first(q: Question, answering: list[Quote]) -> list[Quote]:
    # 没达到会怎么样 is answered by what follows from it (不得参加当年度评优评先), ahead of a nearly as close sentence
    # that only restates the requirement missed (每学年不少于七十二学时).
    # What follows from falling short (考核不合格的…须补足所缺学时) is looked for further down than any consequence, for
    # it answers 没达到会怎么样 on both counts (抽查结果纳入…绩效评价 names a consequence of no failing).
    if _CONSEQUENCE_ASKED.search(q.text):
        failed = [s for s in answering if s.score >= LEAD_SHARE * answering[0].score
                  and _CONSEQUENCE.search(s.text) and _FALLING_SHORT.search(s.text)]
        if failed and _FALLING_SHORT_ASKED.search(q.text):
            answering = _lead_with(answering, lambda s: s is failed[0], LEAD_SHARE)
        else:
            answering = _lead_with(answering, lambda s: _CONSEQUENCE.search(s.text) is not None)
    return answering


def _eligibility_first(q: Question, answering: list[Quote]) -> list[Quote]:
    # 民办学校的老师能参加吗 is answered by whom the training is for (面向…在编在岗教师), ahead of a nearly as
    # close sentence that only shares the teacher's words.
    if q.asks_eligibility:
        answering = _lead_with(answering, lambda s: states_eligibility(s.text), LEAD_SHARE)
    return answering


def _none_paid_first(q: Question, answering: list[Quote]) -> list[Quote]:
    # 国培补贴每天多少钱 is answered by the rule that none is paid (不得…发放参训教师补贴), ahead of a nearly as close
    # amount of something else (集中培训综合定额每人每天不超过450元); and so is 参加国培有没有补贴, ahead of where the
    # programme's money comes from (经费由中央财政补助资金…共同保障).
    if q.unit == "money" or (q.yesno and _ALLOWANCE.search(q.text)):
        answering = _lead_with(answering, lambda s: says_none_paid(q, s.text), LEAD_SHARE)
    return answering


def _kind_named_first(answering: list[Quote], ranked: list[Quote], noun: str) -> list[Quote]:
    # 国培计划有哪些项目 is answered by a sentence that names a kind of project (实施示范项目), ahead of a nearly as
    # close one that only uses the word (强化“国培计划”项目规划).
    # 哪些活动可以计入学时: the sentence that points to a table of them (按下表认定, first column 研修活动) names them too.
    if noun:
        answering = _lead_with(answering, lambda s: bool(kinds_named(noun, s.text, s.header))
                               or _introduces_kinds(noun, s, ranked) or headed_item(noun, s), LEAD_SHARE)
    return answering


def _introduces_kinds(noun: str, s: Quote, ranked: list[Quote]) -> bool:
    rows = [] if s.header else table_of(s, ranked)
    return len(kinds_named(noun, "\n".join(r.text for r in rows), rows[0].header if rows else "")) >= 2


def headed_item(noun: str, s: Quote) -> bool:
    """目标有几条: a numbered item under a heading that names them (二、课程目标 > 1. 准确把握…) is one of them."""
    heading = heading_name(topic_heading(s.hit.section).split(PATH_SEPARATOR)[-1])
    return bool(item_marker(s.text)) and heading.endswith((noun, *synonyms(noun)))


def _exact_unit_first(q: Question, answering: list[Quote]) -> list[Quote]:
    # 总学分要求是多少 is answered by 36学分 before 48学时, a related unit, when both are about as good.
    exact = [s for s in answering if any(f.kind == q.unit for f in asked_figures(q, s.text, s.header))] \
        if q.unit else []
    none_paid = q.unit == "money" and says_none_paid(q, answering[0].text)  # no sum is paid: no unit to prefer
    if exact and exact[0] is not answering[0] and not none_paid \
            and exact[0].score >= EXACT_UNIT_SHARE * answering[0].score:
        answering = [exact[0], *(s for s in answering if s is not exact[0])]
    return answering


def _named_document_first(answering: list[Quote], named: tuple[str, ...]) -> list[Quote]:
    # 按市里的指南能折几个学分 asks what that document says: its own answer comes first when nearly as good.
    if len(named) == 1 and answering[0].hit.doc_id not in named:
        own = next((s for s in answering if s.hit.doc_id in named), None)
        if own is not None and own.score >= NAMED_SHARE * answering[0].score:
            answering = [own, *(s for s in answering if s is not own)]
    return answering


def _lead_with(answering: list[Quote], wanted: Callable[[Quote], bool], share: float = STEP_SHARE) -> list[Quote]:
    """The first sentence ``wanted`` picks among those within ``share`` of the leading one, moved to the front;
    and in each document, likewise ahead of that document's own best: another document is quoted by its best
    sentence, which must answer in the same way (请假手续: its 须经…同意, not its 超过2天的不予结业)."""
    pick = next((s for s in answering if s.score >= share * answering[0].score and wanted(s)), None)
    if pick is not None and pick is not answering[0]:
        answering = [pick, *(s for s in answering if s is not pick)]
    out = list(answering)
    for doc in dict.fromkeys(s.hit.doc_id for s in answering):
        own = [i for i, s in enumerate(out) if s.hit.doc_id == doc]
        first = out[own[0]]
        at = next((i for i in own if out[i].score >= share * first.score and wanted(out[i])), None)
        if at is not None and at != own[0]:
            out.insert(own[0], out.pop(at))
    return out
