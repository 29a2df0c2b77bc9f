"""Parse the skeleton of a Chinese official document: title, 文号 and the heading hierarchy.

Policy texts number their parts 一、 → （一） → 1. → （1）, regulations 第X章 → 第X节 → 第X条; a
teacher's citation is only useful if it names that place, so every character of the text is assigned to
the innermost section that contains it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.text import HAN

_CN_NUM = "一二三四五六七八九十百零〇两"
# (rank, pattern) — a lower rank is a higher level; Markdown headings rank above all numbering.
_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{_CN_NUM}\d]+[编]")),
    (2, re.compile(rf"^第[{_CN_NUM}\d]+章")),
    (3, re.compile(rf"^第[{_CN_NUM}\d]+节")),
    (4, re.compile(rf"^[{_CN_NUM}]+[、．.]")),
    (5, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (6, re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))")),
    (7, re.compile(r"^[（(]\d{1,2}[）)]")),
    (8, re.compile(r"^[①-⑳]")),
    (9, re.compile(rf"^第[{_CN_NUM}\d]+条")),
    # An FAQ entry's question (问1：…？, 问：…？, Q2: …?): the answer below it is its section.
    (10, re.compile(r"^(?:问|Q)\s*\d{0,3}\s*[：:．.、]\s*(?=.*[？?]\s*$)")),
]
_MARKDOWN = re.compile(r"^(#{1,6})\s+(.+)$")
_DOC_NUMBER = re.compile(r"[" + HAN + r"]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号")
# How a section's headings are joined into its path (二、项目设置 > （一）示范引领项目).
PATH_SEPARATOR = " > "
_PURE_HEADING_MAX = 50
_LABELLED = re.compile(r"^[^：:，。]{1,8}[：:]\s*[^\s：:]")
_TITLE_WITH_STOP_MAX = 14
PREAMBLE = "前言"


@dataclass(frozen=True)
class Section:
    """A contiguous span of the text whose innermost heading is ``path[-1]``."""

    path: tuple[str, ...]
    start: int
    end: int
    heading_end: int  # where the heading line ends; body text starts after it

    @property
    def label(self) -> str:
        return PATH_SEPARATOR.join(self.path) if self.path else PREAMBLE

    @property
    def heading(self) -> str:
        return self.path[-1] if self.path else PREAMBLE


@dataclass(frozen=True)
class DocumentStructure:
    title: str
    doc_number: str
    sections: list[Section]


def heading_rank(line: str) -> int | None:
    """The level of the heading this line opens, or None for body text."""
    md = _MARKDOWN.match(line)
    if md:
        return len(md.group(1)) - 10
    for rank, pattern in _MARKERS:
        if pattern.match(line):
            return rank
    return None


def heading_name(heading: str) -> str:
    """A heading without its number: （三）送教下乡培训项目 → 送教下乡培训项目, 2.参训教师任务 → 参训教师任务."""
    text = heading.strip()
    for _, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            return text[m.end():].strip()
    return text


def is_heading_line(line: str) -> bool:
    return heading_rank(line) is not None


def is_pure_heading(line: str) -> bool:
    """A heading line with no sentence after it (``（一）聚焦素养提升，更新…体系``)."""
    if not is_heading_line(line) or len(line) > _PURE_HEADING_MAX or "。" in line.rstrip("。"):
        return False
    # A numbered line that ends a sentence (1.集中培训每8学时折算1学分。) is a rule, not a title; only a
    # short name may carry a closing 。 (（二）目标任务。). A short label with its value (二、地点：青山县第三中学。)
    # states a fact, however short.
    if _LABELLED.match(heading_name(line)):
        return False
    return not line.endswith(("。", "；", ";")) or len(line) <= _TITLE_WITH_STOP_MAX


def heading_text(line: str) -> str:
    """The name of the part: the whole short line, or the lead-in before the first 。 (``（一）支持重点``)."""
    md = _MARKDOWN.match(line)
    if md:
        return md.group(2).strip()
    if re.match(rf"^第[{_CN_NUM}\d]+条", line):
        head = re.match(rf"^第[{_CN_NUM}\d]+条", line)
        assert head is not None
        rest = line[head.end():].strip()
        # 第X条【标题】 or 第X条 title-only lines keep their short title.
        if rest and len(rest) <= 20 and "。" not in rest:
            return f"{head.group(0)} {rest}"
        return head.group(0)
    cut = line.find("。")
    if 0 < cut <= 40:
        return line[:cut]
    if len(line) <= _PURE_HEADING_MAX:
        return line.rstrip("。；;：:")
    return line[:40].rstrip("，,、；;：:") + "…"


def parse_structure(text: str) -> DocumentStructure:
    """Sections covering ``text`` from 0 to len(text) without gaps, in order."""
    lines = _line_spans(text)
    title = ""
    if lines:
        first = text[lines[0][0]:lines[0][1]]
        if not is_heading_line(first) and len(first) <= 80:
            title = first.strip()
        elif _MARKDOWN.match(first):
            title = heading_text(first)
    head_text = "\n".join(text[s:e] for s, e in lines[:12])
    number = _DOC_NUMBER.search(head_text)

    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    cur_start, cur_path, cur_head_end = 0, (), 0
    for start, end in lines:
        line = text[start:end]
        rank = heading_rank(line)
        # A document's own title (a docx "Title" or a leading Markdown heading) is not a part of it.
        if rank is None or (start == lines[0][0] and title and rank < 0):
            continue
        if start > cur_start:
            sections.append(Section(cur_path, cur_start, start, cur_head_end))
        while stack and stack[-1][0] >= rank:
            stack.pop()
        stack.append((rank, heading_text(line)))
        cur_start, cur_path, cur_head_end = start, tuple(h for _, h in stack), end
    if len(text) > cur_start or not sections:
        sections.append(Section(cur_path, cur_start, len(text), cur_head_end))
    return DocumentStructure(title=title, doc_number=number.group(0) if number else "", sections=sections)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans
