"""Answers read off a document's own outline: "省里开了哪些培训项目" is answered by the headings under 二、项目设置.

A document that lists kinds of things (projects, stages, modules) usually gives each its own heading; the
text under each heading describes one of them and names none of the others. No single sentence answers
"哪些", so sentence selection quotes whichever one happens to score best. The headings do answer it: the
question's topic is the parent heading's, and what it asks to list is what the child headings name.

An outline answers only when the document says so plainly: every word of the question's topic is in the
parent heading (or in most of the listed headings), the thing listed is named by the parent or by at
least two children, at least three headings are listed, and the retriever's best passages lie in that
part of the document or the question names the part by its heading. Each heading is quoted verbatim from the chunk it opens and cited to it.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.catalogue import DocumentInfo
from assistant.compose import source_label
from assistant.documents import DocumentReply, Part, quoted_reply
from assistant.hits import Hit, Retrieval
from assistant.question import Asks, Question, analyse
from assistant.scoring import present
from indexer.structure import PATH_SEPARATOR, heading_name
from indexer.tokenizer import lexical_terms

MIN_ITEMS = 3
NAMED_MIN_ITEMS = 2
TOP_HITS = 3
# Words that ask for a list without saying what is listed (哪些类型, 分成几类, 包括哪些方面).
_LISTING_WORDS = frozenset({"类型", "种类", "类别", "方面", "内容", "包括", "包含", "分成", "分为", "大类", "几类",
                            "部分", "具体", "主要", "都有", "有些"})
# 分几个阶段, 有几类项目: a count of kinds is answered by listing them.
_KINDS = re.compile(r"几(?:个|大|种|类)?(?:阶段|环节|类|种|部分|模块|方面|板块|层次|项目)|几条")


def _asks_for_list(q: Question) -> bool:
    return q.asks == Asks.LIST or (q.asks != Asks.DOCUMENT and bool(_KINDS.search(q.text)))


def _has(term: str, text: str, q: Question) -> bool:
    return present(term, set(lexical_terms(text)), text, q.alternatives().get(term, ()))


def _children(doc: DocumentInfo) -> dict[str, list[tuple[str, Any]]]:
    """Parent path → its direct child headings, each with the first chunk under it, in document order."""
    out: dict[str, dict[str, Any]] = {}
    for path, chunk in doc.sections:
        parts = path.split(PATH_SEPARATOR)
        for depth in range(1, len(parts) + 1):
            out.setdefault(PATH_SEPARATOR.join(parts[:depth - 1]), {}).setdefault(parts[depth - 1], chunk)
    return {parent: list(children.items()) for parent, children in out.items()}


def _qualifier(label: str, head: str) -> str:
    """What sets a heading apart from its siblings: 学校 in （四）学校职责 (the listed noun 职责 removed)."""
    return heading_name(label).replace(head, "").strip("。．.：: ")


def _generic(term: str, doc: DocumentInfo, q: Question) -> bool:
    """A word most of the document's sections use (培训 in a training plan) qualifies nothing."""
    alternatives = q.alternatives().get(term, ())  # substring checks only: a long document has many sections
    return 2 * sum(present(term, set(), chunk.text, alternatives) for _, chunk in doc.sections) >= len(doc.sections)


