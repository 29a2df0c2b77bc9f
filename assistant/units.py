"""Parts of a passage that are read whole: a table under its heading row, a bulleted list with the lines
that label its parts, a short paragraph.

Two rows of a table, or one item of a list, read as if that were all there is; a teacher asking which
activities count gets the table the rule points to (按下表认定), not the row that matched best.
"""

from __future__ import annotations

import re

from assistant.facts import UNIT_KINDS, table_quantities
from assistant.quote import BULLET, TABLE_CELL, Quote

TABLE_LEAD = re.compile(r"(?:如|按|见|依)下表|下表(?:所列|列出)|如表")


def table_of(best: Quote, ranked: list[Quote]) -> list[Quote]:
    """The rows of the table the best sentence belongs to, or introduces (按下表认定), in their order."""
    same = sorted((s for s in ranked if s.hit is best.hit), key=lambda s: s.order)
    rows = [s for s in same if s.header]
    if not rows:
        return []
    if best.header:
        return [s for s in rows if s.header == best.header]
    after = [s for s in same if s.order > best.order]
    if after and after[0].header and TABLE_LEAD.search(best.text):
        return [s for s in rows if s.header == after[0].header]
    return []


# 哪个模块学时最少, 哪一项权重最高: the answer is the row holding the extreme figure, found by reading them all.
EXTREME = re.compile(r"最(少|短|低|小)|最(多|长|高|大)")
_TOTAL = re.compile(r"^\s*(?:合计|总计|小计|共计)")
_SHARE = re.compile(r"占比|比例|比重|权重|百分")


def extreme_rows(best: Quote, ranked: list[Quote], question: str) -> list[Quote]:
    """The rows of the best row's table (across passages: a long table is chunked) whose figure in the asked
    column is the least or the greatest, as the question asks; empty when that cannot be read off the table."""
    m = EXTREME.search(question)
    if not m or not best.header:
        return []
    kinds = {kind for unit, kind in UNIT_KINDS if len(unit) >= 2 and unit in question}
    if _SHARE.search(question):
        kinds.add("percent")
    rows: dict[str, tuple[Quote, float]] = {}
    for s in ranked:
        if s.header != best.header or TABLE_CELL not in s.text or s.text in rows or _TOTAL.match(s.text):
            continue
        figures = [f for f in table_quantities(s.header, s.text) if not kinds or f.kind in kinds]
        if len({f.kind for f in figures}) != 1 or len(figures) != 1:
            return []  # which column is asked about is not clear
        rows[s.text] = (s, figures[0].value)
    if len(rows) < 3:
        return []  # a comparison needs the table, not two rows of it
    values = [v for _, v in rows.values()]
    target = min(values) if m.group(1) else max(values)
    found = sorted((s for s, v in rows.values() if v == target),
                   key=lambda s: (int(s.hit.metadata.get("ordinal", 0)), s.start))
    # Each row whole (a cell of several clauses is several sentences), under the heading row, in document order.
    out = [c for row in found for c in paragraph_of(row, ranked)]
    head = next((h for row in found if (h := heading_row(row))), None)
    unique = list({id(c): c for c in out}.values())
    return ([head] if head else []) + unique


def named_column(best: Quote, ranked: list[Quote], noun: str) -> list[Quote]:
    """哪几个模块, asked of a table whose first column is 模块: the first cell of each of its rows (across passages:
    a long table is chunked), in document order, each quoted as it stands in its row; empty when the table's first
    column is not what is listed or it has fewer than three rows."""
    if not noun or not best.header:
        return []
    first = best.header.split(TABLE_CELL)[0].strip()
    if not first or (noun not in first and first not in noun):
        return []
    rows: dict[str, Quote] = {}
    for s in ranked:
        if s.header != best.header or s.hit.doc_id != best.hit.doc_id or TABLE_CELL not in s.text \
                or _TOTAL.match(s.text):
            continue
        cell = s.text.split(TABLE_CELL)[0].strip()
        at = s.hit.text.find(cell, s.start)
        if cell and cell not in rows and at >= 0:
            rows[cell] = Quote(cell, s.hit, s.hit_rank, s.order, at, at + len(cell), score=s.score, header=s.header)
    if len(rows) < 3:
        return []
    return sorted(rows.values(), key=lambda q: (int(q.hit.metadata.get("ordinal", 0)), q.start))


