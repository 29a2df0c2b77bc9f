"""Helpers every format extractor shares: decoding to lines and the heading convention.

Headings that carry Chinese numbering are emitted bare, all others as Markdown ``#`` lines, because the
numbering is what ``indexer.structure`` ranks and a ``#`` in front would hide it.
"""

from __future__ import annotations

import re

from corpus.encoding import decode_text

# Mirrors the markers indexer.structure ranks; such headings are emitted without '#'.
_CN_NUM = "一二三四五六七八九十百零〇两"
_NUMBERED = re.compile(
    rf"^\s*(?:第[{_CN_NUM}\d]+[编章节条]|[{_CN_NUM}]+[、．.]|[（(][{_CN_NUM}\d]+[）)]"
    r"|\d{1,2}(?:[、．]|\.(?!\d))|[①-⑳])"
)


def heading_line(text: str, level: int) -> str:
    """A styled heading as a text line: Markdown '#' unless the text carries its own numbering."""
    text = " ".join(text.split())
    if not text or _NUMBERED.match(text):
        return text
    return "#" * max(1, min(level, 6)) + " " + text


def decode_lines(data: bytes, name: str) -> str:
    return decode_text(data, name).replace("\r\n", "\n").replace("\r", "\n")
