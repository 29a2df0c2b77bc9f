"""Turning chosen quotes into the text a teacher reads, with attribution that is always right.

Quotes are grouped by the passage they come from, in the order they were chosen (best first); each group
is introduced by its own source line (根据《标题》（文号）「章节」：) and every sentence is followed by the
marker of the chunk it was taken from. So a lead line can only name a source that is quoted right below
it, and a sentence is never attributed to a document it does not come from. When the documents quoted give
different figures for what was asked, a closing line says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from assistant.asked_facts import asked_figures, figure_frame
from assistant.catalogue import title_year
from assistant.facts import Quantity, names_plan, quantities
from assistant.hits import Hit
from assistant.question import Asks, Question
from assistant.quote import BULLET, TABLE_CELL, Quote, section_of


@dataclass
class Citation:
    marker: int
    chunk_id: str
    doc_id: str
    title: str
    doc_number: str
    section: str
    text: str  # the quoted span
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"marker": self.marker, "chunk_id": self.chunk_id, "doc_id": self.doc_id, "title": self.title,
                "doc_number": self.doc_number, "section": self.section, "text": self.text,
                "score": round(self.score, 4)}


def source_label(hit: Hit) -> str:
    number = str(hit.metadata.get("doc_number", ""))
    return f"《{hit.title}》" + (f"（{number}）" if number else "")


def _lead(hit: Hit, section: str) -> str:
    return f"根据{source_label(hit)}「{section}」："


def _span(quotes: list[Quote]) -> str:
    """The quoted span of one passage: adjacent sentences verbatim, gaps marked with ……"""
    text = quotes[0].hit.text
    ordered = sorted(quotes, key=lambda s: s.start)
    out = ordered[0].text
    for prev, cur in pairwise(ordered):
        gap = text[prev.end:cur.start]
        joint = "\n" if TABLE_CELL in cur.text else gap.strip("\n")  # a table row starts a line
        out += ("……" if gap.strip() else joint) + cur.text
    return out


def new_citation(citations: dict[str, Citation], hit: Hit) -> Citation:
    cit = citations.get(hit.id)
    if cit is None:
        cit = citations[hit.id] = Citation(len(citations) + 1, hit.id, hit.doc_id, hit.title,
                                           str(hit.metadata.get("doc_number", "")), hit.section, "", hit.score)
    return cit


def _once(quotes: list[Quote]) -> list[Quote]:
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for s in quotes:
        if (s.hit.id, s.start, s.end) not in seen:
            seen.add((s.hit.id, s.start, s.end))
            kept.append(s)
    return kept


def quote_block(chosen: list[Quote], citations: dict[str, Citation] | None = None) -> tuple[str, dict[str, Citation]]:
    """Source lines and marked sentences for ``chosen``; citations are numbered in order of appearance."""
    citations = {} if citations is None else citations
    # A quote inside another of the same passage (a row's first cell beside the whole row) is said by that one.
    chosen = [s for s in chosen if not any(t is not s and t.hit is s.hit and t.start <= s.start and s.end <= t.end
                                           and (t.start, t.end) != (s.start, s.end) for t in chosen)]
    # And a sentence chosen twice (a table row that answers, then again with its table) is quoted once: a
    # repeated row would change what the document appears to say.
    chosen = _once(chosen)
    # One source line per passage, or per section when sibling sections share the passage.
    groups: dict[tuple[str, str], list[Quote]] = {}
    for s in chosen:
        groups.setdefault((s.hit.id, section_of(s)), []).append(s)
    lines = []
    previous: tuple[str, str] | None = None
    for (_, section), quotes in groups.items():
        hit = quotes[0].hit
        fresh = hit.id not in citations
        cit = new_citation(citations, hit)
        ordered = sorted(quotes, key=lambda s: s.start)
        span = _span(ordered)
        if fresh:  # the first section quoted names the citation
            cit.text, cit.section = span, section
        else:
            cit.text = f"{cit.text}……{span}"
        # A list chunked short runs on in the next passage of its section: one source line, a marker per passage.
        if previous != (hit.doc_id, section):
            lines.append(_lead(hit, section))
        previous = (hit.doc_id, section)
        lines.append("".join(("\n" if i and _breaks_line(ordered[i - 1], s) else "") + f"{s.text}[{cit.marker}]"
                             for i, s in enumerate(ordered)))
    return "\n".join(lines), citations


def _breaks_line(before: Quote, s: Quote) -> bool:
    """Table rows (a | b | c) and list items (- 《…》) each on a line of their own, as the document reads. A row
    whose cell holds several clauses (7月6日 | 开班仪式；专题讲座 | 课堂观摩) is quoted clause by clause: the rest of
    the row goes on the row's line, and whatever follows the row starts a new one."""
    if TABLE_CELL in s.text or TABLE_CELL in before.text:
        return before.hit is not s.hit or before.end > s.start or "\n" in s.hit.text[before.end:s.start]
    return _own_line(s)


