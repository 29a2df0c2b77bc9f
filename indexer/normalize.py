"""Turn loader text into the canonical text that chunk offsets point into.

Official documents reach us with hard line breaks and page breaks in the middle of sentences
(``力度，⏎⏎提升…``). Left alone, a sentence would be cut in two and neither half would retrieve well,
so lines are re-joined wherever the break cannot be a real paragraph end.
"""

from __future__ import annotations

import re

from indexer.structure import is_heading_line, is_pure_heading

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp).isalnum()}
_FULLWIDTH.update({0x3000: 0x20, 0xFF05: ord("%"), 0xFF0E: ord(".")})
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—－–]\s*\d{1,4}\s*[-—－–]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$")
_PARAGRAPH_END = (*"。！？；：!?;:…”’」』）)】", "——")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\d{1,4}号$")
_TABLE_ROW = " | "


def fold_width(text: str) -> str:
    """Full-width ASCII letters/digits (and %) become half-width; Chinese punctuation stays as written."""
    return text.translate(_FULLWIDTH)


def _ends_paragraph(line: str) -> bool:
    return line.endswith(_PARAGRAPH_END)


def _is_block_line(line: str) -> bool:
    """Lines that neither continue nor get continued, whatever punctuation they end with."""
    return (
        _TABLE_ROW in line
        or bool(_DOC_NUMBER.match(line))
        or line.startswith(("#", "- ", "* ", "> "))
    )


def normalize_text(text: str) -> str:
    """Canonical form: LF line ends, one paragraph per line, no blank lines, sentence-cutting breaks joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _INVISIBLE.sub("", fold_width(text))
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln and not _PAGE_NUMBER.match(ln)]
    out: list[str] = []
    for line in lines:
        if out and _should_join(out[-1], line, first=len(out) == 1):
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
    return "\n".join(out)


def _should_join(prev: str, line: str, *, first: bool) -> bool:
    if _is_block_line(prev) or _is_block_line(line) or _ends_paragraph(prev):
        return False
    # A numbered item opens a new paragraph; a bare heading line is never continued.
    if is_heading_line(line) or is_pure_heading(prev):
        return False
    # A short unpunctuated first line is the title; it is not a broken sentence.
    return not (first and len(prev) <= 60)


def _join(prev: str, line: str) -> str:
    # Latin words keep a space between them; CJK text never had one.
    if prev[-1].isascii() and prev[-1].isalnum() and line[0].isascii() and line[0].isalnum():
        return f"{prev} {line}"
    return prev + line
