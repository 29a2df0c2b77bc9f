"""What the head and foot of an official document say about it: 文号, issuing bodies and date.

A Chinese official document announces itself in fixed places: the 文号 on its own line under the title,
the issuing bodies at the start of the title (教育部 财政部关于……的通知) or in the signature block at the
end, and the date on the line after the signature (2021年5月10日). Teachers ask about exactly these
things ("这个文件是谁发的？"), so they are read once at load time and kept as metadata.
"""

from __future__ import annotations

import re

from corpus.text import HAN

_HEAD_LINES = 10
_FOOT_LINES = 8
_DOC_NUMBER = re.compile(r"([" + HAN + r"]{1,12})\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,4})\s*号")
_DATE_LINE = re.compile(r"^[（(]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[）)]?$")
_ISSUER = re.compile(
    r"^[" + HAN + r"]{2,20}?(?:部|厅|局|委员会|委|办公室|办公厅|政府|中心|学院|大学|学校|研究院|协会)$"
)
_TITLE_ISSUERS = re.compile(r"^(.{2,60}?)关于")
# A web page or course document names its author on a labelled line: 发布单位：某市教师发展中心.
_LABELLED = re.compile(r"(?:发布单位|发文单位|发布机构|制订单位|制定单位|印发单位|编制单位|承办单位)\s*[:：]\s*"
                       r"([" + HAN + r"]{2,20}(?:部|厅|局|委员会|委|办公室|办公厅|政府|中心|学院|大学|学校|研究院|协会))"
                       r"(?=[\s　，。；;,、]|$)")


def find_doc_number(text: str) -> str:
    """The 文号 near the top, normalised to 〔〕; a line that is only a 文号 beats one merely citing it."""
    lines = _lines(text)[:_HEAD_LINES]
    for line in lines:
        m = _DOC_NUMBER.fullmatch(line)
        if m:
            return _format(m)
    for line in lines:
        m = _DOC_NUMBER.search(line)
        if m:
            return _format(m)
    return ""


def find_date(text: str) -> str:
    """The signing date as ISO ``YYYY-MM-DD`` from a date line at the foot (or, failing that, the head)."""
    lines = _lines(text)
    for line in [*reversed(lines[-_FOOT_LINES:]), *lines[:_HEAD_LINES]]:
        m = _DATE_LINE.match(line)
        if m:
            year, month, day = (int(g) for g in m.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def find_issuers(title: str, text: str) -> tuple[str, ...]:
    """Issuing bodies from the title (X Y关于…), the signature lines just above the date line, or a labelled
    line near the top (发布单位：某市教师发展中心, 承办单位：某师范大学教师教育学院)."""
    m = _TITLE_ISSUERS.match(title.strip())
    if m:
        names = tuple(n for n in re.split(r"[\s、，,]+", m.group(1)) if _ISSUER.match(n))
        if names:
            return names
    lines = _lines(text)
    for i in range(len(lines) - 1, max(-1, len(lines) - _FOOT_LINES - 1), -1):
        if _DATE_LINE.match(lines[i]):
            names: list[str] = []
            for line in reversed(lines[max(0, i - 3):i]):
                parts = [p for p in re.split(r"[\s、，,]+", line) if p]
                if parts and all(_ISSUER.match(p) for p in parts):
                    names = parts + names
                else:
                    break
            if names:
                return tuple(names)
            break
    for line in lines[:_HEAD_LINES]:
        labelled = _LABELLED.search(line)
        if labelled:
            return (labelled.group(1),)
    return ()


def _lines(text: str) -> list[str]:
    return [re.sub(r"^#{1,6}\s+", "", line).strip() for line in text.splitlines() if line.strip()]


def _format(m: re.Match[str]) -> str:
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
