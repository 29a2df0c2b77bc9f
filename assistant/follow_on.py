"""What of the quoted passages joins the best sentence: sentences that add something new, and the table, list or
paragraph the best sentence belongs to, read whole.

Further sentences join the best one only if they answer too; a sentence about funding never rides along with
one about teachers. Two rows of a table, or one item of a list, read as if that were all there is, so a unit the
answer sits in is quoted whole when it is short enough (``assistant.units`` finds its parts).
"""

from __future__ import annotations

import re

from assistant.asked_facts import counted_noun, figure_keys
from assistant.leading import headed_item
from assistant.question import Asks, Question
from assistant.quote import BULLET, TABLE_CELL, Quote
from assistant.units import heading_row, items_of, list_of, list_run, named_column, paragraph_of, table_of
from indexer.tokenizer import lexical_terms

MAX_SENTENCES = 3
MAX_ANSWER_CHARS = 320
# How many sentences after the best one, in its own passage, may follow it (fitted on the dev split).
FOLLOW_ON = 2
# A list question (or a bare topic) answered by a table gets all its rows, within this many characters.
MAX_TABLE_CHARS = 480
# A paragraph this short (an FAQ entry's answer, one numbered item) is one answer: quoted whole (dev split).
MAX_PARAGRAPH_CHARS = 220
# ... and has at most this many full sentences (clauses joined by ； are one): five sentences are several rules.
MAX_PARAGRAPH_SENTENCES = 4
_PER_ITEM = re.compile(r"各(?:占|是|为|有|要|需)?(?:多少|几)|分别(?:占|是|为|有)?(?:多少|几)|哪些[^，。？]*多少|哪几[^，。？]*多少")
_TABLE_NAMED = re.compile(r"(?:那|这|哪)张表|表(?:格)?(?:里|上|中)|按(?:照)?表")
_SCHEDULE = re.compile(r"时间表|日程|时间安排|进度安排|工作安排|时间节点")


def new_terms(q: Question, best: Quote, answering: list[Quote], chosen: list[Quote]) -> list[Quote]:
    """``chosen`` with the sentences of its passages that cover a term of the question none of it covers: an
    extra sentence must add something, and a sentence of another passage would be an answer of its own."""
    chosen = list(chosen)
    docs = {c.hit.doc_id for c in chosen}
    terms = set(q.terms)
    covered = set().union(*(set(lexical_terms(c.text)) & terms for c in chosen))
    length = _chars(chosen)
    for s in answering[1:]:
        if len(chosen) >= MAX_SENTENCES + len(docs) - 1 or s.score < 0.75 * best.score:
            break
        if s in chosen or not any(s.hit is c.hit for c in chosen):
            continue  # extra sentences only from passages already quoted
        new = (set(lexical_terms(s.text)) & terms) - covered
        if new and length + len(s.text) <= MAX_ANSWER_CHARS:
            chosen.append(s)
            covered |= new
            length += len(s.text)
    return chosen


def read_on(q: Question, best: Quote, chosen: list[Quote], ranked: list[Quote], noun: str = "",
            asked: str = "") -> list[Quote]:
    """``chosen`` with the rest of the unit the best sentence belongs to, or else the sentences after it: a part
    of a unit reads as if it were all. Only the first rule that applies answers, for each reads the best sentence
    differently. ``noun`` is what a list question asks the kinds of; ``asked`` the teacher's own text when ``q``
    joins it with the conversation's topic."""
    whole = _numbered_items(q, best, chosen, ranked, noun)
    if whole:
        return whole
    column = _counted_column(q, best, ranked)
    if column:
        return column
    # 各占多少、分别是多少 asks for a figure per item: a table of them is read whole, like a list.
    per_item = q.asks == Asks.QUANTITY and bool(_PER_ITEM.search(q.text))
    pointed = _table_pointed_at(q, best, chosen, ranked)
    if pointed:
        return pointed
    if q.wants_fact and not per_item:
        return _one_fact(q, best, chosen, ranked, asked)
    following = sorted((s for s in ranked if s.hit is best.hit and s.order > best.order), key=lambda s: s.order)
    table, lead = _table_around(q, best, chosen, ranked, following, per_item)
    if per_item and not table:
        return chosen
    paragraph = [] if table else _short_paragraph(best, chosen, ranked)
    if paragraph:
        return paragraph
    # Who does something is answered by the sentence that names them, alone.
    if q.asks == Asks.ACTOR:
        return chosen
    row = _row_named(q, best, ranked) if table else []
    if row:
        return row
    whole_table = _whole_table(q, table, chosen, ranked, lead, noun) if table else []
    if whole_table:
        return whole_table
    listed = _bulleted_list(q, best, chosen, ranked)
    if listed:
        return listed
    run = _numbered_run(q, best, chosen, ranked)
    if run:
        return run
    return _following(chosen, following)


