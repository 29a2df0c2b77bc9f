"""The unit of the figure a quantity question asks for: what 多少 or 几 counts (多少钱, 几天, 多少学分), or
what the words around it imply (经费 a sum or a share, 多久 a length of time).
"""

from __future__ import annotations

import re

# 多少 or 几 asking for a figure. 那几天 and 前几年 point back and 好几个 says "several": none asks anything; nor does
# 几 after 了 (缺了几次课, 请了几天假), which tells what happened.
ASK_WORD = r"(?:多少|(?<![了那这前后近好头末])几)"

# A unit named right after 多少/几 (多少钱, 几天, 多少学时) must be matched exactly; a unit only implied by
# the topic (多少经费 can be a sum or a share of a budget) accepts related kinds of figure too.
# 占多少, 占总学时多少: a share of something, unless a unit after 多少 says what is counted (各占多少学时).
_SHARE_OF = r"占(?:总|全部|整个)?[^，。？！,?!多几]{0,6}?(?:多少|几)(?!学时|课时|小时|学分|天|人|元|分|节|次|个)"
# A unit written right after the ask word (几天, 多少学分): the teacher named what is counted; it says so before any
# other word does (学分公示几天 asks for days, though it names 学分).
UNIT_AFTER = re.compile(ASK_WORD + r"(?:个)?(万元|钱|元|块|学时|课时|小时|学分|岁|天|周|个?月|年|次|回|人|名|位|所|家|门|"
                        r"项|分钟|分|节|篇|期|批|轮|字)")
_UNIT_AFTER_KINDS = {"万元": "money", "钱": "money", "元": "money", "块": "money", "学时": "hours", "课时": "hours",
                     "小时": "hours", "学分": "credits", "岁": "age", "天": "duration", "周": "duration",
                     "月": "duration", "个月": "duration", "年": "duration", "分钟": "duration", "分": "score",
                     "字": "length"}
STRICT_UNIT = re.compile(UNIT_AFTER.pattern + r"|" + _SHARE_OF + r"|占比|比例是多少|(?:多大|什么)(?:比例|比重)|占多大|几成|百分之几")
RELATED_UNITS = {"money": ("money", "percent"), "percent": ("percent", "money"), "duration": ("duration", "hours"),
                 "hours": ("hours", "duration", "credits"), "credits": ("credits", "hours")}
# Unit of the figure asked for, from the words around 多少/几; the first match decides.
_UNIT_ASKED: list[tuple[str, re.Pattern[str]]] = [
    ("duration", re.compile(r"多久|多长时间|how long", re.I)),
    ("percent", re.compile(r"比例|比重|权重|百分|占比|" + _SHARE_OF + r"|几成|%|share|percent|proportion", re.I)),
    # 一篇要写多少字 asks for a length in characters, not how many pieces (不少于4篇).
    ("length", re.compile(r"(?:多少|几)(?:个)?字|几千字|字数|篇幅|how many (?:words|characters)|word count", re.I)),
    ("hours", re.compile(r"学时|课时|小时|hours", re.I)),
    ("credits", re.compile(r"学分|credits?", re.I)),
    ("money", re.compile(r"多少钱|钱|元|费|金额|经费|补贴|补助|津贴|报销|标准是多少|how much|cost|fee|money|yuan", re.I)),
    ("score", re.compile(r"分数|几分|多少分|合格线|及格线|分数线|score|pass mark", re.I)),
    ("age", re.compile(r"年龄|多少岁|几岁|岁数|多大岁|\bage\b|how old", re.I)),
    ("duration", re.compile(r"多久|多长时间|多长|几天|几周|几个月|几年|周期|期限|多少天|how long", re.I)),
    # 培训多少校长和园长, 一个导师带多少学员: how many people of a kind is a head count (6000名, 12人).
    ("count", re.compile(r"多少(?:个|位|名)?(?:校长|园长|校园长|教师|老师|学员|骨干教师|学科带头人|专家|导师|班主任)|"
                         r"多少人|几个人|几人|多少名|人数|几次|多少次|几个|几门|几项|几所|几篇|几节|多少节|几批|几期|几类|几轮|几级|多少级|多少个|"
                         r"how many", re.I)),
]


# 按什么比例折学分 asks for a conversion rate (每十学时折算一学分), which teachers call a 比例 too.
CONVERSION = re.compile(r"折算|折成|折合|折学分|换算|抵扣|抵多少|换(?:成|取)?(?:一|1|几|多少)个?学分")


# 学分每年要拿多少分: in a question about credits, 分 counts credits unless a mark is meant (考多少分及格).
_MARKED = re.compile(r"考|及格|合格|优秀|总评|成绩|满意|评分|打分|权重|得分")


# 每人补多少, 人均多少: a sum per head.
PER_HEAD = re.compile(r"(?:每人|人均|每位|每个人|一个人|每名|每个(?:老师|教师|学员|校长|园长))[^，。？！,?!]{0,8}(?:多少|几)")


# 拿出/花/投入/安排多少钱: what one spends out of one's own budget, not a price or a sum paid to someone
# (能拿多少钱 receives it).
BODY_SPENDS = re.compile(r"(?:拿出|花|投入?|安排|掏出?)多少(?:钱|经费|资金)|拿多少钱(?:出来|搞|办|用于|用在|做)")


# 那一项占多少分: the weight of one part of an assessment, which a table gives as a share (校本实践成果 | 40%).
WEIGHT_ASKED = re.compile(r"占[^，。？！,?!]{0,4}多少分")


def asked_unit(text: str) -> str | None:
    """The unit of the figure ``text`` asks for (money, hours, credits, duration, count...), or None."""
    after = UNIT_AFTER.search(text)
    if after:
        if after.group(1) == "分" and "学分" in text and not _MARKED.search(text):
            return "credits"
        if after.group(1) == "分" and WEIGHT_ASKED.search(text):
            return "percent"
        return _UNIT_AFTER_KINDS.get(after.group(1), "count")
    for unit, pattern in _UNIT_ASKED:
        if pattern.search(text):
            if unit == "percent" and CONVERSION.search(text) and not re.search(r"%|百分|占比|占多少", text):
                return None
            return unit
    return None
