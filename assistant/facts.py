"""The kinds of fact a question can ask for, and how to find them in a sentence.

A teacher who asks 多少 wants a figure, 什么时候 a date, 谁 an actor, 网址 an address. A sentence that
talks about the right topic but holds no such fact does not answer the question, however similar it is.
These detectors work on plain text (Arabic and Chinese numerals, official date phrasing, web addresses,
organisations and roles) so that both the question and the evidence are read the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.text import CJK, HAN

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万"

# Unit → kind. Longer units first so 学时 wins over 时, 个月 over 月, 万元 over 元.
UNIT_KINDS: list[tuple[str, str]] = [
    ("个百分点", "percent"), ("%", "percent"), ("％", "percent"), ("成", "percent"),
    ("亿元", "money"), ("万元", "money"), ("元", "money"), ("块钱", "money"), ("块", "money"),
    ("学时", "hours"), ("课时", "hours"), ("小时", "hours"), ("个学时", "hours"),
    ("学分", "credits"),
    ("周岁", "age"), ("岁", "age"),
    ("分钟", "duration"), ("个工作日", "duration"), ("工作日", "duration"), ("个月", "duration"), ("个学期", "duration"),
    ("学期", "duration"), ("学年", "duration"), ("个周期", "duration"), ("周期", "duration"), ("周", "duration"),
    ("天", "duration"),
    ("万人次", "count"), ("人次", "count"), ("万人", "count"), ("万名", "count"), ("人", "count"),
    ("名", "count"), ("个", "count"), ("所", "count"), ("次", "count"), ("项", "count"), ("门", "count"),
    ("节", "count"), ("篇", "count"), ("期", "count"), ("批", "count"), ("位", "count"), ("种", "count"),
    ("类", "count"), ("家", "count"), ("份", "count"), ("条", "count"), ("轮", "count"), ("课", "count"), ("级", "count"),
    ("分", "score"), ("字", "length"),
    ("年", "year"), ("月", "month"), ("日", "day"), ("号", "day"),
    # 30万专项资金: a sum in 万 with 元 left unsaid; last, so that 万人, 万名 and 万字 are read first.
    ("万字", "length"), ("万", "money"),
]
_UNIT_RE = "|".join(re.escape(u) for u, _ in UNIT_KINDS)
_UNIT_KIND = dict(UNIT_KINDS)
_QUANTITY = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?|[{_CN_NUMERAL}]+(?:点[{_CN_NUMERAL}]+)?)\s*(?P<unit>{_UNIT_RE})"
)
# 百分之五 and 千分之五 are shares as a percent is; so is 三分之一 (a third), read as its percent.
_FRACTION = re.compile(rf"(?P<den>百|千|\d+|[{_CN_NUMERAL}]+)分之(?P<num>\d+(?:\.\d+)?|[{_CN_NUMERAL}]+)")
_PERIOD = re.compile(r"(?P<a>(?:19|20)\d{2})\s*(?:年)?\s*(?:[—–\-~～至到]+)\s*(?P<b>(?:19|20)\d{2})\s*年?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)\s*(?:年|年度)?")
_DATE_PHRASE = re.compile(
    rf"(?:\d{{1,2}}|[{_CN_NUMERAL}]{{1,3}})\s*月(?:\s*(?:\d{{1,2}}|[{_CN_NUMERAL}]{{1,3}})\s*[日号])?"
    r"(?:底|初|中旬|上旬|下旬|前|以前|之前|后|以后)?"
    r"|(?:年|学期|学年|月|季度)(?:底|末|初)|(?:开学|开班|结业|结束|培训|报名|返岗)(?:时(?![间长数段])|前|后|以后|之前)"
    r"|每(?:年|学期|学年|月|季度|周)|前\s*(?:\d+|[一二两三四五六七八九十]+)\s*(?:天|周|个月)"
    r"|(?:\d+|[一二两三四五六七八九十]+)\s*(?:个工作日|天|周|个月)内"
    # A time of day (早上8点, 7点30分, 14:30): 3点要求 counts points, so a bare 点 must end the phrase.
    r"|(?:上午|下午|早上|早晨|晚上|中午|凌晨)\s*(?:\d{1,2}|[一二两三四五六七八九十]{1,3})\s*[点时](?:\s*\d{1,2}\s*分|半)?"
    r"|(?<![\d.])\d{1,2}\s*点(?:\s*\d{1,2}\s*分|半|整)?(?![\u4e00-\u9fff])"
    r"|(?<![\d.])\d{1,2}\s*点(?:\s*\d{1,2}\s*分|半|整)?(?=[前后到至起以之为在开])"
    r"|(?<![\d:])(?:[01]?\d|2[0-3])[:：][0-5]\d(?![\d:])"
)
_URL = re.compile(r"(?:https?://|www\.)[\w./?=&%#:-]+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:cn|com|net|org|edu|gov)\b")
_CONTACT = re.compile(r"(?<!\d)(?:0\d{2,3}[-－]?\d{7,8}|1[3-9]\d{9}|400[-－]?\d{3}[-－]?\d{4})(?!\d)"
                      r"|[\w.+-]+@[\w-]+\.[\w.]+")
# Organisations and roles that act in policy texts: who issues, organises, pays, approves. Matched on
# whole jieba words, so 报学校 or 担任组长 never count as actors.
_ACTOR = re.compile(
    r"^[" + HAN + r"]*(?:部|厅|局|委员会|教委|办公室|处|中心|院校|学院|大学|高校|研究院|政府|机构|单位|"
    r"学校|幼儿园|教研组|教研室|领导小组|专家组|校长|园长|组长|主任|书记|教师|老师|培训者|导师|班主任|学员|"
    r"管理员|骨干|专家|县区|区县|市县)$"
)


@dataclass(frozen=True)
class Quantity:
    value: float
    kind: str  # percent, money, hours, credits, duration, count, score, age, year, month, day
    text: str
    # A share of an amount of time (总学时10%, 学时的三分之一) limits time as much as 2天 does: it answers
    # "how long" as well as "what share".
    of_time: bool = False

    @property
    def unit(self) -> str:
        m = re.search(_UNIT_RE + r"|分之", self.text)
        return m.group(0) if m else ""

    @property
    def names_span(self) -> bool:
        """一个周期 names a span without saying how long it is: it measures nothing."""
        return self.unit.endswith("周期")


# How a rule writes a figure as a bound: at least (满2年, 不少于40学时, 不足24学时的, 低于80%的, 60分及以上) or at most
# (不超过55周岁, 超过2天的, 只参加1个, 2天以内).
_AT_LEAST = re.compile(r"不少于|不低于|不足|低于|最少|至少|下限|满$")
_AT_MOST = re.compile(r"不超过|不得超过|不高于|不多于|超过|最多|至多|上限|封顶|只|仅|限")
_CLAUSE_BEFORE = re.compile(r".*[，。；：,;:]")


_CYCLE_AFTER = re.compile(r"^(?:为|是)?一?个?(?:周期|轮)")


def cycle_length(text: str, figure: Quantity) -> bool:
    """三年一个周期, 五年一周期: the figure is how long a cycle lasts; only another cycle's length can confirm or
    contradict it."""
    at = text.find(figure.text)
    return at >= 0 and bool(_CYCLE_AFTER.match(text[at + len(figure.text):]))


def lead_in(text: str, figure: Quantity, reach: int) -> str:
    """The words right before ``figure`` in ``text``: at most ``reach`` characters, none from an earlier clause."""
    at = text.find(figure.text)
    return _CLAUSE_BEFORE.sub("", text[max(0, at - reach):at]) if at >= 0 else ""


def bound(text: str, figure: Quantity, reach: int = 4) -> int:
    """+1 when ``text`` writes ``figure`` as a minimum, -1 as a maximum, 0 as a plain figure: by the bound word
    nearest before it within ``reach`` characters of its own clause, or 以上 / 以下 / 以内 right after it."""
    at = text.find(figure.text)
    if at < 0:
        return 0
    after = text[at + len(figure.text):at + len(figure.text) + 3]
    if after.startswith(("以上", "及以上")):
        return 1
    if after.startswith(("以内", "以下", "及以下")):
        return -1
    before = lead_in(text, figure, reach)
    least = [m.end() for m in _AT_LEAST.finditer(before)]
    most = [m.end() for m in _AT_MOST.finditer(before)]
    if not least and not most:
        return 0
    return 1 if max(least, default=-1) >= max(most, default=-1) else -1


def cn_number(s: str) -> float | None:
    """Value of a numeral written in Arabic or Chinese digits (七十二 → 72, 两 → 2, 1.5 → 1.5)."""
    s = s.strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    if "点" in s:
        whole, frac = s.split("点", 1)
        w = cn_number(whole) if whole else 0.0
        digits = "".join(str(_CN_DIGITS.get(c, "")) for c in frac)
        return None if w is None or not digits else float(f"{int(w)}.{digits}")
    if any(c in _CN_UNITS for c in s) and re.search(f"[{''.join(_CN_DIGITS)}]{{2}}", s):
        return None  # 十四五 is a name (the 14th five-year plan), not a number
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch] if digit is None else digit * 10 + _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return float(total + section + (digit or 0))


# 至少上一节公开课, 只参加两次: a bound or a duty before a verb makes 一节 a count, not 上一节 (the previous one);
# 要建一批 stays a vague "some".
_BOUND_VERB = re.compile(r"(?:至少|最少|不少于|不超过|最多|至多|只|仅|须|必须|应|要|各)[" + HAN + r"]{0,2}$")


def quantities(text: str) -> list[Quantity]:
    """Every figure with a unit; a bare 一 in 一批/统一 is no figure, but 一次 and 十二学时 are."""
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        num, unit = m.group("num"), m.group("unit")
        kind = _UNIT_KIND[unit]
        value = cn_number(num)
        if value is None:
            continue
        if unit == "百分" or text[m.end():m.end() + 1] == "之":
            continue  # 百分之五 is read by _FRACTION below
        if unit == "年" and text[m.end():m.end() + 1] == "级":
            continue  # 一年级 is a grade, not a year
        if m.start() and text[m.start() - 1] == "第":
            continue  # 第三个模块, 第2天: which one, not how many
        if not num[0].isdigit():
            # Chinese numerals inside words (统一、一体化、十四五) are not figures unless a counting unit
            # follows directly and the numeral is not part of a longer word before it.
            before = text[m.start() - 1] if m.start() else ""
            if kind == "year":
                kind = "duration"  # 两年 is a span; years are written in Arabic digits
            elif kind in ("month", "day") or (before and CJK.match(before) and num in ("一", "两") and kind == "count"
                                              and (unit == "批" or not _BOUND_VERB.search(text[max(0, m.start() - 4):m.start()]))):
                continue
        if kind == "year" and not (1900 <= value <= 2100):
            kind = "duration"  # 3年 is a span of time, 2025年 a year
        if unit == "日" and not re.search(r"月\s*$", text[max(0, m.start() - 2):m.start()]):
            kind = "duration"  # 结束后30日内 is a span; only 6月30日 is a day of the month
        out.append(Quantity(value, kind, m.group(0), of_time=kind == "percent" and _of_time(text, m.start())))
    for m in _FRACTION.finditer(text):
        value, den = cn_number(m.group("num")), m.group("den")
        base = 100.0 if den == "百" else 1000.0 if den == "千" else cn_number(den)
        if value is not None and base:
            value = round(value * 100 / base, 2)
            out.append(Quantity(value, "percent", m.group(0), of_time=_of_time(text, m.start())))
    return out


_TIME_WHOLE = re.compile(r"(?:学时|课时|时长|时间|天数|课程)(?:总数|总量)?的?$")


def _of_time(text: str, start: int) -> bool:
    return bool(_TIME_WHOLE.search(text[max(0, start - 6):start]))


# 五年实施方案, 三年行动计划: the span names a plan; it is no figure of its own, nor a claim about how long.
_PLAN_NAME = re.compile(r"(?:发展|行动)?(?:规划|计划|实施方案|行动)")


def names_plan(text: str, figure: Quantity) -> bool:
    """The figure is a span of time that names a plan (五年规划), not a length of anything."""
    at = text.find(figure.text)
    return figure.kind == "duration" and at >= 0 and bool(_PLAN_NAME.match(text, at + len(figure.text)))


def clause_of(text: str, figure: Quantity) -> str:
    """The clause (between ，；。 and the like) that holds the figure: what it measures is said there."""
    at = text.find(figure.text)
    if at < 0:
        return ""
    start = max(text.rfind(p, 0, at) for p in "，,；;。！？\n") + 1
    ends = [e for e in (text.find(p, at) for p in "，,；;。！？\n") if e >= 0]
    return text[start:min(ends) if ends else len(text)]


def periods(text: str) -> list[tuple[int, int]]:
    return [(int(m.group("a")), int(m.group("b"))) for m in _PERIOD.finditer(text)]


def years(text: str) -> list[int]:
    return [int(m.group(1)) for m in _YEAR.finditer(text)]


def has_date(text: str) -> bool:
    """A point or deadline in time: 2月底前, 5月10日, 每年, 开学后两周内, 2021年."""
    return bool(_DATE_PHRASE.search(text) or _YEAR.search(text))


def has_url(text: str) -> bool:
    return bool(_URL.search(text))


def has_contact(text: str) -> bool:
    return bool(_CONTACT.search(text))


def actors(text: str) -> list[str]:
    from indexer.tokenizer import words

    return [w for w in words(text) if len(w) >= 2 and _ACTOR.match(w)]


def listed_items(text: str) -> int:
    """How many items the longest list written in one clause names (国家安全、法治教育、生态教育 → 3; a sequence
    written with dashes, “集中研修—校本实践—总结提升”, is a list too)."""
    return max((len(re.split(r"[、—－]+", clause)) for clause in re.split(r"[，。；：,;:！？!?]", text)
                if re.search(r"[、—－]", clause)), default=0)


def covers_year(text: str, year: int) -> bool:
    """The text names this year, or a period that contains it."""
    return year in years(text) or any(a <= year <= b for a, b in periods(text))


def table_quantities(header: str, row: str) -> list[Quantity]:
    """Figures of a table row whose unit is in its column heading (认定学时 | 6 → 6 学时)."""
    heads = [h.strip() for h in header.split(" | ")]
    cells = [c.strip() for c in row.split(" | ")]
    out: list[Quantity] = []
    for head, cell in zip(heads, cells, strict=False):
        value = cn_number(cell.rstrip("%％"))
        if value is None or not re.fullmatch(r"[\d.]+[%％]?|[零〇一二两三四五六七八九十百千万]+", cell):
            continue
        unit = "%" if cell.endswith(("%", "％")) else next((u for u, _ in UNIT_KINDS if u in head), "")
        if unit:
            out.append(Quantity(value, _UNIT_KIND[unit], f"{cell}{'' if unit == '%' else unit}"))
    return out