def _chars(quotes: list[Quote]) -> int:
    return sum(len(s.text) for s in quotes)


def _numbered_items(q: Question, best: Quote, chosen: list[Quote], ranked: list[Quote], noun: str) -> list[Quote]:
    # 目标有几条, asked of a section headed 课程目标 that numbers them: every item answers, across the passages the
    # list was chunked into.
    whole = items_of(best, ranked) if q.asks == Asks.LIST and noun and headed_item(noun, best) else []
    if whole and _chars(chosen) + sum(len(s.text) for s in whole if s not in chosen) <= MAX_TABLE_CHARS:
        return [*whole, *(c for c in chosen if c not in whole)]
    return []


def _counted_column(q: Question, best: Quote, ranked: list[Quote]) -> list[Quote]:
    # 整个课程分几个模块, asked of a table whose first column is 模块: no figure counts them (the best row's 12 is
    # its hours); the name of every row does, 模块一 to 模块九, read off the table.
    if q.asks == Asks.QUANTITY and q.unit == "count" and best.header:
        return named_column(best, ranked, counted_noun(q))
    return []


def _table_pointed_at(q: Question, best: Quote, chosen: list[Quote], ranked: list[Quote]) -> list[Quote]:
    # 按市里那张表能折多少学时: a question that points at the table is answered by it, under its heading row.
    table = table_of(best, ranked) if q.wants_fact and _TABLE_NAMED.search(q.text) else []
    if table:
        extra = _under_heading(table, chosen)
        if _chars(chosen) + sum(len(s.text) for s in extra) <= MAX_TABLE_CHARS:
            return [*chosen, *extra]
    return []


def _one_fact(q: Question, best: Quote, chosen: list[Quote], ranked: list[Quote], asked: str) -> list[Quote]:
    # A question after one fact (a figure, a date) is answered by the sentence that holds it; but when that
    # sentence is one item of a list whose other items give the same kind of fact, and the question names
    # nothing that singles it out (几个学时折1学分 among 集中培训每8学时… 网络研修每10学时…), all of them answer.
    items = _parallel(q, best, ranked, asked)
    if items and _chars(chosen) + sum(len(s.text) for s in items if s not in chosen) <= MAX_TABLE_CHARS:
        return [*items, *(c for c in chosen if c not in items)]
    return chosen


def _parallel(q: Question, best: Quote, ranked: list[Quote], asked: str = "") -> list[Quote]:
    """The items of the best sentence's list that give the kind of fact asked for, when the question does not
    single out one of them (a term of the question that some items have and others lack) or the teacher asks for
    a whole schedule in their own words (``asked``, else the question)."""
    items = [s for s in items_of(best, ranked) if s is best or s.fact]
    if len(items) < 2 or best not in items:
        return []
    if q.asks == Asks.QUANTITY:
        keys = figure_keys(q, best.text, best.header)
        items = [s for s in items if s is best or keys & figure_keys(q, s.text, s.header)]
    words = [set(lexical_terms(s.text)) for s in items]
    # 每年的工作时间表是怎样的 asks for every date of the schedule, whatever else it names.
    if not _SCHEDULE.search(asked or q.text) \
            and any(any(t in w for w in words) and not all(t in w for w in words) for t in q.terms):
        return []  # 网络研修几个学时折1学分 asks about one item
    return items if len(items) > 1 else []


def _table_around(q: Question, best: Quote, chosen: list[Quote], ranked: list[Quote], following: list[Quote],
                  per_item: bool) -> tuple[list[Quote], Quote | None]:
    """The table that answers with the best sentence, and the sentence that introduces it when that is not the
    best one: the table may sit a sentence or two after it."""
    table, lead = table_of(best, ranked), None
    if not table and (per_item or q.asks in (Asks.LIST, Asks.OTHER)):
        # Asked for a list, the table may be introduced by another sentence of the passage than the best one
        # (每学年不少于七十二学时。校本研修学时按下表认定：…): that sentence and its table answer.
        for c in [*(c for c in chosen if c.hit is best.hit), *following[:FOLLOW_ON]]:
            table, lead = table_of(c, ranked), c
            if table:
                break
    if not table and per_item:
        # 各占多少: the passage's one table of figures answers, wherever the best sentence sits around it.
        rows = sorted((s for s in ranked if s.hit is best.hit and s.header), key=lambda s: s.order)
        if len({s.header for s in rows}) == 1:
            table, lead = rows, None
    return table, lead


