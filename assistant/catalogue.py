"""The documents in the knowledge base, and which of them a question is talking about.

Teachers name documents the way people do, not by title: 国家的通知, 省里的方案, 那个课程大纲, 常见问题.
A document is known by its genre (the last word of an official title: 通知, 规划, 指南, 大纲, 解答) and
by the level of whoever issued it (national ministries, a province, a city). The catalogue also keeps
each document's head (its first chunk), which is what an answer about the document itself cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from indexer.tokenizer import lexical_terms, to_simplified

# Official genres and the everyday words for them. A provincial 实施规划 is "省里的方案" to a teacher.
_GENRES: dict[str, tuple[str, ...]] = {
    "通知": ("通知", "notice"),
    "意见": ("意见",),
    "办法": ("办法", "细则"),
    "规划": ("规划", "方案", "plan"),
    "方案": ("方案", "规划", "plan"),
    "指南": ("指南", "手册", "指引", "guide", "guidelines"),
    "大纲": ("大纲", "课程纲要", "教学大纲", "课程安排", "这门", "本课程", "该课程", "这个课程", "这个班", "syllabus",
           "course outline"),
    "解答": ("问答", "解答", "常见问题", "答疑", "faq"),
    "问答": ("问答", "解答", "常见问题", "答疑", "faq"),
    "手册": ("手册", "指南"),
    "标准": ("标准",),
    # A trainer's own papers: 学分管理补充说明, 实施细则. 说明 alone is mostly a verb (答疑里说明…), so only the
    # ways a teacher points at such a paper name it.
    "说明": ("补充说明", "份说明", "说明里", "说明中"),
    "细则": ("细则",),
}
_LEVELS: dict[str, tuple[str, ...]] = {
    "national": ("国家", "全国", "教育部", "部里", "中央", "国家级", "部委", "national", "ministry"),
    "province": ("省里", "省级", "全省", "本省", "我省", "我们省", "咱们省", "咱省", "省厅", "省教育厅", "省方案", "provincial",
                 "province"),
    "city": ("市里", "市级", "全市", "本市", "我市", "我们市", "咱们市", "咱市", "市教育局", "city"),
    # A county's own papers (县教师发展中心's 县级培训实施方案), uploaded beside the national and provincial texts. Not
    # 县级: the documents use it for a body or a rank far more than for a county's papers (县级教师发展中心审核,
    # 县级以上骨干教师).
    "county": ("县里", "全县", "本县", "我县", "我们县", "咱们县", "咱县", "县教育局", "county"),
    "school": ("学校层面", "校级", "本校", "校内"),
}


@dataclass(frozen=True)
class DocumentInfo:
    doc_id: str
    title: str
    doc_number: str
    issuers: tuple[str, ...]
    year: int | None
    date: str
    kind: str
    head: Any  # the first chunk (``id``, ``text``, ``metadata``): title and 文号 live there
    tail: Any  # the last chunk: signature and date live there
    chunks: int
    # The sentence that says why the document was issued (为……，制定本规划 / 通知如下), and its chunk.
    purpose: str = ""
    purpose_chunk: Any = None
    # Each section path (二、项目设置 > （一）示范引领项目) with the first chunk under it, in document order.
    sections: tuple[tuple[str, Any], ...] = ()

    @cached_property
    def year_of_title(self) -> int | None:
        """The one year a title says the document is for (某县2026年县级教师培训实施方案); none for a span of years
        (（2021—2025年）) or a title without one."""
        return title_year(self.title)

    @cached_property
    def genre(self) -> str:
        core = re.sub(r"[（(][^）)]*[）)]$", "", self.title.strip())
        for genre in _GENRES:
            if core.endswith(genre):
                return genre
        return ""

    @cached_property
    def title_terms(self) -> frozenset[str]:
        """The words of the title that can tell it apart (校本研修, 常见问题), genre and issuer aside."""
        return frozenset(t for t in lexical_terms(self.title)
                         if len(t) >= 2 and t not in _GENRES and not re.search(r"某|省|市", t))

    @cached_property
    def own_names(self) -> tuple[str, ...]:
        """What the document is about as a whole, by the name it gives it: the quoted name in its title
        (某省“国培计划”实施规划) or the 以下简称 its preamble defines (国家级培训计划 → 国培计划). Every passage
        of the document speaks of that subject, whether or not it repeats the name."""
        return tuple(dict.fromkeys([*_QUOTED_NAME.findall(self.title), *_SHORT_NAME.findall(self.purpose)]))

    @cached_property
    def level(self) -> str:
        names = " ".join(self.issuers) + self.title
        if re.search(r"国务院|教育部|财政部|中共中央", names):
            return "national"
        if "省" in names:
            return "province"
        if "市" in names:
            return "city"
        if "县" in names:
            return "county"
        return "school" if re.search(r"学校|校本", self.title) else ""


_QUOTED_NAME = re.compile(r"[“\"「『]([^”\"」』]{2,12})[”\"」』]")
_SHORT_NAME = re.compile(r"以下简称[“\"「『]([^”\"」』]{1,12})[”\"」』]")

# An official document states its purpose near the top: 为……，制定本规划 / 现就……通知如下 / 整理解答如下.
_PURPOSE = re.compile(r"(?<![作成认以称因行视更])为(?!止|主|准|此)[^。！？\n]{4,240}?"
                      r"(?:制定本|制订本|特制定|现就|如下)[^。！？\n]*[。：:]")
_PURPOSE_WITHIN = 3  # the first chunks of a document, where its preamble is


def build_catalogue(chunks: Iterable[Any]) -> list[DocumentInfo]:
    """One entry per document from stored chunks (each with ``id``, ``text``, ``metadata``)."""
    heads: dict[str, Any] = {}
    tails: dict[str, Any] = {}
    counts: dict[str, int] = {}
    purposes: dict[str, tuple[int, str, Any]] = {}
    sections: dict[str, dict[str, tuple[int, Any]]] = {}
    for chunk in chunks:
        doc_id = chunk.metadata.get("doc_id")
        if not doc_id:
            continue
        counts[doc_id] = counts.get(doc_id, 0) + 1
        ordinal = int(chunk.metadata.get("ordinal", 0))
        path = str(chunk.metadata.get("section", ""))
        seen = sections.setdefault(doc_id, {})
        if path not in seen or ordinal < seen[path][0]:
            seen[path] = (ordinal, chunk)
        if ordinal <= _PURPOSE_WITHIN and (doc_id not in purposes or ordinal < purposes[doc_id][0]):
            found = _PURPOSE.search(chunk.text)
            if found:
                purposes[doc_id] = (ordinal, found.group(0), chunk)
        head, tail = heads.get(doc_id), tails.get(doc_id)
        if head is None or ordinal < int(head.metadata.get("ordinal", 0)):
            heads[doc_id] = chunk
        if tail is None or ordinal > int(tail.metadata.get("ordinal", 0)):
            tails[doc_id] = chunk
    out = []
    for doc_id, head in heads.items():
        m = head.metadata
        _, purpose, purpose_chunk = purposes.get(doc_id, (0, "", None))
        out.append(DocumentInfo(
            doc_id=str(doc_id), title=str(m.get("title", "")), doc_number=str(m.get("doc_number", "")),
            issuers=tuple(str(m.get("issuers", "")).split()), year=int(m.get("year") or 0) or None,
            date=str(m.get("date", "")), kind=str(m.get("kind", "")), head=head, tail=tails[doc_id],
            chunks=counts[doc_id], purpose=purpose, purpose_chunk=purpose_chunk,
            sections=tuple((path, c) for path, (_, c) in sorted(sections[doc_id].items(), key=lambda kv: kv[1][0])),
        ))
    return sorted(out, key=lambda d: (d.kind != "policy", d.title))


NAMING_WORDS = frozenset(w for words in (*_GENRES.values(), *_LEVELS.values()) for w in words) | {"省", "市", "县"}


_LEVEL_SPOKEN = {"province": re.compile(r"省里(?![面头边])"), "city": re.compile(r"市里(?![面头边])"),
                 "county": re.compile(r"县里(?![面头边])")}
_LEVEL_WRITTEN = {"province": "省级", "city": "市级", "county": "县级"}


def levels_as_written(text: str, catalogue: Iterable[DocumentInfo]) -> str:
    """省里, 市里 and 县里 name the province's, the city's or the county's document when the knowledge base holds
    one (省里的方案); with none (the national notice alone), 省里要做什么 asks about that level of government, which
    the documents call 省级 (加强省级统筹), as they call the county's 县级 (落实县级责任)."""
    held = {d.level for d in catalogue}
    for level, spoken in _LEVEL_SPOKEN.items():
        if level not in held:
            text = spoken.sub(_LEVEL_WRITTEN[level], text)
    return text


