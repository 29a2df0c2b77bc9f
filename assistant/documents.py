"""Answers about a document itself: its 文号, addressees, issuing bodies, date, title, and what the knowledge
base holds.

These facts live in the document's head and foot, not in any passage a retriever would rank for "这个文件
是谁发的", so they are answered from the catalogue's metadata. The answer still quotes the document: the
line that states the fact (the 文号 line, the title line naming the issuers, the date line), cited to the
chunk it is in, so a teacher can check it like any other answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.catalogue import DocumentInfo
from assistant.compose import Citation, source_label
from assistant.facts import cn_number, periods
from assistant.furniture import SALUTATION
from assistant.hits import Hit, Retrieval
from assistant.question import PERIOD_END_CLAIMED, PERIOD_LENGTH_CLAIMED, PERIOD_START_CLAIMED, Asks, Question
from corpus.text import HAN
from indexer.structure import PATH_SEPARATOR, PREAMBLE

# An issuing body named in a question: 人社部, 省教育厅, 教育部和财政部 (after 是/由/和/与/、).
_BODY = re.compile(r"(?:^|是|由|和|与|跟|同|、|，)([" + HAN + r"]{1,7}?(?:部|厅|局|委员会|委))(?!门)")
# 是教育部单独发的吗: one body said to have issued alone what several issued together.
_ALONE = re.compile(r"((?:(?![是由])[" + HAN + r"]){1,7}?(?:部|厅|局|委员会|委))(?:单独|独自|一家|自己)")


LISTED = 20  # documents named when asked what the knowledge base holds
LISTED_IN_INTRODUCTION = 5
THANKS_REPLY = "不客气。还有关于国培计划的问题，可以接着问我。"
_AFTERWARDS = re.compile(r"以后|之后|后面|然后|接下来")

ABOUT_US = ("我是国培助手，只依据知识库中的国培计划文件回答问题：每个回答都注明出自哪份文件的哪一部分，并引用原文；"
            "文件没有写明的，我会直接说明，不替文件下结论。")

# One line of a reply: prose, and the line of the document it quotes (if any).
Part = tuple[str, tuple[Hit, str] | None]


@dataclass
class DocumentReply:
    text: str
    citations: list[Citation]
    cited: list[Hit]
    stated: bool  # False when the document does not carry the field asked for
    about_us: bool = False  # the assistant speaking of itself (a greeting, thanks, what it does and holds)


def _quote(chunk: Any, line: str) -> tuple[Hit, str]:
    """A line of a stored chunk, with the chunk as the hit it is cited to."""
    return Hit(chunk.id, chunk.text, dict(chunk.metadata)), line


def _find_line(chunks: tuple[Any, ...], matches: Callable[[str], Any]) -> tuple[Hit, str] | None:
    """The first line of ``chunks`` whose text (whitespace removed) ``matches``, with its chunk."""
    for chunk in chunks:
        for line in chunk.text.splitlines():
            if matches(re.sub(r"\s+", "", line)):
                return _quote(chunk, line.strip().lstrip("#").strip())  # a Markdown heading mark is no text
    return None


def _locate(doc: DocumentInfo, needle: str) -> tuple[Hit, str] | None:
    """The chunk and the line of the document (head first, then foot) that contains ``needle``."""
    flat = re.sub(r"\s+", "", needle)
    return _find_line((doc.head, doc.tail), lambda line: flat and flat in line)


def title_line(doc: DocumentInfo) -> tuple[Hit, str]:
    """The line that names the document: its title, or else the first line of its head."""
    return _locate(doc, doc.title) or _quote(doc.head, doc.head.text.strip().splitlines()[0])


def _target(q: Question, retrieval: Retrieval) -> DocumentInfo | None:
    by_id = {d.doc_id: d for d in retrieval.documents}
    for doc_id in retrieval.named:
        if doc_id in by_id:
            return by_id[doc_id]
    if retrieval.hits and retrieval.hits[0].doc_id in by_id:
        return by_id[retrieval.hits[0].doc_id]
    return retrieval.documents[0] if len(retrieval.documents) == 1 else None


def _programme_target(retrieval: Retrieval) -> DocumentInfo | None:
    """For the years a programme covers, or why it was set up: the document named, else the first (national
    first) whose title carries a period, which is the one that sets the programme up."""
    by_id = {d.doc_id: d for d in retrieval.documents}
    candidates = [by_id[d] for d in retrieval.named if d in by_id] or [d for d in retrieval.documents
                                                                        if periods(d.title)]
    return candidates[0] if candidates else None


def _chinese_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def quoted_reply(parts: list[Part], stated: bool) -> DocumentReply:
    """Prose lines, each optionally followed by its quoted line and marker."""
    citations: dict[str, Citation] = {}
    lines = []
    for prose, found in parts:
        if found is None:
            lines.append(prose.removesuffix("原文："))
            continue
        hit, line = found
        cit = citations.get(hit.id)
        if cit is None:
            cit = citations[hit.id] = Citation(len(citations) + 1, hit.id, hit.doc_id, hit.title,
                                               str(hit.metadata.get("doc_number", "")), hit.section, line, 1.0)
        elif line not in cit.text:
            cit.text += "……" + line
        lines.append(f"{prose}「{line}」[{cit.marker}]")
    cited = {c.chunk_id: c for c in citations.values()}
    hits = [h for h, _ in (f for _, f in parts if f is not None)]
    unique = list({h.id: h for h in hits if h.id in cited}.values())
    return DocumentReply("\n".join(lines), list(citations.values()), unique, stated)


def document_answer(q: Question, retrieval: Retrieval) -> DocumentReply | None:
    """The reply to a question about a document, or None when the question is not about one."""
    if q.asks != Asks.DOCUMENT:
        return None
    # Greetings and thanks are answered whatever the knowledge base holds, even nothing yet.
    if q.document_field == "thanks":
        return DocumentReply(THANKS_REPLY, [], [], False, about_us=True)
    if q.document_field in ("self", "greeting") and not retrieval.documents:
        return DocumentReply(_introduction(q) + "知识库中还没有文件。", [], [], False, about_us=True)
    if not retrieval.documents:
        return None
    if "order" in q.document_fields:
        return _chronology(q, retrieval.documents)
    if q.document_field in ("list", "self", "greeting"):
        # Who we are is no fact of any document: that reply does not count as the knowledge base answering.
        return _holdings(q, retrieval.documents)
    by_programme = q.document_field in ("period", "purpose") or (q.names_programme_only and not retrieval.named)
    fields = [f for f in q.document_fields if f != "list"]
    if not by_programme and not retrieval.named and len(retrieval.documents) > 1 and not q.says_document \
            and all(t in _FIELD_WORDS for t in q.focus):
        # 文号是多少 / 发文单位是哪个, naming no document and no topic: which document is meant is anyone's guess,
        # so each one answers, in the catalogue's order (national first).
        docs = retrieval.documents
    else:
        target = _programme_target(retrieval) if by_programme else _target(q, retrieval)
        if target is None:
            return None
        docs = [target]
    parts: list[Part] = []
    stated = False
    for doc in docs:
        for field in dict.fromkeys(fields):
            lines, known = _field_parts(q, doc, field)
            parts += lines
            stated = stated or known
    return quoted_reply(parts, stated)


# 新疆生产建设兵团也适用吗, 兵团要执行吗: whether a document covers a body, which its salutation may name.
_APPLIES = re.compile(r"适用|执行|包括在内|包不包括|管不管|在不在范围|也要|也得|也算")
ADDRESSEE_TERM_CHARS = 3  # a shorter word (省, 市, 教育) names no one body


def addressee_answer(q: Question, retrieval: Retrieval) -> DocumentReply | None:
    """Whether a document covers a body the teacher names, answered from its salutation when the body is one of
    those it is addressed to: the salutation is never quoted as an ordinary answer (it is the document's frame),
    so 新疆生产建设兵团也适用吗 was told nothing was found, though the notice is addressed to 兵团教育局、财政局."""
    if not q.yesno or not _APPLIES.search(q.text):
        return None
    for doc in retrieval.documents:
        found = _find_line((doc.head,), SALUTATION.match)
        if found is None:
            continue
        named = [t for t in q.focus if len(t) >= ADDRESSEE_TERM_CHARS and t in found[1] and t not in doc.title]
        if named:
            who = "、".join(f"「{t}」" for t in named)
            return quoted_reply([(f"《{doc.title}》的主送单位中有{who}。原文：", found)], True)
    return None


# Words of a head-field question that say which field, not which document or topic (发文单位是哪个).
_FIELD_WORDS = frozenset({"发文", "单位", "机关", "部门", "印发", "发布", "出台", "颁布", "下发", "成文", "日期", "时间",
                          "文号", "字号", "编号", "落款", "主送"})


# Where a document dates itself: 发布时间：2021年9月, 制订时间：…, or a signature date on a line of its own.
_DATE_LABEL = re.compile(r"(?:发布|制订|制定|印发|成文)(?:时间|日期)[:：]?\s*")
_DATE_TEXT = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_LATEST = re.compile(r"最晚|最新|最近|latest|most recent", re.I)
Day = tuple[int, int, int]  # year, month, day; 0 where the document leaves it out


def _issued(doc: DocumentInfo) -> tuple[Day, str, tuple[Hit, str] | None] | None:
    """When a document was issued, as precisely as it says, the words for it, and the span that says it."""
    if doc.date:
        when = _chinese_date(doc.date)
        y, m, d = (int(x) for x in doc.date.split("-"))
        return (y, m, d), when, _locate(doc, when)
    for chunk in (doc.head, doc.tail):
        for line in chunk.text.splitlines():
            label = _DATE_LABEL.search(line)
            found = _DATE_TEXT.match(line, label.end()) if label else _DATE_TEXT.fullmatch(line.strip())
            if found:
                y, m, d = (int(g or 0) for g in found.groups())
                span = line[label.start():found.end()] if label else line.strip()
                return (y, m, d), found.group(0), _quote(chunk, span)
    if doc.year and doc.doc_number:
        return (doc.year, 0, 0), f"{doc.year}年，据文号{doc.doc_number}", _locate(doc, doc.doc_number)
    return None


def _chronology(q: Question, documents: list[DocumentInfo]) -> DocumentReply:
    """The documents in the order they were issued, each date quoted. A date given only to the year or month
    places a document before or after another only when it must; a document that says it implements another
    (为贯彻落实《…》) came after it. What cannot be ordered is said, not guessed."""
    issued = {doc.doc_id: when for doc in documents if (when := _issued(doc))}
    dated = [doc for doc in documents if doc.doc_id in issued]
    if not dated:
        return DocumentReply("知识库中的文件都没有写明印发日期。", [], [], False)
    before = _precedence(dated, issued)
    latest = bool(_LATEST.search(q.text))
    ends = [a for a in dated if not any((a.doc_id, b.doc_id) in before if latest else (b.doc_id, a.doc_id) in before
                                        for b in dated)]
    which = "最晚" if latest else "最早"
    if len(ends) == 1:
        end = ends[0]
        lead = f"按各文件写明的时间，{which}的是《{end.title}》（{issued[end.doc_id][1]}）。"
        cited_by = [b for b in dated if _cites(b, end)]
        if cited_by and issued[end.doc_id][0][1] == 0:
            lead += (f"它只写明了年份，但《{cited_by[0].title}》（{issued[cited_by[0].doc_id][1]}）"
                     "写明是为落实它而制定的。")
    else:
        lead = f"按各文件写明的时间，分不出哪份{which}：" + "、".join(
            f"《{d.title}》（{issued[d.doc_id][1]}）" for d in ends) + "写明的时间不够精确，无法比较先后。"
    parts: list[Part] = [(lead, None), ("各文件写明的时间：", None)]
    ranked = sorted(dated, key=lambda d: sum((b.doc_id, d.doc_id) in before for b in dated))
    for i, doc in enumerate(ranked, 1):
        _, when, found = issued[doc.doc_id]
        parts.append((f"{i}. 《{doc.title}》：{when}。原文：", found) if found else (f"{i}. 《{doc.title}》：{when}。", None))
    # Every document named is cited: one that gives no date, to the line that names it.
    for doc in (doc for doc in documents if doc.doc_id not in issued):
        parts.append((f"没有写明时间：《{doc.title}》。原文：", title_line(doc)))
    return quoted_reply(parts, True)


def _precedence(docs: list[DocumentInfo], issued: dict[str, tuple[Day, str, Any]]) -> set[tuple[str, str]]:
    """(a, b) for every pair where a is known to come first: by dates precise enough to tell, by b citing a,
    and whatever follows from those."""
    # Each document's successors as a bit set, closed transitively (Warshall): n² big-integer operations,
    # not n³ set lookups, for a knowledge base of many documents.
    later = [sum(1 << j for j, b in enumerate(docs) if a is not b
                 and (_cites(b, a) or _earlier(issued[a.doc_id][0], issued[b.doc_id][0]))) for a in docs]
    for k in range(len(docs)):
        for i in range(len(docs)):
            if later[i] >> k & 1:
                later[i] |= later[k]
    return {(a.doc_id, b.doc_id) for i, a in enumerate(docs) for j, b in enumerate(docs)
            if i != j and later[i] >> j & 1}


def _earlier(a: Day, b: Day) -> bool:
    """a is certainly before b: they differ at a place both give, before any place either leaves out."""
    for x, y in zip(a, b, strict=True):
        if x == 0 or y == 0:
            return False
        if x != y:
            return x < y
    return False


def _cites(doc: DocumentInfo, other: DocumentInfo) -> bool:
    """``doc`` names ``other`` by title in its opening (为贯彻落实《…》): it was written after it."""
    return f"《{other.title}》" in doc.head.text or bool(doc.purpose and other.title in doc.purpose)


def _introduction(q: Question) -> str:
    return ("您好！" if q.document_field == "greeting" else "") + ABOUT_US


def _holdings(q: Question, documents: list[DocumentInfo]) -> DocumentReply:
    """What the knowledge base holds, each document cited to the line that names it; an introduction lists a
    few, a question about the holdings more, and says how many are left out (a chat is no catalogue)."""
    shown = documents[:LISTED if q.document_field == "list" else LISTED_IN_INTRODUCTION]
    parts: list[Part] = [(f"知识库中现有 {len(documents)} 份文件：", None)]
    if q.document_field != "list":
        parts.insert(0, (_introduction(q), None))
    for i, doc in enumerate(shown, 1):
        found = (_locate(doc, doc.doc_number) if doc.doc_number else None) or title_line(doc)
        parts.append((f"{i}. {source_label(found[0])}，原文：", found))
    if len(documents) > len(shown):
        parts.append((f"……另有 {len(documents) - len(shown)} 份未列出。", None))
    reply = quoted_reply(parts, q.document_field == "list")
    reply.about_us = q.document_field != "list"
    return reply


_DAY_ASKED = re.compile(r"哪天|哪一天|几号|几月|几日|哪日|日期|具体时间|什么日子|which day|what date|exact date", re.I)


_PROVISIONAL = re.compile(r"[（(](试行|暂行|征求意见稿)[）)]")


def _field_parts(q: Question, doc: DocumentInfo, field: str) -> tuple[list[Part], bool]:
    """The prose (and quoted line) for one head field, and whether the document states it."""
    name = f"《{doc.title}》"
    if field == "number":
        if not doc.doc_number:
            return [(f"{name}没有文号（它不是带文号的公文）。", None)], False
        return [(f"{name}的文号是{doc.doc_number}。原文：", _locate(doc, doc.doc_number))], True
    if field == "addressees":
        found = _find_line((doc.head,), SALUTATION.match)
        if found is None:
            return [(f"{name}中没有写明主送单位（它没有“各……：”这样的抬头）。", None)], False
        return [(f"{name}主送{found[1].rstrip('：:')}。原文：", found)], True
    if field == "issuers":
        if not doc.issuers:
            return [(f"{name}中没有写明发文单位。", None)], False
        who = "、".join(doc.issuers)
        fix = [a for a in dict.fromkeys(_BODY.findall(q.text)) if not any(a in i or i in a for i in doc.issuers)]
        lead = f"需要更正：发文单位是{who}，不是{'、'.join(fix)}。\n" if fix else ""
        if not fix and len(doc.issuers) > 1 and (alone := _ALONE.search(q.text)):
            lead = f"需要更正：它由{who}联合印发，不是{alone.group(1)}单独印发的。\n"
        return [(f"{lead}{name}由{who}印发。原文：", _locate(doc, doc.issuers[0]))], True
    if field == "date":
        wrong = [y for y in q.years if y != doc.year]
        lead = f"需要更正：它是{doc.year}年印发的，不是{'、'.join(map(str, wrong))}年。\n" if wrong and doc.year else ""
        if doc.date:
            when = _chinese_date(doc.date)
            return [(f"{lead}{name}的成文日期是{when}。原文：", _locate(doc, when))], True
        if doc.year and doc.doc_number:
            # The year answers 哪年/什么时候; asked for the day (哪天印发), the document does not say.
            return [(f"{lead}{name}于{doc.year}年印发（文号{doc.doc_number}），文中没有写明具体日期。原文：",
                     _locate(doc, doc.doc_number))], not _DAY_ASKED.search(q.text)
        return [(f"{name}中没有写明印发日期。", None)], False
    if field == "status":
        mark = _PROVISIONAL.search(doc.title)
        if mark is None:
            return [(f"{name}的标题中没有“试行”“暂行”之类的字样。", None)], False
        return [(f"{name}的标题注明了“{mark.group(1)}”，是{mark.group(1)}文件。原文：", _locate(doc, mark.group(0)))], True
    if field == "purpose":
        if not doc.purpose:
            return [(f"{name}中没有一句说明制定目的的话。", None)], False
        return [(f"{name}开头说明了制定的目的。原文：", _quote(doc.purpose_chunk, doc.purpose))], True
    if field == "period":
        spans = periods(doc.title)
        if not spans:
            return [(f"{name}的标题中没有写明实施的起止年份。", None)], False
        start, end = spans[0]
        span = re.search(r"(?:19|20)\d{2}\s*年?\s*[—–\-~～至到]+\s*(?:19|20)\d{2}\s*年?", doc.title)
        quoted = _locate(doc, span.group(0)) if span else None
        claimed = list(dict.fromkeys(int(m) for m in PERIOD_END_CLAIMED.findall(q.text)))
        wrong = [y for y in claimed if y != end]
        fixes = [f"它到{end}年为止，不是{'、'.join(map(str, wrong))}年"] if wrong else []
        if q.yesno:
            # 是2020年开始的吧, 为期三年对吗: the start and the length are as much the title's as the end.
            begun = [y for y in dict.fromkeys(int(m) for m in PERIOD_START_CLAIMED.findall(q.text)) if y != start]
            if begun:
                fixes.append(f"它从{start}年开始，不是{'、'.join(map(str, begun))}年")
            length = end - start + 1
            said = [n for m in PERIOD_LENGTH_CLAIMED.findall(q.text) if (n := cn_number(m)) and n != length]
            if said:
                fixes.append(f"它为期{length}年，不是{'、'.join(f'{n:g}' for n in said)}年")
        lead = f"需要更正：{'；'.join(fixes)}。\n" if fixes else ""
        parts: list[Part] = [(f"{lead}{name}覆盖{start}年至{end}年（共{end - start + 1}年）。原文：", quoted)]
        if claimed and not wrong and _AFTERWARDS.search(q.text):
            # 2025年结束以后呢: the end is right, and what comes after it is in no document.
            return [*parts, (f"文件没有写明{end}年以后的安排。", None)], False
        return parts, True
    if field == "outline":
        return _outline_parts(doc)
    found = _locate(doc, doc.title) or _locate(doc, doc.title[:12])
    return [(f"这份文件的全称是{name}。原文：", found)], True


OUTLINE_LINES = 40  # headings quoted for "what does it say"; past this, only the parts
_HEADING_LABEL = 40  # a longer "heading" is a paragraph the structure parser named a section after


def _outline_parts(doc: DocumentInfo) -> tuple[list[Part], bool]:
    """What a document says as a whole, read off its headings: each part, and the headings under it, quoted
    from the chunk it opens. No summary is written: the headings are the document's own words."""
    parts: dict[str, tuple[Any, dict[str, Any]]] = {}
    for path, chunk in doc.sections:
        labels = path.split(PATH_SEPARATOR)
        top = labels[0]
        if top not in parts:
            if top == PREAMBLE or len(top) > _HEADING_LABEL or top not in chunk.text:
                continue
            parts[top] = (chunk, {})
        entry = parts[top]
        if len(labels) > 1 and len(labels[1]) <= _HEADING_LABEL and not labels[1].endswith("…") \
                and labels[1] in chunk.text:
            entry[1].setdefault(labels[1], chunk)
    name = f"《{doc.title}》"
    if len(parts) < 2:
        return [(f"{name}没有分部分的标题，无法按结构概括；可以直接问它的具体规定。原文：", title_line(doc))], False
    whole = len(parts) + sum(len(children) for _, children in parts.values()) <= OUTLINE_LINES
    lines: list[Part] = [(f"{name}正文分为 {len(parts)} 个部分（想了解哪一部分，直接问它的名称即可）：", None)]
    for top, (chunk, children) in parts.items():
        lines.append(("", _quote(chunk, top)))
        if whole:
            lines += [("　　", _quote(child, label)) for label, child in children.items()]
    return lines, True
