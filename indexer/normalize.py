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
_DATE_LINE = re.compile(r"^[（(]?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[）)]?$")
_MIN_WRAPPED_LINES = 5


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
        or bool(_DATE_LINE.match(line))
        or line.startswith(("#", "- ", "* ", "> "))
    )


def normalize_text(text: str) -> str:
    """Canonical form: LF line ends, one paragraph per line, no blank lines, sentence-cutting breaks joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _INVISIBLE.sub("", fold_width(text))
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln and not _PAGE_NUMBER.match(ln)]
    wrap = _wrap_width(lines)
    out: list[str] = []
    for line in lines:
        if out and _should_join(out[-1], line, first=len(out) == 1, wrap=wrap):
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
    return "\n".join(out)


def _wrap_width(lines: list[str]) -> int | None:
    """The line width of hard-wrapped text (a PDF's printed lines), or None for one-paragraph-per-line text.

    Wrapped text has many lines of (nearly) the same, maximal length; that length tells a numbered
    paragraph's first printed line (full width, sentence continues) from a real heading (short).
    """
    lengths = [len(ln) for ln in lines if len(ln) >= 12]
    if len(lengths) < _MIN_WRAPPED_LINES:
        return None
    width = max(set(lengths), key=lambda n: sum(1 for x in lengths if abs(x - n) <= 1))
    near = sum(1 for x in lengths if abs(x - width) <= 1)
    return width if near >= _MIN_WRAPPED_LINES and near >= len(lengths) // 3 else None


def _should_join(prev: str, line: str, *, first: bool, wrap: int | None = None) -> bool:
    if _is_block_line(prev) or _is_block_line(line) or _ends_paragraph(prev):
        return False
    # A numbered item opens a new paragraph; a bare heading line is never continued, unless it fills a
    # wrapped line to the margin: then it is the first line of a numbered paragraph cut by the printer.
    if is_heading_line(line):
        return False
    if is_pure_heading(prev):
        return wrap is not None and len(prev) >= wrap - 2
    # A short unpunctuated first line is the title; it is not a broken sentence.
    return not (first and len(prev) <= 60)


def _join(prev: str, line: str) -> str:
    # Latin words keep a space between them; CJK text never had one.
    if prev[-1].isascii() and prev[-1].isalnum() and line[0].isascii() and line[0].isalnum():
        return f"{prev} {line}"
    return prev + line
