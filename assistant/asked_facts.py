"""Whether a text holds the kind of fact a question asks for: a figure of the unit asked (and of the limit, the
frame and the counter asked), a date, a year or a month, a place or an address, a contact, a body.

Sentence selection prefers sentences holding it, and the answerability check asks whether any passage holds it
at all.
"""

from __future__ import annotations

import re

from assistant.asked_unit import ASK_WORD, BODY_SPENDS, CONVERSION, PER_HEAD, RELATED_UNITS
from assistant.facts import (
    UNIT_KINDS,
    Quantity,
    actors,
    bound,
    cycle_length,
    has_contact,
    has_date,
    has_url,
    lead_in,
    listed_items,
    periods,
    quantities,
    table_quantities,
    years,
)
from assistant.question import Asks, Question, clauses, unit_named
from corpus.text import HAN
from indexer.thesaurus import synonyms

_MONTH_ASKED = re.compile(r"几月|哪个?月|几几月|which month|what month", re.I)
_MONTH = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?!份?(?:内|以内|之内))|月(?:底|初|末)|(?:上|中|下)旬")
_YEAR_ASKED = re.compile(r"哪一?年|哪几年|什么年份|几几年|which year|what year", re.I)
_DOWNLOAD = re.compile(r"下载|download", re.I)
_APP = re.compile(r"app|客户端|软件|应用程序|\bapplication\b", re.I)
_DOWNLOAD_SOURCE = re.compile(r"应用商店|应用市场|App Store|扫码|扫描|二维码|官网|下载专区|下载中心", re.I)
_WEB = re.compile(r"网址|链接|域名|登录地址|\burl\b|\blink\b|web address", re.I)
_PLACE = re.compile(r"平台|系统|网站|网络|线上|地点|场所|会场|基地|中心|学校|院校|机构|教室|处|室|办公室|在[" + HAN + r"]{1,8}(?:举行|进行|开展|办理)")
# 每人每天50元, 人均300元: a sum per head or per day, which is no answer to what a body spends in all.
_PER_HEAD_SUM = re.compile(r"(?:每人|人均|每名|每位|每天|每日)[^，。；]{0,6}$")


def _figures(text: str, header: str = "") -> list[Quantity]:
    """Every figure in ``text``; a table row's take their units from its heading row ``header``."""
    return quantities(text) + (table_quantities(header, text) if header else [])


def asked_figures(q: Question, text: str, header: str = "") -> list[Quantity]:
    """The figures in ``text`` of the kind a quantity question asks for (any figure if it names no unit)."""
    found = [f for f in _figures(text, header) if f.kind not in ("year", "month", "day")]
    # 一个周期是几年: 学分在一个周期内有效 names the span asked about; it does not measure it.
    found = [f for f in found if not (f.names_span and "周期" in q.text)]
    if q.unit is None:
        return found
    kinds = (q.unit,) if q.strict_unit else RELATED_UNITS.get(q.unit, (q.unit,))
    timed = q.unit in ("duration", "hours")
    found = [f for f in found if f.kind in kinds or (timed and f.of_time)]
    # 讲几分钟 is not answered by 不少于10天, nor 几天 by 每45分钟: minutes and days measure different things.
    named = unit_named(q) if q.unit == "duration" else ""
    if named == "分钟":
        found = [f for f in found if f.unit in ("分钟", "小时")]
    elif named:
        found = [f for f in found if f.unit != "分钟"]
    # 多少家机构 counts bodies, which neither 15万人次 nor 四个等次 does: a count named by its counter takes figures of
    # that counter's kind or of none, never another's; bodies are counted by a bare 个 only when what follows is the
    # thing counted (3个机构), while 只参加1个项目 does say how many times (几次).
    counter = _COUNTERS.get(unit_named(q), "") if q.unit == "count" else ""
    if counter:
        found = [f for f in found if _counts_as(f, counter, counted_noun(q), text)]
    # 学校每年要拿出多少经费 is not answered by a sum per head (交通费按每人每天50元标准补助).
    if q.unit == "money" and BODY_SPENDS.search(q.text) and not PER_HEAD.search(q.text):
        found = [f for f in found if f.kind != "money" or not _PER_HEAD_SUM.search(text[:max(0, text.find(f.text))])]
    # 培训要多久 is not answered by 教龄8年以上: a length of someone's service measures the teacher, not the training.
    if q.unit == "duration" and not _SERVICE.search(q.text):
        found = [f for f in found if not _SERVICE_BEFORE.search(text[:max(0, text.find(f.text))])]
    return found


