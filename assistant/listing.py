"""List questions: what a question asks the kinds of (国培计划有哪些项目 → 项目), and the kinds of it a text names,
in its words (示范项目, 中西部骨干项目) or as the rows of a table headed by it.
"""

from __future__ import annotations

import re

from assistant.question import Asks, Question
from indexer.thesaurus import synonyms
from indexer.tokenizer import lexical_terms

_WHICH_WORDS = frozenset({"哪些", "哪几", "什么", "哪", "啥", "几类", "几种", "几条", "几项", "几点"})
_LISTING_VERBS = frozenset({"有", "都有", "包括", "包含", "分为", "分成"})

# The last line of a passage is a numbered item (1. …, （二）…, (3)…) or opens a list (…完成以下任务：).
LIST_LINE = re.compile(r"^\s*(?:（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[.．、](?!\d))|[：:]\s*$")


def _noun(tagged: tuple[str, str]) -> bool:
    return tagged[1].startswith("n") or tagged[1] == "vn"


_KIND_WORDS = frozenset({"形式", "类型", "种类", "类别", "样式", "方式"})


def listed_noun(q: Question) -> str:
    """What a list question asks the kinds of: the last noun of the run right after 哪些 / 什么 / 哪几个 (国培计划有
    哪些项目 → 项目, 分哪几大类项目 → 项目), or of the run before 有哪些 (给乡村老师的项目有哪些 → 项目); empty when
    there is none (有哪些要求 asks no kinds)."""
    if q.asks != Asks.LIST:
        return ""
    words = list(q.tagged)
    for i, (w, _) in enumerate(words):
        if w not in _WHICH_WORDS and not w.startswith("哪几"):
            continue
        j = i + 1
        while j < len(words) and words[j][1] in ("m", "l", "q") and words[j][0][:1] in "几个大类种项":
            j += 1  # 哪 几大类 项目, 哪 几个 模块
        run = []
        for word in words[j:]:
            if not _noun(word):
                break
            run.append(word[0])
        if not run and i >= 2 and words[i - 1][0] in _LISTING_VERBS and _noun(words[i - 2]):
            run = [words[i - 2][0]]  # the noun right before 有哪些
        # 哪些形式的活动 asks for kinds of 活动: 形式 only says they differ in form.
        k = j + len(run)
        if run and run[-1] in _KIND_WORDS and k + 1 < len(words) and words[k][0] == "的" and _noun(words[k + 1]):
            run = [words[k + 1][0]]
        if run:
            return run[-1] if len(run[-1]) >= 2 else ""
    return ""


def kinds_named(noun: str, text: str, header: str = "") -> set[str]:
    """The kinds of ``noun`` that ``text`` names (示范项目, 中西部骨干项目 for 项目; 骨干教师, 教育家型教师 for 老师),
    and the rows of a table whose first column is headed by the noun (研修活动: 听评课, 公开课, 专题讲座).

    ``header`` is the heading row when ``text`` is one row of a table."""
    ends = (noun, *synonyms(noun))
    return {t for t in lexical_terms(text) if len(t) > len(noun) and t.endswith(ends)} | _table_kinds(ends, text, header)


_ROW_NOTE = re.compile(r"（[^）]*）|\([^)]*\)")


def _table_kinds(ends: tuple[str, ...], text: str, header: str) -> set[str]:
    rows = [*([header] if header else []), *(line for line in text.splitlines() if "|" in line)]
    if len(rows) < 2 or not rows[0].split("|")[0].strip().endswith(ends):
        return set()
    cells = (_ROW_NOTE.sub("", row.split("|")[0]).strip() for row in rows[1:])
    return {c for c in cells if c and c not in ("合计", "小计", "总计") and not set(c) <= set("-:— ")}


def lists_kinds(noun: str, text: str) -> bool:
    """Whether ``text`` names at least two kinds of ``noun``: the passage is a list of what was asked for, not one
    more use of the word."""
    return len(kinds_named(noun, text)) >= 2