def _items(q: Question, doc: DocumentInfo, topic: list[str], parent: str, children: list[tuple[str, Any]],
           least: int = MIN_ITEMS) -> tuple[list[tuple[str, Any]], list[str]] | None:
    """The headings under ``parent`` that answer ``q`` (whose ``topic`` in ``doc`` is given), with the words they
    were picked by when only some of the part's headings say them; None when this part does not answer it."""
    heading = parent.split(PATH_SEPARATOR)[-1] if parent else ""
    head = topic[-1]  # what is listed: the last key term (培训项目 → 项目, 几个阶段 → 阶段)
    bare = heading_name(heading).strip("。．.：: ")
    if bare.endswith(head) and bare != head and not _has(bare.removesuffix(head), q.text, q):
        return None  # （三）校本实践阶段 is one 阶段, not a list of them; 二、重点工作 lists 重点工作
    named_by = [c for c in children if _has(head, c[0], q)]
    if _has(head, heading, q) or len(named_by) < 2:
        items = children if _has(head, heading, q) else []
    else:
        items = named_by
    if len(items) < least:
        return None
    picked_by: list[str] = []
    for term in topic[:-1]:
        if _has(term, heading, q):
            continue
        if 2 * sum(_has(term, label, q) for label, _ in items) >= len(items):
            continue
        # 学校 in 学校有哪些职责 is what sets one part apart (（四）学校职责): the question is about that part.
        if any(_qualifier(label, head) == term for label, _ in items):
            return None
        if not _generic(term, doc, q):
            # 给乡村学校老师的项目有哪些: the parts whose own text says 乡村 (面向乡村学校和教学点全体教师), when
            # some do and some do not.
            said = [(label, chunk) for label, chunk in items if _has(term, f"{label}\n{chunk.text}", q)]
            if len(said) < MIN_ITEMS or len(said) == len(items):
                return None
            items, picked_by = said, [*picked_by, term]
    # Each heading is quoted as the document writes it at the start of its section.
    if any(label not in chunk.text for label, chunk in items):
        return None
    return items, picked_by


def _topic(q: Question, doc: DocumentInfo) -> list[str]:
    """The question's key terms less the listing words and the words that name the document itself (国培计划
    in its title or in the 以下简称 of its preamble): those do not say which part is meant."""
    naming = doc.title + "".join(doc.own_names)
    return [t for t in q.focus if t not in _LISTING_WORDS and t not in naming]


def _named_part(q: Question, topic: list[str], parent: str) -> bool:
    """The question names this part by its heading (重点工作有哪些 → 二、重点工作): every topic word is in it."""
    heading = parent.split(PATH_SEPARATOR)[-1] if parent else ""
    return bool(heading) and all(_has(t, heading, q) for t in topic)


def outline_answer(q: Question, retrieval: Retrieval) -> DocumentReply | None:
    """A list answered by the headings of one part of a document, or None when no outline answers it."""
    if not _asks_for_list(q) or not retrieval.hits:
        return None
    top = retrieval.hits[:TOP_HITS]
    by_id = {d.doc_id: d for d in retrieval.documents}
    docs = [by_id[d] for d in dict.fromkeys(h.doc_id for h in top) if d in by_id]
    if retrieval.named:
        docs = [d for d in docs if d.doc_id in retrieval.named]
    # A follow-up read with the conversation's topic (保障措施有哪几条 after a question on 经费) names a part in
    # the teacher's own words; the joined words would ask for a part that holds both.
    # One that names nothing itself (第二项呢, read as the heading it counts to) is read as resolved.
    own = analyse(retrieval.asked) if retrieval.asked else q
    if not own.focus:
        own = q
    for doc in docs:
        topic = _topic(q, doc)
        if not topic:
            continue
        named_topic = _topic(own, doc) or topic
        # The parts of the document the best passages lie in, or the one the question names, deepest first.
        paths = [h.section for h in top if h.doc_id == doc.doc_id]
        for parent, children in sorted(_children(doc).items(), key=lambda kv: -kv[0].count(PATH_SEPARATOR)):
            found = any(p == parent or p.startswith(parent + PATH_SEPARATOR) or not parent for p in paths)
            named = _named_part(own, named_topic, parent)
            if not found and not named:
                continue
            # A part the question names by its heading (保障措施有哪几条) is listed even when it has only two.
            items = (_items(own, doc, named_topic, parent, children, NAMED_MIN_ITEMS) if named else
                     _items(q, doc, topic, parent, children, MIN_ITEMS))
            if items:
                return _reply(parent, *items)
    return None


def _reply(parent: str, items: list[tuple[str, Any]], picked_by: list[str]) -> DocumentReply:
    hits = [Hit(chunk.id, chunk.text, dict(chunk.metadata), score=1.0) for _, chunk in items]
    where = f"「{parent}」" if parent else ""
    which = f"写到「{'」「'.join(picked_by)}」的" if picked_by else "共"
    lead = f"根据{source_label(hits[0])}{where}，{which}有以下 {len(items)} 项（想了解哪一项，直接问它的名称即可）："
    parts: list[Part] = [(lead, None), *(("", (hit, label)) for hit, (label, _) in zip(hits, items, strict=True))]
    return quoted_reply(parts, True)
