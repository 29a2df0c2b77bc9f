"""Helpers every format extractor shares: decoding to lines, the heading convention and the work budget.

Headings that carry Chinese numbering are emitted bare, all others as Markdown ``#`` lines, because the
numbering is what ``indexer.structure`` ranks and a ``#`` in front would hide it.

The budget exists because size checks alone do not bound the work: a 37 KB .docx can hold 100 000
paragraphs and an HTML page can nest 200 000 elements. Every extractor spends one unit per block it
emits or element it visits and checks the clock as it goes, so a hostile file ends in a ``LoaderError``
that names the file and the reason instead of pinning a core for minutes.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from corpus.documents import LoaderError
from corpus.encoding import decode_text

# Mirrors the markers indexer.structure ranks; such headings are emitted without '#'.
_CN_NUM = "一二三四五六七八九十百零〇两"
_NUMBERED = re.compile(
    rf"^\s*(?:第[{_CN_NUM}\d]+[编章节条]|[{_CN_NUM}]+[、．.]|[（(][{_CN_NUM}\d]+[）)]"
    r"|\d{1,2}(?:[、．]|\.(?!\d))|[①-⑳])"
)

# A 3 000-page Word file has about 60 000 paragraphs; a real policy web page a few thousand elements.
MAX_BLOCKS = 200_000
MAX_PAGES = 3_000
MAX_SECONDS = 60.0
_CLOCK_EVERY = 512  # units between clock reads: time.monotonic() is cheap, but not free


@dataclass(frozen=True)
class ParseLimits:
    """How much one document may cost to read: blocks (paragraphs, rows, elements, lines), pages, seconds."""

    max_blocks: int = MAX_BLOCKS
    max_pages: int = MAX_PAGES
    max_seconds: float = MAX_SECONDS


@dataclass
class Budget:
    """The work left for one file; ``spend`` raises a ``LoaderError`` naming the file once it runs out."""

    name: str
    limits: ParseLimits = field(default_factory=ParseLimits)
    spent: int = 0
    _deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.limits.max_seconds

    def spend(self, units: int = 1, what: str = "段落") -> None:
        before, self.spent = self.spent, self.spent + units
        if self.spent > self.limits.max_blocks:
            self.refuse_count(what)
        if before // _CLOCK_EVERY != self.spent // _CLOCK_EVERY:
            self.check_time()

    def refuse_count(self, what: str) -> None:
        raise LoaderError(f"拒绝处理「{self.name}」：{what}数量超过上限（{self.limits.max_blocks} 个），"
                          "文件结构异常或内容过多，请检查或拆分后再上传")

    def pages(self, count: int) -> None:
        if count > self.limits.max_pages:
            raise LoaderError(f"拒绝处理「{self.name}」：共 {count} 页，超过上限（{self.limits.max_pages} 页），"
                              "请拆分后再上传")

    def check_time(self) -> None:
        if time.monotonic() > self._deadline:
            raise LoaderError(f"处理「{self.name}」超时：解析超过 {self.limits.max_seconds:g} 秒仍未完成，"
                              "文件结构异常或内容过多，请检查或拆分后再上传")


def heading_line(text: str, level: int) -> str:
    """A styled heading as a text line: Markdown '#' unless the text carries its own numbering."""
    text = " ".join(text.split())
    if not text or _NUMBERED.match(text):
        return text
    return "#" * max(1, min(level, 6)) + " " + text


def decode_lines(data: bytes, name: str) -> str:
    return decode_text(data, name).replace("\r\n", "\n").replace("\r", "\n")
