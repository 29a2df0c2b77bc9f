"""Which sentences of the retrieved passages answer the question, best first.

Further sentences join the best one only if they answer too; a sentence about funding never rides along with
one about teachers. Which sentences are candidates is ``assistant.candidates``; how well each answers,
``assistant.scoring``. A table, a bulleted list or a short paragraph is read whole (``assistant.units``)."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.asked_facts import asked_figures, counted_noun, figure_keys, says_none_paid
from assistant.facts import cycle_length
from assistant.listing import kinds_named, listed_noun
from assistant.question import Asks, Question, states_eligibility
from assistant.quote import BULLET, Quote
from assistant.scoring import topic_heading
from assistant.units import (
    extreme_rows,
    heading_row,
    item_marker,
    items_of,
    list_of,
    list_run,
    named_column,
    paragraph_of,
    table_of,
)
from indexer.chunking import PATH_SEPARATOR
from indexer.structure import heading_name
from indexer.thesaurus import synonyms
from indexer.tokenizer import lexical_terms

MAX_SENTENCES = 3
_HOW_COUNTED = re.compile(r"(?:怎么|如何|怎样)(?:计算?|算|折|认定)|口径|计算方法|折算(?:办法|标准|比例)")
MAX_ANSWER_CHARS = 320
MAX_DOCUMENTS = 3
# How many sentences after the best one, in its own passage, may follow it (fitted on the dev split).
FOLLOW_ON = 2
# Another document's sentence is quoted beside the best one when it is nearly as good an answer.
OTHER_DOCUMENT_SHARE = 0.85
OTHER_DOCUMENT_COVER = 0.8
EXACT_UNIT_SHARE = 0.9
NAMED_SHARE = 0.9  # the named document's answer leads when it scores at least this share of the best
WORDS_SHARE = 0.9  # below this share of the best sentence, a figure-holding one does not check a stated figure
EXTREME_TABLE_SHARE = 0.8  # a table row this close to the best sentence may answer 哪个最多 (dev split)
STEP_SHARE = 0.9  # a step within this share of the best sentence's score answers a how-to question first
# A sentence that answers the way the question asks leads within this share of the best sentence, which often only
# shares the teacher's words: whom a training is for (我能参加吗; 幼儿园 in a funding rule), that none is paid
# (补贴每天多少钱; 每人每天450元 of something else).
LEAD_SHARE = 0.8
# A list question (or a bare topic) answered by a table gets all its rows, within this many characters.
MAX_TABLE_CHARS = 480
# A paragraph this short (an FAQ entry's answer, one numbered item) is one answer: quoted whole (dev split).
MAX_PARAGRAPH_CHARS = 220
# ... and has at most this many full sentences (clauses joined by ； are one): five sentences are several rules.
MAX_PARAGRAPH_SENTENCES = 4
_STEP = re.compile(r"申请|提交|递交|批准|审批|同意|审核|报送|报备|登记|填写|办理|联系|登录|上传|下载|书面说明|反映|咨询|"
                   r"备案|签到|补学|补记|查询|点击|进入|清除|更换|截图|告知|通知|由[^，。；]{1,12}(?:负责|组织|安排|统一)")
_HOW_TO = re.compile(r"手续|流程|步骤|程序|(?:怎么|如何|怎样)(?:办理|申请|报|查|弄|操作|处理|提交|登记|补|改|修改|解决)")
_PER_ITEM = re.compile(r"各(?:占|是|为|有|要|需)?(?:多少|几)|分别(?:占|是|为|有)?(?:多少|几)|哪些[^，。？]*多少|哪几[^，。？]*多少")
_TABLE_NAMED = re.compile(r"(?:那|这|哪)张表|表(?:格)?(?:里|上|中)|按(?:照)?表")
_SCHEDULE = re.compile(r"时间表|日程|时间安排|进度安排|工作安排|时间节点")
_CONSEQUENCE_ASKED = re.compile(r"会怎么样|会怎样|(?:有|会有)?什么后果|后果是|怎么处理|如何处理|会受到什么|什么处罚|会不会受影响")
_FALLING_SHORT_ASKED = re.compile(r"没(?:有)?(?:达到|达标|完成|修满|修够|通过|合格)|达不到|不够|不合格|不达标|未达|超过了?")
_FALLING_SHORT = re.compile(r"不合格|未达|不足|未完成|没有完成|不达标|未通过|超过|所缺")
_CONSEQUENCE = re.compile(r"不得|不予|不再|取消|补足|记入|纳入|通报|约谈|暂停|淘汰|追回|扣减|不颁发|不登记|限期整改")
_ALLOWANCE = re.compile(r"补贴|补助|津贴|补偿")  # money a teacher would receive, not a fee they would pay


def _full_sentences(quotes: list[Quote]) -> int:
    return sum(1 for s in quotes if re.search(r"[。！？!?]\s*$", s.text)) or 1


def _introduces_kinds(noun: str, s: Quote, ranked: list[Quote]) -> bool:
    rows = [] if s.header else table_of(s, ranked)
    return len(kinds_named(noun, "\n".join(r.text for r in rows), rows[0].header if rows else "")) >= 2


def _headed_item(noun: str, s: Quote) -> bool:
    """目标有几条: a numbered item under a heading that names them (二、课程目标 > 1. 准确把握…) is one of them."""
    heading = heading_name(topic_heading(s.hit.section).split(PATH_SEPARATOR)[-1])
    return bool(item_marker(s.text)) and heading.endswith((noun, *synonyms(noun)))


def _under_heading(table: list[Quote], chosen: list[Quote], lead: Quote | None = None) -> list[Quote]:
    """A table read whole: the sentence that introduces it (按下表认定), its heading row, then its rows, less what
    is already chosen."""
    intro = [lead] if lead is not None and lead not in chosen else []
    head = [h] if (h := heading_row(table[0])) else []
    return [*intro, *head, *(s for s in table if s not in chosen)]


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


def _answers(q: Question, s: Quote) -> bool:
    return s.fact if q.wants_fact or q.checks_figure else True


def _parallel(q: Question, best: Quote, ranked: list[Quote], asked: str = "") -> list[Quote]:
    """The items of the best sentence's list that give the kind of fact asked for, when the question does not
    single out one of them (a term of the question that some items have and others lack) or the teacher asks for
    a whole schedule in their own words (``asked``, else the question)."""
    items = [s for s in items_of(best, ranked) if s is best or s.fact]
    if len(items) < 2 or best not in items:
        return []
    if q.asks == Asks.QUANTITY:
        keys = figure_keys(q, best.text, best.header)
        items = [s for s in items if s is best or keys & figure_keys(q, s.text, s.header)]
    words = [set(lexical_terms(s.text)) for s in items]
    # 每年的工作时间表是怎样的 asks for every date of the schedule, whatever else it names.
    if not _SCHEDULE.search(asked or q.text) \
            and any(any(t in w for w in words) and not all(t in w for w in words) for t in q.terms):
        return []  # 网络研修几个学时折1学分 asks about one item
    return items if len(items) > 1 else []


def _claims_cycle(q: Question) -> bool:
    """学分是三年一个周期吗 claims how long a cycle is, which no sentence says in words (学分在一个周期内累计有效 does not
    check it); 五年周期结束后 only names the cycle."""
    return any(cycle_length(q.text, f) and f"是{f.text}" in q.text for f in q.figures)


def choose(q: Question, ranked: list[Quote], named: tuple[str, ...] = (), asked: str = "",
           outside: tuple[str, ...] = ()) -> list[Quote]:
    """The best answering sentence, then what else answers: each other document's own answer, then
    sentences of the same passages that add something new.

    When two documents both answer (国家的通知 says one thing, 省里的方案 another), a teacher needs both,
    each under its own source; a comparison that names two documents gets one answer from each. ``asked`` is the
    teacher's own text when ``q`` joins it with the conversation's topic. A document ``outside`` the programme
    the question names is no other document with an answer of its own (a county's allowance is not 国培's).
    """
    # A figure question whose answer is in words (不少于三分之一) still gets the best sentence.
    answering = [s for s in ranked if _answers(q, s)] or ranked
    # A yes/no question stating a figure (一年考一次吗) is checked against a sentence with a figure of that kind,
    # unless a clearly better sentence says it in words (每学年末进行考核).
    if not q.wants_fact and q.checks_figure and answering[0] is not ranked[0] \
            and answering[0].score < WORDS_SHARE * ranked[0].score and not _claims_cycle(q):
        answering = ranked
    # How to go about something (请假要办什么手续) is answered by a step someone takes (向班主任提交书面申请),
    # ahead of a nearly as close sentence that only states the rule (累计请假超过2天的，不予结业).
    if q.asks == Asks.PROCEDURE and _HOW_TO.search(q.text):
        answering = _lead_with(answering, lambda s: _STEP.search(s.text) is not None)
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
    # 民办学校的老师能参加吗 is answered by whom the training is for (面向…在编在岗教师), ahead of a nearly as
    # close sentence that only shares the teacher's words.
    if q.asks_eligibility:
        answering = _lead_with(answering, lambda s: states_eligibility(s.text), LEAD_SHARE)
    # 国培补贴每天多少钱 is answered by the rule that none is paid (不得…发放参训教师补贴), ahead of a nearly as close
    # amount of something else (集中培训综合定额每人每天不超过450元); and so is 参加国培有没有补贴, ahead of where the
    # programme's money comes from (经费由中央财政补助资金…共同保障).
    if q.unit == "money" or (q.yesno and _ALLOWANCE.search(q.text)):
        answering = _lead_with(answering, lambda s: says_none_paid(q, s.text), LEAD_SHARE)
    # 国培计划有哪些项目 is answered by a sentence that names a kind of project (实施示范项目), ahead of a nearly as
    # close one that only uses the word (强化“国培计划”项目规划).
    # 哪些活动可以计入学时: the sentence that points to a table of them (按下表认定, first column 研修活动) names them too.
    if (noun := listed_noun(q)):
        answering = _lead_with(answering, lambda s: bool(kinds_named(noun, s.text, s.header))
                               or _introduces_kinds(noun, s, ranked) or _headed_item(noun, s), LEAD_SHARE)
    # 总学分要求是多少 is answered by 36学分 before 48学时, a related unit, when both are about as good.
    exact = [s for s in answering if any(f.kind == q.unit for f in asked_figures(q, s.text, s.header))] \
        if q.unit else []
    none_paid = q.unit == "money" and says_none_paid(q, answering[0].text)  # no sum is paid: no unit to prefer
    if exact and exact[0] is not answering[0] and not none_paid \
            and exact[0].score >= EXACT_UNIT_SHARE * answering[0].score:
        answering = [exact[0], *(s for s in answering if s is not exact[0])]
    # 按市里的指南能折几个学分 asks what that document says: its own answer comes first when nearly as good.
    if len(named) == 1 and answering[0].hit.doc_id not in named:
        own = next((s for s in answering if s.hit.doc_id in named), None)
        if own is not None and own.score >= NAMED_SHARE * answering[0].score:
            answering = [own, *(s for s in answering if s is not own)]
    best = answering[0]
    # 哪一项占比最大: a table that can say it answers, when its best row is nearly as good as the best sentence.
    for row in [best, *(s for s in answering if s.header and s.score >= EXTREME_TABLE_SHARE * best.score)][:3]:
        extreme = extreme_rows(row, ranked, q.text)
        if extreme:
            return extreme
    chosen = [best]
    docs = {best.hit.doc_id}
    compare = [d for d in named if d != best.hit.doc_id] if len(named) >= 2 else []
    # Beside a figure, another document is quoted for the same kind of figure (its own 每N学时 beside a
    # conversion rate, its own yearly amount beside a yearly amount), not for whatever it says best; but
    # only a figure on the same topic: 五年内不重复参加 is a span of time, and no answer beside 请假1天以上.
    keys = figure_keys(q, best.text, best.header) if q.asks == Asks.QUANTITY else set()
    if compare and not keys and _HOW_COUNTED.search(q.text):
        # Two documents compared on how a thing is counted (线上学时怎么算，两份文件口径一样吗): one's rate
        # (每45分钟计1学时) beside the other's (每40分钟计1学时), not whatever else it says best.
        keys = {k for k in figure_keys(q, best.text, best.header) if k[0] == "rate"}
    alike = {id(s) for s in answering if keys & figure_keys(q, s.text, s.header)
             and s.topic >= OTHER_DOCUMENT_COVER * best.topic}

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
            chosen.append(s)
            docs.add(s.hit.doc_id)
    terms = set(q.terms)
    covered = set().union(*(set(lexical_terms(c.text)) & terms for c in chosen))
    length = sum(len(c.text) for c in chosen)
    for s in answering[1:]:
        if len(chosen) >= MAX_SENTENCES + len(docs) - 1 or s.score < 0.75 * best.score:
            break
        if s in chosen or not any(s.hit is c.hit for c in chosen):
            continue  # extra sentences only from passages already quoted
        new = (set(lexical_terms(s.text)) & terms) - covered
        if new and length + len(s.text) <= MAX_ANSWER_CHARS:
            chosen.append(s)
            covered |= new
            length += len(s.text)
    # 目标有几条, asked of a section headed 课程目标 that numbers them: every item answers, across the passages the
    # list was chunked into.
    whole = items_of(best, ranked) if q.asks == Asks.LIST and noun and _headed_item(noun, best) else []
    if whole and length + sum(len(s.text) for s in whole if s not in chosen) <= MAX_TABLE_CHARS:
        return [*whole, *(c for c in chosen if c not in whole)]
    # 整个课程分几个模块, asked of a table whose first column is 模块: no figure counts them (the best row's 12 is
    # its hours); the name of every row does, 模块一 to 模块九, read off the table.
    if q.asks == Asks.QUANTITY and q.unit == "count" and best.header:
        column = named_column(best, ranked, counted_noun(q))
        if column:
            return column
    # 各占多少、分别是多少 asks for a figure per item: a table of them is read whole, like a list.
    per_item = q.asks == Asks.QUANTITY and bool(_PER_ITEM.search(q.text))
    # 按市里那张表能折多少学时: a question that points at the table is answered by it, under its heading row.
    table = table_of(best, ranked) if q.wants_fact and _TABLE_NAMED.search(q.text) else []
    if table:
        extra = _under_heading(table, chosen)
        if length + sum(len(s.text) for s in extra) <= MAX_TABLE_CHARS:
            return [*chosen, *extra]
    if q.wants_fact and not per_item:
        # A question after one fact (a figure, a date) is answered by the sentence that holds it; but when that
        # sentence is one item of a list whose other items give the same kind of fact, and the question names
        # nothing that singles it out (几个学时折1学分 among 集中培训每8学时… 网络研修每10学时…), all of them answer.
        items = _parallel(q, best, ranked, asked)
        if items and length + sum(len(s.text) for s in items if s not in chosen) <= MAX_TABLE_CHARS:
            return [*items, *(c for c in chosen if c not in items)]
        return chosen
    following = sorted((s for s in ranked if s.hit is best.hit and s.order > best.order), key=lambda s: s.order)
    table, lead = table_of(best, ranked), None
    if not table and (per_item or q.asks in (Asks.LIST, Asks.OTHER)):
        # Asked for a list, the table may be introduced by another sentence of the passage than the best one
        # (每学年不少于七十二学时。校本研修学时按下表认定：…): that sentence and its table answer.
        for c in [*(c for c in chosen if c.hit is best.hit), *following[:FOLLOW_ON]]:
            table, lead = table_of(c, ranked), c
            if table:
                break
    if not table and per_item:
        # 各占多少: the passage's one table of figures answers, wherever the best sentence sits around it.
        rows = sorted((s for s in ranked if s.hit is best.hit and s.header), key=lambda s: s.order)
        if len({s.header for s in rows}) == 1:
            table, lead = rows, None
    if per_item and not table:
        return chosen
    # A short paragraph is one answer: an FAQ entry's steps (清除缓存 → 截图发给辅导员 → 补记), a rule and its
    # exception (由学校安排代课；小规模学校由县里安排). Quoting only its best sentence would drop the rest.
    paragraph = [] if table or best.header or BULLET.match(best.text) else paragraph_of(best, ranked)
    if len(paragraph) > 1 and _full_sentences(paragraph) <= MAX_PARAGRAPH_SENTENCES \
            and sum(len(s.text) for s in paragraph) <= MAX_PARAGRAPH_CHARS:
        return [best, *(s for s in paragraph if s is not best), *(s for s in chosen if s.hit is not best.hit)]
    # A rule rarely ends with the sentence that matches the question best: the next ones in the same passage
    # give its conditions, list items and consequences, whether or not they repeat the question's words.
    # Who does something is answered by the sentence that names them, alone.
    if q.asks == Asks.ACTOR:
        return chosen
    if table:
        # 哪几个模块, asked of a table chunked into several passages (rows of it in another one) whose first column
        # names what is listed: every row's name answers, where the rows of one passage would read as if that
        # were all.
        chunked = any(s.header == table[0].header and s.hit is not table[0].hit for s in ranked)
        column = named_column(table[0], ranked, noun) if q.asks == Asks.LIST and chunked else []
        if column:
            return column
        # A table the best sentence introduces (按下表认定) or sits in is read whole, under its heading row,
        # whatever was asked: two of its rows would read as if that were all.
        extra = _under_heading(table, chosen, lead)
        if length + sum(len(s.text) for s in extra) <= MAX_TABLE_CHARS:
            return [*chosen, *extra]
    items = list_of(best, ranked) if q.asks in (Asks.LIST, Asks.OTHER) else []
    if len(items) > 1:
        # A bulleted list (推荐书目) is read whole, under the line that introduces it, as a table is.
        extra = [s for s in items if s not in chosen]
        if length + sum(len(s.text) for s in extra) <= MAX_TABLE_CHARS:
            return [*chosen, *extra]
    # 校本实践期间…完成以下任务： opens a numbered list that runs on into the next passages of its section: every
    # item answers, where the first one alone would read as if that were all.
    run = list_run(best, ranked) if q.asks in (Asks.LIST, Asks.OTHER, Asks.PROCEDURE) else []
    if run and length + sum(len(s.text) for s in run if s not in chosen) <= MAX_TABLE_CHARS:
        return [*chosen, *(s for s in run if s not in chosen)]
    for s in following[:FOLLOW_ON]:
        if s in chosen:
            continue
        if s.header:
            break  # a table too long to quote whole: a couple of its rows would read as if that were all
        if len(chosen) >= MAX_SENTENCES + len(docs) - 1 or length + len(s.text) > MAX_ANSWER_CHARS:
            break
        chosen.append(s)
        length += len(s.text)
    return chosen


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