# What a counter counts: people, bodies, occasions. 个 counts anything, so it is in no group.
_COUNTERS = {**dict.fromkeys(("人", "名", "位", "人次", "万人", "万名", "万人次"), "people"),
             **dict.fromkeys(("所", "家"), "bodies"), **dict.fromkeys(("次", "回", "期", "批", "轮"), "occasions")}


def _counts_as(figure: Quantity, counter: str, noun: str, text: str) -> bool:
    if figure.unit in _COUNTERS:
        return _COUNTERS[figure.unit] == counter
    if figure.unit != "个" or counter != "bodies":
        return True
    return bool(noun) and text[text.find(figure.text) + len(figure.text):].startswith(noun)


_SERVICE = re.compile(r"教龄|工龄|任教|从教|服务期|年龄")
_SERVICE_BEFORE = re.compile(r"(?:教龄|工龄|任教|从教|服务期)[^，。；、]{0,3}$")


def figure_frame(text: str, figure: Quantity) -> str:
    """``rate`` for a figure read per that many units (每8学时折算1学分, 每完成12学时, 每学时8元), else
    ``amount`` (每学年不少于72学时 is a yearly amount)."""
    at = text.find(figure.text)
    return "rate" if at > 0 and "每" in text[max(0, at - 3):at] else "amount"


_HOW_SOON = re.compile(r"(?:多久|多长时间)(?:以后|之后|后)?(?:能|才能|可以|才|就|会)?[^，。？！,?!]{0,3}"
                       r"(?:发|拿|领|下来|到手|查|出来|公布|公示|登记|录入|收到)")
_DATE_SPAN = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:至|到|—|–|-|~|～)\s*(?:(?:19|20)\d{2}\s*年)?\s*(?:\d{1,2}\s*月)?"
                        r"\s*\d{1,2}\s*日")
_AT_EVENT = re.compile(r"(?:结业|开班|报到|结束|考核|培训)(?:时|当天|当场)|当场|当天")
_HOW_LONG = re.compile(r"多久|多长")
_NONE_PAID = re.compile(r"(?:不得|不再|不予|不另|无需|不需|不收取?|免收|免费|不得以任何名义)[^，。；]{0,12}"
                        r"(?:补贴|补助|收费|费用|发放|补发|报销|交费|缴费|收取|列支)|免费")


def says_none_paid(q: Question, text: str) -> bool:
    """``text`` says that what the question asks the amount of is not paid at all (不得…发放参训教师补贴 for
    国培补贴每天多少钱): a word of the question's own is in the clause ruling the payment out, not merely in the
    sentence (培训机构不得以任何名义向参训教师收费 rules out fees, whatever else it says of 国培)."""
    for m in _NONE_PAID.finditer(text):
        clause = text[m.start():m.end() + 8]  # 不得…发放 | 参训教师补贴: the thing not paid follows the verb
        if any(w in clause for t in q.focus if len(t) >= 2 for w in (t, *synonyms(t))):
            return True
    return False


def figure_keys(q: Question, text: str, header: str = "") -> set[tuple[str, str]]:
    """What kinds of figure ``text`` gives for a quantity question: (rate or amount, unit). Two sentences
    answer alike only when they share one: 每十学时折一学分 and 每12学时折1学分 do, 每12学时 and 不少于48学时 do not."""
    return {(figure_frame(text, f), f.kind) for f in asked_figures(q, text, header)}


