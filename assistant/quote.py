"""One candidate sentence of a retrieved passage, as selection scores it and the answer quotes it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.retrieval import Hit
from indexer.structure import (
    PATH_SEPARATOR,
    PREAMBLE,
    heading_name,
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


# An article that opens its own line and runs on into its text: 第1条 各参训学校应当…
_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零〇\d]+条)[\s　：:、]")


def section_of(q: Quote) -> str:
    """The section the sentence sits in. A passage is named after one section, but short sibling sections
    share a passage (一、研修时间 … 二、研修记录 … 三、考核 …, named after the last): a heading line above the
    sentence inside the passage, unless the passage's own name already has it, says where it really is."""
    # The numbered name the sentence's own line opens with (or the sentence itself: 第1条 各参训学校应当…), else a
    # heading line above.
    above = q.hit.text[:q.start].split("\n")[:-1]
    article = _ARTICLE.match(q.text) if q.hit.text[:q.start].endswith("\n") or q.start == 0 else None
    line = lead_in(q) or (article.group(1) if article else "") or next(
        (s.strip() for s in reversed(above) if heading_rank(s.strip()) is not None and is_pure_heading(s.strip())), "")
    if not line:
        return q.hit.section
    name = heading_text(line)
    parts = [] if q.hit.section == PREAMBLE else q.hit.section.split(PATH_SEPARATOR)
    if name == q.hit.title:  # the document's own title (# 课程大纲) heads the whole document, not a part of it
        return q.hit.section
    # The same section by name (研修时间); a bare number (第2条) is the same section only as the same number.
    if any(heading_name(p) == heading_name(name) and (heading_name(name) or p == name) for p in parts):
        return q.hit.section
    rank = heading_rank(line)
    assert rank is not None
    outer = [p for p in parts if (r := heading_rank(p)) is not None and r < rank]
    return PATH_SEPARATOR.join([*outer, name])