def _short_paragraph(best: Quote, chosen: list[Quote], ranked: list[Quote]) -> list[Quote]:
    # A short paragraph is one answer: an FAQ entry's steps (清除缓存 → 截图发给辅导员 → 补记), a rule and its
    # exception (由学校安排代课；小规模学校由县里安排). Quoting only its best sentence would drop the rest.
    paragraph = [] if best.header or BULLET.match(best.text) else paragraph_of(best, ranked)
    if len(paragraph) > 1 and _full_sentences(paragraph) <= MAX_PARAGRAPH_SENTENCES \
            and sum(len(s.text) for s in paragraph) <= MAX_PARAGRAPH_CHARS:
        return [best, *(s for s in paragraph if s is not best), *(s for s in chosen if s.hit is not best.hit)]
    return []


def _full_sentences(quotes: list[Quote]) -> int:
    return sum(1 for s in quotes if re.search(r"[。！？!?]\s*$", s.text)) or 1


def _whole_table(q: Question, table: list[Quote], chosen: list[Quote], ranked: list[Quote], lead: Quote | None,
                 noun: str) -> list[Quote]:
    # 哪几个模块, asked of a table chunked into several passages (rows of it in another one) whose first column
    # names what is listed: every row's name answers, where the rows of one passage would read as if that
    # were all.
    chunked = any(s.header == table[0].header and s.hit is not table[0].hit for s in ranked)
    column = named_column(table[0], ranked, noun) if q.asks == Asks.LIST and chunked else []
    if column:
        return column
    # A table the best sentence introduces (按下表认定) or sits in is read whole, under its heading row,
    # whatever was asked: two of its rows would read as if that were all.
    extra = _under_heading(table, chosen, lead)
    if _chars(chosen) + sum(len(s.text) for s in extra) <= MAX_TABLE_CHARS:
        return [*chosen, *extra]
    return []


def _row_named(q: Question, best: Quote, ranked: list[Quote]) -> list[Quote]:
    """7月8日全天干什么, asked of a schedule whose rows begin with their day: the question names the best row by
    its first cell, so that row answers, under the heading row that says what its cells are, not the whole table."""
    if not best.header:
        return []
    line_start = best.hit.text.rfind("\n", 0, best.start) + 1
    line_end = best.hit.text.find("\n", best.start)
    line = best.hit.text[line_start:line_end if line_end >= 0 else None]
    first = line.split(TABLE_CELL, 1)[0].strip()
    if len(first) < 2 or first not in q.text or first == best.header.split(TABLE_CELL, 1)[0].strip():
        return []
    end = line_start + len(line)
    pieces = sorted((s for s in ranked if s.hit is best.hit and line_start <= s.start < end), key=lambda s: s.order)
    head = [h] if (h := heading_row(best)) else []
    return [*head, *pieces]


def _under_heading(table: list[Quote], chosen: list[Quote], lead: Quote | None = None) -> list[Quote]:
    """A table read whole: the sentence that introduces it (按下表认定), its heading row, then its rows, less what
    is already chosen."""
    intro = [lead] if lead is not None and lead not in chosen else []
    head = [h] if (h := heading_row(table[0])) else []
    return [*intro, *head, *(s for s in table if s not in chosen)]


def _bulleted_list(q: Question, best: Quote, chosen: list[Quote], ranked: list[Quote]) -> list[Quote]:
    items = list_of(best, ranked) if q.asks in (Asks.LIST, Asks.OTHER) else []
    if len(items) > 1:
        # A bulleted list (推荐书目) is read whole, under the line that introduces it, as a table is.
        extra = [s for s in items if s not in chosen]
        if _chars(chosen) + sum(len(s.text) for s in extra) <= MAX_TABLE_CHARS:
            return [*chosen, *extra]
    return []


def _numbered_run(q: Question, best: Quote, chosen: list[Quote], ranked: list[Quote]) -> list[Quote]:
    # 校本实践期间…完成以下任务： opens a numbered list that runs on into the next passages of its section: every
    # item answers, where the first one alone would read as if that were all.
    run = list_run(best, ranked) if q.asks in (Asks.LIST, Asks.OTHER, Asks.PROCEDURE) else []
    if run and _chars(chosen) + sum(len(s.text) for s in run if s not in chosen) <= MAX_TABLE_CHARS:
        return [*chosen, *(s for s in run if s not in chosen)]
    return []


def _following(chosen: list[Quote], following: list[Quote]) -> list[Quote]:
    # A rule rarely ends with the sentence that matches the question best: the next ones in the same passage
    # give its conditions, list items and consequences, whether or not they repeat the question's words.
    chosen = list(chosen)
    docs = {c.hit.doc_id for c in chosen}
    length = _chars(chosen)
    for s in following[:FOLLOW_ON]:
        if s in chosen:
            continue
        if s.header:
            break  # a table too long to quote whole: a couple of its rows would read as if that were all
        if len(chosen) >= MAX_SENTENCES + len(docs) - 1 or length + len(s.text) > MAX_ANSWER_CHARS:
            break
        chosen.append(s)
        length += len(s.text)
    return chosen
