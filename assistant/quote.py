"""One candidate sentence of a retrieved passage, as selection scores it and the answer quotes it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.hits import Hit
from indexer.structure import (
    PATH_SEPARATOR,
    PREAMBLE,
    heading_rank,
    heading_text,
    is_pure_heading,
)

TABLE_CELL = " | "
# A bulleted or numbered list item (- 《…》, 1. …): quoted on a line of its own.
BULLET = re.compile(r"^\s*(?:[-•·*]\s|\d+[.、)）]\s?)")


@dataclass
class Quote:
    """One candidate sentence: where it sits, and how well it answers."""

    text: str
    hit: Hit
    hit_rank: int
    order: int
    start: int
    end: int
    cover: float = 0.0  # weighted share of the question's terms it holds (synonyms count)
    topic: float = 0.0  # the same share, read with its section's heading (总评70分…合格 under 五、考核评价)
    dense: float = 0.0  # normalised sentence similarity
    fact: bool = True  # holds the kind of fact asked for
    score: float = 0.0
    header: str = ""  # the table's heading row, when this sentence is a table row


def lead_in(q: Quote) -> str:
    """The numbered name on the sentence's own line before it (1. 集体备课。 before 各教研组每两周至少开展一次。,
    （一）县教育局。 before 负责统筹规划…), or empty."""
    before = q.hit.text[q.hit.text.rfind("\n", 0, q.start) + 1:q.start].strip()
    return before if before and heading_rank(before) is not None and is_pure_heading(before) else ""


_CLOSING = "。；;！!？?"


def section_of(q: Quote) -> str:
    """The section the sentence sits in, as the document's own structure has it. A passage is named after
    one section, but short sibling sections share a passage (一、研修时间 … 二、研修记录 … 三、考核 …, named after
    the last; 第一章 总则 第一条 … 第二章 职责 第二条 …, named 第二章 职责 > 第二条): the headings the lines of the
    passage open with, up to the sentence's own line (``_name_of``), are stacked by rank, so a sentence under the
    first of them is cited there and not under the passage's name, down to the chapter above its article.

    Two things keep the passage's name. It is kept when it is the same place said more fully (三、保障措施 >
    （一）健全工作机制 for a sentence the heading lines put under 三、保障措施 … （一）…), and a numbered rule quoted
    whole (1.集中培训每8学时折算1学分。) is cited under its parent rather than under a name that repeats it."""
    text, label = q.hit.text, q.hit.section
    parts = [] if label == PREAMBLE else label.split(PATH_SEPARATOR)
    own = text.rfind("\n", 0, q.start) + 1
    end = text.find("\n", own)
    lines = [line.strip() for line in text[:own].split("\n")[:-1]] + [text[own:end if end >= 0 else None].strip()]
    ranked = {heading_rank(p) for p in parts}
    named = [(i, _name_of(line, ranked)) for i, line in enumerate(lines)]
    headed = [(i, line, rank) for i, line in named if line and (rank := heading_rank(line)) is not None
              and not (rank < 0 and heading_text(line) == q.hit.title)]  # the document's own title (# 课程大纲)
    if not headed:
        return label
    stack = [(r, p) for p in parts if (r := heading_rank(p)) is not None and r < headed[0][2]]
    quoted = q.text.strip().rstrip(_CLOSING)
    for i, line, rank in headed:
        while stack and stack[-1][0] >= rank:
            stack.pop()
        name = heading_text(line)
        if i == len(lines) - 1 and stack and name.rstrip(_CLOSING) == quoted:
            break  # the quote is this numbered line itself: its parent names it
        stack.append((rank, name))
    path = [name for _, name in stack]
    if not path or _within(path, parts):
        return label
    return PATH_SEPARATOR.join(path)


_FIRST = re.compile(r"^.*?[。；;！!？?]")
# An article that opens its own line and runs on into its text: 第1条 各参训学校应当…
_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零〇\d]+条)[\s　：:、]")


def _name_of(line: str, ranked: set[int | None]) -> str:
    """The heading a line opens with: the whole line (二、研修内容), its first sentence when that is a name
    (（一）师德师风专题。每学期…), an article's number (第1条 各参训学校应当…), or the whole line where the
    document heads sections at its rank (二、地点：青山县第三中学。 among 一、二、三、); empty for a numbered rule
    that runs on past its number (2. 请假：集中研修期间原则上不得请假。, 4.参加“国培计划”项目考核合格的，…)."""
    if heading_rank(line) is None:
        return ""
    if is_pure_heading(line):
        return line
    if (article := _ARTICLE.match(line)):
        return article.group(1)
    first = m.group(0) if (m := _FIRST.match(line)) else ""
    if first and is_pure_heading(first):
        return first
    return line if heading_rank(line) in ranked else ""


def _within(path: list[str], parts: list[str]) -> bool:
    """Whether the passage's name already says this place, as fully or more so: the path is a run of its
    headings (三、保障措施 in 三、保障措施 > （一）健全工作机制; 1. 课例 under a Markdown 二、研修内容)."""
    n = len(path)
    return any(parts[i:i + n] == path for i in range(len(parts) - n + 1))
