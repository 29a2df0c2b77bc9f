"""A document's short title: what a plan line, a schedule or a record shows beside a section path.

A section path alone (「三、课程模块」) does not say which document it is in once the library holds more than
the one notice, and the full title of an official document is too long to repeat on every line (教育部 财政部
关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知). The short title drops what every reader can
spare — the issuers before 关于, a bracketed span of years, a quoted programme name opening the title
(“国培计划”小学语文骨干教师研修课程大纲) — and is cut at ``MAX_CHARS``. Surfaces render it (《…》) as they like.
"""

from __future__ import annotations

import re

MAX_CHARS = 24
_ISSUERS = re.compile(r"^[^《》“”]{2,40}?(?=关于)")
_YEARS = re.compile(r"[（(]\s*\d{4}\s*[—–\-~至]\s*\d{4}\s*年?\s*[）)]")
_OPENING_NAME = re.compile(r"^[“\"「『][^”\"」』]{2,12}[”\"」』](?=.{6,})")


def short_title(title: str) -> str:
    """关于实施中小学幼儿园教师国家级培训计划的通知 for the notice, 小学语文骨干教师研修课程大纲 for the course
    outline; a title that is already short is left as it is."""
    text = re.sub(r"\s+", " ", title).strip()
    text = _ISSUERS.sub("", text)
    text = _YEARS.sub("", text)
    text = _OPENING_NAME.sub("", text).strip()
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS - 1] + "…"
    return text or title.strip()


def titled(title: str, section: str) -> str:
    """《short title》section, as records written by the core (CSV exports, ledger reasons) name what was studied;
    the section alone when the title is unknown (a task stored without one)."""
    short = short_title(title) if title and title.strip() else ""
    return f"《{short}》{section}" if short else section
