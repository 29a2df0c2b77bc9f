"""Parts of a passage that are read whole: a table under its heading row, a bulleted list with the lines
that label its parts, a short paragraph.

Two rows of a table, or one item of a list, read as if that were all there is; a teacher asking which
activities count gets the table the rule points to (按下表认定), not the row that matched best.
"""

from __future__ import annotations

import re

from assistant.quote import BULLET, Quote

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


def heading_row(row: Quote) -> Quote:
    """The table's heading row as a quote of its own (it is never a candidate: no answer by itself)."""
    start = row.hit.text.rfind(row.header, 0, row.start)
    return Quote(row.header, row.hit, row.hit_rank, row.order - 1, start, start + len(row.header),
                 header=row.header)