_UNIT_WORDS = frozenset(u for u, _ in UNIT_KINDS)
_WITHIN = re.compile(r"(?:几|多少)(?:个)?(?:年|月|个月|天|周)(?:之内|以内|内)|多久(?:之内|以内|内)|多长时间(?:之内|以内|内)")
# 多久评估一次 asks how often: 每学年…一次, 年度绩效评价 answer it; 30日内 or 不少于6个月 do not.
_HOW_OFTEN = re.compile(r"(?:多久|多长时间|几年|几个月|几周)[^，。？！,?!]{0,6}一(?:次|回)|频率|多频繁")
_FREQUENCY = re.compile(r"每(?:个)?(?:[两二三四五六七八九十\d]{1,2}个?)?(?:学年|年度|年|学期|季度|月|周|天)|年度|一年一次|定期")
# 最多能认定多少学分 asks for a limit: a figure given without one (每10学时折算1学分) is a rate, not the cap, and
# 每学年不少于6学分 is a floor. 哪个模块学时最多 asks which item is largest, and any figure answers that.
_ASKS_FIGURE = re.compile(ASK_WORD + r"|多久|多长")
_AT_MOST_ASKED = re.compile(r"最多|至多|上限|封顶|最高")
_AT_LEAST_ASKED = re.compile(r"最少|至少|下限|最低")
_COMPARED = re.compile(r"(低于|高于|超过|不足|少于|多于|不到|达到)(?:多少|几)")
_COMPARED_AS = {"低于": ("低于", "不足", "不到"), "不足": ("低于", "不足", "不到"), "不到": ("低于", "不足", "不到"),
                "少于": ("少于", "低于", "不足"), "高于": ("高于", "超过"), "超过": ("超过", "高于"),
                "多于": ("多于", "超过"), "达到": ("达到",)}


def limit_asked(q: Question) -> str:
    """上限 for a question asking a maximum (最多能认定多少学分), 下限 for a minimum (至少要几学时), else empty.
    Of a question in several clauses, the clause that asks the figure decides (学分是几年一个周期，每年最少要拿多少分
    asks first for a plain number of years)."""
    if "哪" in q.text:
        return ""
    clause = next((c for c in clauses(q.text) if _ASKS_FIGURE.search(c)), q.text)
    return "上限" if _AT_MOST_ASKED.search(clause) else "下限" if _AT_LEAST_ASKED.search(clause) else ""


def _limited_figures(q: Question, text: str, figures: list[Quantity]) -> list[Quantity]:
    """The figures ``text`` gives as the kind of limit ``q`` asks for (最多 → 不超过50人, 2天以内; 至少 → 不少于6学分,
    8年以上; 低于多少 → 低于85%); all of them when ``q`` asks for no limit."""
    limit = limit_asked(q)
    compared = _COMPARED.search(q.text)
    if compared:  # 低于多少会被通报 is answered by the figure 低于 stands before (满意度低于85%的)
        words = _COMPARED_AS[compared.group(1)]
        return [f for f in figures if any(w in lead_in(text, f, 12) for w in words)]
    if limit:
        wanted = -1 if limit == "上限" else 1
        return [f for f in figures if bound(text, f, reach=12) == wanted]
    return figures


