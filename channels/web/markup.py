"""Answer text as HTML: citation markers become links to the quoted span, everything else is escaped.

The core writes markers as ``[1]``, ``[2]`` after the sentences they support; the console turns each
into a link to the citation panel with the same number (``#<answer id>-c<n>``), which the page's script
opens in place and which still jumps to the right panel without the script. Nothing from the answer is
ever inserted unescaped.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from assistant.contract import sources_heading
from assistant.labels import (
    ACTION_LABELS,
    STATUS_LABELS,
    account_label,
    action_label,
    feedback_kind_label,
    job_kind_label,
    job_outcome,
    status_label,
)
from assistant.records.teachers import beijing_time

_MARKER = re.compile(r"\[(\d{1,2})\]")


def answer_html(text: str, answer_id: str, markers: set[int] | frozenset[int] = frozenset()) -> Markup:
    """Paragraphs of escaped text with each known ``[n]`` turned into a citation link."""

    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        if markers and n not in markers:
            return match.group(0)
        return (f'<a class="marker" href="#{answer_id}-c{n}" data-cite="{answer_id}-c{n}" '
                f'aria-label="查看引文 {n}">[{n}]</a>')

    paragraphs = [p for p in str(text).split("\n") if p.strip()]
    return Markup("".join(f"<p>{_MARKER.sub(link, str(escape(p)))}</p>" for p in paragraphs))


def pct(value: Any, digits: int = 0) -> str:
    """A fraction as a percentage; a missing value as a dash."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{float(value):.{digits}f}".rstrip("0").rstrip(".") if digits else f"{float(value):.0f}"


def size(value: Any) -> str:
    n = float(value or 0)
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" or n == int(n) else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} MB"


def comment_pages(path: str, page: dict[str, Any], target: str | None) -> dict[str, str | None]:
    """Links around a page of comments on ``path``: newer, older, the first page, and all targets again;
    each keeps the target being read and lands on the comments section."""

    def href(offset: int, about: str | None = target) -> str:
        query = {k: v for k, v in (("target", about), ("offset", offset)) if v}
        return f"{path}?{urlencode(query)}#comments" if query else f"{path}#comments"

    offset, limit, total = page["offset"], page["limit"], page["total"]
    return {"newer": href(max(offset - limit, 0)) if offset else None,
            "older": href(offset + limit) if offset + limit < total else None,
            "first": href(0), "everything": href(0, None), "target": target or None}


STATES = STATUS_LABELS
ACTIONS = ACTION_LABELS


def state(value: Any) -> str:
    """A job's or resource's status in Chinese (unknown ones as they are)."""
    return status_label(value)


def action(value: Any) -> str:
    return action_label(value)


FILTERS = {"answer_html": answer_html, "sources_heading": sources_heading, "pct": pct, "num": num, "size": size, "state": state, "action": action,
           "kind": job_kind_label, "account": account_label, "feedback_kind": feedback_kind_label,
           "beijing": beijing_time, "job_outcome": job_outcome}
