"""Which sentences of the retrieved passages may be quoted at all.

Sentences that address the assistant (planted instructions) and a document's furniture (its title, 文号,
salutation, signature and date lines) are never candidates (``assistant.furniture``), nor is a table's heading
row, which is no answer by itself, nor a document's preamble unless the question asks why it was issued.
"""

from __future__ import annotations

import re

from assistant.furniture import INSTRUCTION, is_furniture
from assistant.hits import Hit, Retrieval
from assistant.question import Asks
from assistant.quote import TABLE_CELL, Quote
from assistant.units import line_at
from indexer.chunking import sentences

_BASIS = re.compile(r"依据|根据|落实|贯彻|按照|参照|目的|宗旨|初衷|背景")


def candidates(retrieval: Retrieval, max_hits: int = 5, *, within: float = 0.7) -> list[Quote]:
    """Quotable sentences of the top passages whose score is within ``within`` of the best."""
    if not retrieval.hits:
        return []
    top = retrieval.hits[0].score
    # A document's preamble (为……，落实《…》，现就……通知如下) frames the whole document: it answers why it was
    # issued and what it rests on, nothing else, though it names the programme and everyone it covers.
    q = retrieval.question
    frame = q is not None and (q.asks == Asks.REASON or bool(_BASIS.search(q.text)))
    preambles = {} if frame else {d.doc_id: d.purpose for d in retrieval.documents if d.purpose}
    pool: list[Quote] = []
    hits = retrieval.hits[:max_hits]
    seen: set[str] = set()
    for rank, parent in enumerate(hits):
        if rank and parent.score < within * top:
            break
        # A numbered list chunked short runs on in the next passages of its section: their items are candidates
        # too (ranked as the passage they continue), so the whole list can be quoted.
        for hit in [parent, *retrieval.continued.get(parent.id, [])]:
            if hit.id in seen:
                continue
            seen.add(hit.id)
            pool += _quotes(hit, rank, hits, preambles)
    return pool


def _quotes(hit: Hit, rank: int, hits: list[Hit], preambles: dict[str, str]) -> list[Quote]:
    """The quotable sentences of one passage."""
    pool: list[Quote] = []
    header, in_table = "", False
    for order, (s, e) in enumerate(sentences(hit.text)):
        text = hit.text[s:e]
        row = TABLE_CELL in text
        if row and not in_table and not re.search(r"\d", text):
            # A run of table rows opens with its heading row (no figures in it): the other rows are
            # read by it, and it is no answer by itself.
            header, in_table = text, True
            continue
        if row and not in_table:
            # A long table is chunked: rows that continue it read by the heading row another passage of
            # the same section opened it with.
            header = _heading_elsewhere(hit, hits, text.count(TABLE_CELL))
        # A cell of several clauses (语文核心素养；统编教材编排体系) is split into sentences; the ones after
        # the first are still on the row's line, inside the table.
        inside = not row and in_table and TABLE_CELL in line_at(hit.text, s)
        in_table = row or inside
        if not in_table:
            header = ""
        preamble = preambles.get(hit.doc_id)
        if preamble and preamble in text:
            continue
        if not is_furniture(text, hit, hit.text[e:]) and not INSTRUCTION.search(text):
            pool.append(Quote(text, hit, rank, order, s, e, header=header))
    return pool


def _heading_elsewhere(hit: Hit, hits: list[Hit], cells: int) -> str:
    """The heading row (no figures, as many cells) of a table in another passage of the same section."""
    for other in hits:
        if other is hit or other.doc_id != hit.doc_id or other.section != hit.section:
            continue
        for line in other.text.splitlines():
            if line.count(TABLE_CELL) == cells and not re.search(r"\d", line):
                return line.strip()
    return ""