def _own_line(s: Quote) -> bool:
    """A table row, a list item or the label of a list (必读书目：) starts a line, as in the document (and so
    does whatever follows a table row)."""
    row_name = bool(s.header) and (s.start == 0 or s.hit.text[s.start - 1] == "\n")  # a row's first cell alone
    return TABLE_CELL in s.text or row_name or bool(BULLET.match(s.text)) or s.text.endswith(("：", ":"))


def conflict_note(q: Question, chosen: list[Quote]) -> str:
    """When the quoted documents give different figures (or dates) for what was asked, a last line says so:
    a teacher reading two numbers must know they disagree and that the document that applies to them decides."""
    if q.asks not in (Asks.QUANTITY, Asks.DATE):
        return ""
    # Figures disagree only when they say the same kind of thing: 每8学时 and 每十学时 (two conversion rates)
    # do, 每12学时 (a rate) and 不少于七十二学时 (a yearly amount) do not; any two dates answer "when" alike.
    keyed: dict[str, list[tuple[tuple[str, str], Quantity]]] = {}
    for s in chosen:
        if q.asks == Asks.QUANTITY:
            found = [((figure_frame(s.text, f), f.kind + _counted(s.text, f) + _share_of(s, f)), f)
                     for f in asked_figures(q, s.text, s.header)
                     # 一个周期 gives no number to disagree with 30日; asked for 学时, a span of days beside them is
                     # what the sentence says of something else (五年一周期, 10个工作日内).
                     if not names_plan(s.text, f) and not f.names_span and _of_kind(q, f)]
        else:
            found = [(("date", "date"), f) for f in _dates(s.text)]
        keyed.setdefault(s.hit.doc_id, []).extend(found)
    said_by: dict[tuple[str, str], dict[str, set[float]]] = {}
    for doc, figures in keyed.items():
        for key, f in figures:
            said_by.setdefault(key, {}).setdefault(doc, set()).add(f.value)
    # Two documents disagree on a key when both give it and their figures differ (十学时 = 10学时 agree).
    shared = {key for key, docs in said_by.items() if len({frozenset(v) for v in docs.values()}) >= 2}
    if not shared:
        return ""
    said = "；".join(filter(None, ("、".join(dict.fromkeys(f.text for key, f in figures if key in shared))
                                  for figures in keyed.values())))
    what = "数字" if q.asks == Asks.QUANTITY else "时间"
    # The 2025 and the 2026 registration notices disagree because they are for different years: say which.
    titles = {s.hit.doc_id: s.hit.title for s in chosen}
    years = [title_year(titles[doc]) for doc, figures in keyed.items() if any(key in shared for key, _ in figures)]
    if all(years) and len(set(years)) == len(years):
        return (f"\n注意：以上文件给出的{what}不同（{said}），它们分别是"
                f"{'、'.join(f'{y}年' for y in years)}的文件，请以您所问年份的那份为准。")
    return (f"\n注意：以上文件给出的{what}不同（{said}），可能各自适用于不同的项目或地区，"
            "请以适用于您的文件为准。")


def _of_kind(q: Question, f: Quantity) -> bool:
    """A figure of the kind asked: a share of time when time is asked, a share of a budget when 多少经费 is."""
    return q.unit is None or f.kind == q.unit or (f.of_time and q.unit in ("duration", "hours")) \
        or (q.unit == "money" and f.kind == "percent" and not q.strict_unit)


def _share_of(s: Quote, f: Quantity) -> str:
    """What a percentage in a table row is: the heading of its column (权重, 占比). A row's 20% weight in the
    assessment and a sentence's 50% of the course hours are different things; sentences keep one key, as the
    whole they name varies in wording for the same thing (参训人数的20%, 本班学员的30%)."""
    if f.kind != "percent" or not s.header or TABLE_CELL not in s.text:
        return ""
    cells, heads = s.text.split(TABLE_CELL), s.header.split(TABLE_CELL)
    column = next((i for i, c in enumerate(cells) if f.text in c), None)
    return f":{heads[column].strip()}" if column is not None and column < len(heads) else ""


def _counted(text: str, f: Quantity) -> str:
    """What a count counts (1个[集中研修项目], 三个[阶段]): two counts disagree only about the same thing."""
    if f.kind != "count":
        return ""
    at = text.find(f.text)
    after = re.sub(r"[“”\"「」《》（）()\s]", "", text[at + len(f.text):at + len(f.text) + 12]) if at >= 0 else ""
    return ":" + after[:2]


def _dates(text: str) -> list[Quantity]:
    """Calendar dates in a sentence (2月底, 1月15日), a month and its day read as one."""
    out: list[Quantity] = []
    found = [f for f in quantities(text) if f.kind in ("month", "day")]
    for f in found:
        if f.kind == "day" and out and out[-1].kind == "month":
            month = out.pop()
            out.append(Quantity(month.value * 100 + f.value, "date", month.text + f.text))
        else:
            out.append(f)
    return out