_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_YEAR_SPAN = re.compile(r"\d{4}\s*(?:年)?\s*[—–\-~～至到]+\s*\d{4}")


def title_year(title: str) -> int | None:
    """The one year a title names (某县2026年县级教师培训实施方案); none for a span (（2021—2025年）) or no year."""
    found = set(_TITLE_YEAR.findall(title))
    return int(found.pop()) if len(found) == 1 and not _YEAR_SPAN.search(title) else None


# 今年, 去年, 明年: a year counted from the day the question is asked.
_RELATIVE_YEARS = ((re.compile(r"今年(?:度)?|本年度"), 0), (re.compile(r"去年(?:度)?"), -1), (re.compile(r"前年"), -2),
                   (re.compile(r"明年(?:度)?"), 1))


def years_as_written(text: str, catalogue: Iterable[DocumentInfo], this_year: int) -> str:
    """今年的报名什么时候截止, asked in 2026 of a knowledge base holding the 2025 and the 2026 registration notices,
    asks the 2026 one: the year is written out, so it is read as if the teacher had typed 2026年. That is done
    only where some document is of one year, as its title says (not a span: （2021—2025年））: there the year
    decides which document answers, and 明年 with no document of that year is not answered from another year's.
    Where none is, the documents are for all the years asked about and the words stay as they are."""
    if not any(d.year_of_title for d in catalogue):
        return text
    for spoken, offset in _RELATIVE_YEARS:
        text = spoken.sub(f"{this_year + offset}年", text)
    return text