def list_of(best: Quote, ranked: list[Quote]) -> list[Quote]:
    """The run of bullet items (- 《…》) the best sentence belongs to, in order, with the lines that label its
    parts (必读书目：); empty when the best sentence is no bullet item."""
    if not BULLET.match(best.text):
        return []
    same = sorted((s for s in ranked if s.hit is best.hit), key=lambda s: s.order)
    at = same.index(best)
    start = end = at
    while start > 0 and BULLET.match(same[start - 1].text) and same[start - 1].order == same[start].order - 1:
        start -= 1
    while end + 1 < len(same) and BULLET.match(same[end + 1].text) and same[end + 1].order == same[end].order + 1:
        end += 1
    run = same[start:end + 1]
    # The lines that label parts of the list (必读书目： / 选读书目：) are no sentences of their own; they are
    # quoted with it, verbatim from the passage, so the teacher sees which items are which.
    labels = []
    for item in run:
        line_start = best.hit.text.rfind("\n", 0, max(0, item.start - 1)) + 1
        line = best.hit.text[line_start:item.start].strip()
        if line.endswith(("：", ":")) and not BULLET.match(line) and len(line) <= 20:
            at = best.hit.text.find(line, line_start)
            labels.append(Quote(line, item.hit, item.hit_rank, item.order, at, at + len(line)))
    return sorted(labels + run, key=lambda s: s.start)


def paragraph_of(best: Quote, ranked: list[Quote]) -> list[Quote]:
    """The sentences of the best sentence's own paragraph (its line of the passage), in order."""
    text = best.hit.text
    start = text.rfind("\n", 0, best.start) + 1
    end = text.find("\n", best.end)
    end = len(text) if end < 0 else end
    return sorted((s for s in ranked if s.hit is best.hit and s.start >= start and s.end <= end),
                  key=lambda s: s.start)


def heading_row(row: Quote) -> Quote | None:
    """The table's heading row as a quote of its own (it is never a candidate: no answer by itself); None when
    the row's passage continues a table another passage opened, so the heading cannot be cited to it."""
    start = row.hit.text.rfind(row.header, 0, row.start)
    if start < 0:
        return None
    return Quote(row.header, row.hit, row.hit_rank, row.order - 1, start, start + len(row.header),
                 header=row.header)


# The markers of an enumerated list: （一） 1. （1） 一、 — items of one list share one kind of marker.
_ITEM = re.compile(r"^\s*(?:(（[一二三四五六七八九十]+）)|(（\d+）|\(\d+\))|(\d+[.．、])(?!\d)|([一二三四五六七八九十]+、))")


def item_marker(text: str) -> int:
    """Which kind of numbered item ``text`` opens with (（一）, （1）, 1., 一、), 0 when it is no item."""
    m = _ITEM.match(text)
    return next((i for i, g in enumerate(m.groups(), 1) if g), 0) if m else 0


def list_run(best: Quote, ranked: list[Quote]) -> list[Quote]:
    """The numbered list the best sentence opens (…完成以下任务：) or belongs to, whole and in order, when it runs on
    past the best sentence's passage into the next ones of its section; empty otherwise. An item's later
    sentences on its own line come with it."""
    section, doc = best.hit.section, best.hit.doc_id

    def ordinal(s: Quote) -> int:
        return int(s.hit.metadata.get("ordinal", 0))

    here = ordinal(best)
    after = sorted((s for s in ranked if s.hit.doc_id == doc and s.hit.section == section
                    and (ordinal(s), s.start) > (here, best.start)), key=lambda s: (ordinal(s), s.start))
    opens = best.text.rstrip().endswith(("：", ":"))
    kind = item_marker(after[0].text) if opens and after else item_marker(best.text)
    if not kind:
        return []
    run: list[Quote] = [] if opens else [best]
    last = here
    for s in after:
        if ordinal(s) > last + 1:
            break  # a passage of the section between is not among the candidates: the list cannot be read whole
        if item_marker(s.text) == kind:
            run.append(s)
        elif run and s.hit is run[-1].hit and line_at(s.hit.text, s.start) == line_at(s.hit.text, run[-1].start):
            run.append(s)  # the item's later sentence, on its line
        else:
            break
        last = ordinal(s)
    if not any(ordinal(s) > here for s in run):
        return []
    return [best, *run] if opens else run


def line_at(text: str, at: int) -> str:
    """The whole line of ``text`` that position ``at`` is on."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return text[start:] if end < 0 else text[start:end]


def items_of(best: Quote, ranked: list[Quote]) -> list[Quote]:
    """The items of the enumerated list (（一）…（五）, 1.…3.) the best sentence opens, in document order, across
    the passages the list was chunked into (a later item may head a passage of its own: 八、年度工作安排 >
    （五）…); empty when the best sentence is no such item or has no sibling among the candidates."""
    kind = item_marker(best.text)
    if not kind:
        return []
    section = best.hit.section

    def sibling(s: Quote) -> bool:
        return (s.hit.doc_id == best.hit.doc_id and item_marker(s.text) == kind
                and (s.hit.section == section or s.hit.section.startswith(section + " > ")))

    found = {(s.hit.id, s.start): s for s in ranked if sibling(s)}
    items = sorted(found.values(), key=lambda s: (int(s.hit.metadata.get("ordinal", 0)), s.start))
    return items if len(items) > 1 else []