_DEADLINE = re.compile(r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?(?:底|末)?(?:前|以前|之前)")


# 有多少名额 counts places, which a number of people gives (共60名, 每班50人).
_HEADCOUNT = frozenset({"名额", "人数", "人"})
_BODY_COUNTERS = ("家", "所")
_PEOPLE_COUNTED = re.compile(r"[\d一二三四五六七八九十百千万两]+\s*(?:名(?!额)|人(?!次|民|员|才|事))")


def counted_noun(q: Question) -> str:
    """What a count question counts, when it names it after the ask (几个名额 → 名额, 多少个模块 → 模块, 多少家机构 →
    机构); empty when the ask is followed by a unit (多少学分) or by nothing (几次)."""
    words = list(q.tagged)
    for i, (w, flag) in enumerate(words):
        if not (flag == "m" and (w.startswith("几") or w.startswith("多少"))):
            continue
        # 几所学校, 多少家机构: the counter counts bodies of any kind; the noun after it says which.
        if w.removeprefix("多少").removeprefix("几") not in ("", "个", *_BODY_COUNTERS):
            return ""  # 几次, 几天: the classifier is the unit counted
        rest = words[i + 1:]
        if rest and rest[0][1] == "q":
            if rest[0][0] not in ("个", *_BODY_COUNTERS):
                return ""  # 多少 篇
            rest = rest[1:]
        if rest and rest[0][1].startswith("n") and len(rest[0][0]) >= 2 and rest[0][0] not in _UNIT_WORDS:
            return rest[0][0]
        return ""
    return ""

# A count of items, not of people or events: 几项, 几类, 几个方面, 分几种.
_ITEMS_COUNTED = re.compile(r"(?:几|多少)(?:个)?(?:项|类|种|方面|部分|块|条)")


def holds_fact(q: Question, text: str, header: str = "") -> bool:
    """Whether ``text`` holds the kind of fact ``q`` asks for (always true for open questions).

    ``header`` is the heading row when ``text`` is a table row, whose figures take their unit from it.
    """
    if q.asks == Asks.QUANTITY and _HOW_OFTEN.search(q.text):
        return bool(_FREQUENCY.search(text))
    if q.asks == Asks.QUANTITY:
        # 有几个名额 is not answered by 三个等次: a count of the thing asked for, or of nothing named.
        noun = counted_noun(q) if q.unit == "count" else ""
        where = f"{text}\n{header}"
        if noun and noun not in where and not any(s in where for s in synonyms(noun)) \
                and not (noun in _HEADCOUNT and _PEOPLE_COUNTED.search(text)):
            return False
        # 多少个小时能换一个学分 asks for a rate (每8学时折算1学分), which no yearly amount (不少于48学时) gives.
        if CONVERSION.search(q.text) and not any(figure_frame(text, f) == "rate" for f in _figures(text, header)):
            return False
        # 补助每人补多少 / 补办要交多少钱 is answered by a rule that none is paid (不得发放参训教师补贴, 不再补发).
        # 几年之内完成 is answered by the deadline it must be done by (2025年前完成一轮全员轮训).
        # 证书多久发下来 asks how soon, and when it happens answers it (结业时领取纸质结业证书).
        if q.unit == "duration" and _HOW_SOON.search(q.text) and _AT_EVENT.search(text):
            return True
        # 培训要多久 is answered by when it runs (2021年10月11日至12月3日): from one day to another is a length.
        if q.unit == "duration" and _HOW_LONG.search(q.text) and not _HOW_SOON.search(q.text) \
                and _DATE_SPAN.search(text):
            return True
        # 纳入培训的内容有几项 is answered by the list of them (国家安全、法治教育、生态教育等内容), counted by the
        # teacher, not by a figure of another list (十项准则).
        if q.unit == "count" and _ITEMS_COUNTED.search(q.text) and listed_items(text) >= 3:
            return True
        return bool(_limited_figures(q, text, asked_figures(q, text, header))) or (q.unit == "money" and bool(_NONE_PAID.search(text))) \
            or (q.unit == "duration" and _WITHIN.search(q.text) is not None and _DEADLINE.search(text) is not None)
    if q.checks_figure:
        # 三年一个周期吗 is checked against a length (五年一周期), not against 学分在一个周期内有效.
        kinds = {f.kind for f in q.figures if not f.names_span}
        stated = [f for f in _figures(text, header) if f.kind in kinds and not f.names_span]
        if any(cycle_length(q.text, f) for f in q.figures):
            return any(cycle_length(text, f) for f in stated)
        return bool(stated)
    if q.asks == Asks.DATE:
        # 哪一年 is answered by a year (2025年), not by 每年 or 2月底前; 几月 by a month, not by 每年.
        if _YEAR_ASKED.search(q.text):
            return bool(years(text) or periods(text))
        if _MONTH_ASKED.search(q.text):
            return bool(_MONTH.search(text))
        return has_date(text)
    if q.asks == Asks.LOCATION:
        if _WEB.search(q.text):
            return has_url(text)
        # Where an app comes from is a store, an address or a code to scan, not 平台; a file (电子证书) is downloaded
        # from wherever a sentence says that very thing is downloaded (可在平台下载电子证书), not from any place.
        if _DOWNLOAD.search(q.text):
            return bool(has_url(text) or _DOWNLOAD_SOURCE.search(text)
                        or (not _APP.search(q.text) and _DOWNLOAD.search(text) and _PLACE.search(text)
                            and any(t in text for t in q.focus if len(t) >= 2 and not _DOWNLOAD.search(t))))
        return bool(has_url(text) or _PLACE.search(text))
    if q.asks == Asks.CONTACT:
        return has_contact(text)
    if q.asks == Asks.ACTOR:
        return bool(actors(text))
    return True