def subject_terms(terms: Iterable[str], documents: Iterable[DocumentInfo]) -> set[str]:
    """The terms that are (part of) the name a document gives its whole subject (``DocumentInfo.own_names``):
    国培 and 国培计划 in a question about the notice say what it is about, not which of its passages answers."""
    names = [n for d in documents for n in d.own_names]
    return {t for t in terms if len(t) >= 2 and any(t in n for n in names)}


def programme_named(terms: Iterable[str], documents: Iterable[DocumentInfo]) -> set[str]:
    """The question's terms that name a programme some documents are about as a whole: a word a document's
    own name begins with (国培, 国培计划), not one it merely ends with (计划 names no programme)."""
    names = [n for d in documents for n in d.own_names]
    return {t for t in terms if len(t) >= 2 and any(n.startswith(t) for n in names)}


def outside_programme(programme: set[str], documents: Iterable[DocumentInfo]) -> tuple[str, ...]:
    """The documents about something else than the programme the question names: neither their own name
    nor their title mentions it (a county's own 县级教师培训实施方案 beside the 国培 texts). Their rules, a
    county's daily allowance, are not that programme's, however closely they match the rest of the question."""
    if not programme:
        return ()
    return tuple(d.doc_id for d in documents
                 if not any(t in name for t in programme for name in (*d.own_names, d.title)))


def names_a_document(word: str) -> bool:
    """A word teachers use to point at a document (省方案, 市里, 指南), not at anything the documents say."""
    return word in NAMING_WORDS


def _mentions(text: str, word: str) -> bool:
    """Chinese by substring; an English word only whole (plan is not in explain, city not in capacity)."""
    if word.isascii():
        return re.search(rf"(?<![a-z]){re.escape(word)}s?(?![a-z])", text) is not None
    if word == "教育部":  # 教育部门 is any education authority, not the ministry
        return re.search("教育部(?!门)", text) is not None
    if word in _GRADE_WORDS:  # 省级培训, 市级骨干, 市级教育局: a training, a title or a body of that level, not who wrote a document
        return re.search(f"{word}(?!{_GRADED})", text) is not None
    return word in text


_GRADE_WORDS = frozenset({"省级", "市级", "县级", "校级"})
_GRADED = "培训|骨干|学科带头人|以上|专项|精品|标准|教师发展中心|教育局|教育行政部门|教育部门|部门|职责|政府"


# 骨干班, 语文班, 语文骨干班: a class is called by its subject or its trainees, words of its syllabus's title.
_CLASS = re.compile(r"([\u4e00-\u9fff]{2,4})班")


def _names_a_class(text: str, catalogue: list[DocumentInfo]) -> bool:
    return bool(class_names(text, catalogue))


def class_names(text: str, catalogue: list[DocumentInfo]) -> list[str]:
    """The names a question calls a course by (骨干 in 骨干班, 语文骨干 in 语文骨干班), when a syllabus's title
    has them: those words say which document, not what is asked of it."""
    courses = [d for d in catalogue if d.genre == "大纲"]
    names = [m.group(1) for m in _CLASS.finditer(to_simplified(text))]
    return [name for name in names if any(name[i:] in d.title for i in range(len(name) - 1) for d in courses)]


def named_documents(question: str, catalogue: list[DocumentInfo]) -> list[str]:
    """Ids of the documents a question names by genre or issuing level; empty when it names none."""
    text = to_simplified(question).lower()
    if len(catalogue) < 2:
        return []
    # What the question mentions is decided once; each document's genre and level are computed once.
    genres = {g for g, aliases in _GENRES.items() if any(_mentions(text, a) for a in aliases)}
    if _names_a_class(text, catalogue):
        genres.add("大纲")
    levels = {lv for lv, words in _LEVELS.items() if any(_mentions(text, w) for w in words)}
    if not genres and not levels:
        return []
    by_genre = [doc for doc in catalogue if doc.genre in genres]
    # 市里的指南 names the city's guide, not every city document: a level names its documents only where no
    # document of that level was named by genre.
    levels -= {doc.level for doc in by_genre}
    by_level = [doc for doc in catalogue if doc not in by_genre and doc.level and doc.level in levels]
    # 市里校本研修 names the city document whose title says 校本研修, not the city's other documents.
    common = frozenset.intersection(*(d.title_terms for d in catalogue))
    for level in {d.level for d in by_level}:
        peers = [d for d in by_level if d.level == level]
        titled = [d for d in peers if any(t in text for t in d.title_terms - common)]
        if titled and len(titled) < len(peers):
            by_level = [d for d in by_level if d.level != level or d in titled]
    named = [doc.doc_id for doc in catalogue if doc in by_genre or doc in by_level]
    # A genre shared by every document (two 通知) names none of them in particular.
    return [] if len(named) == len(catalogue) else named
