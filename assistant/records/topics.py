"""Plan topics: one per section of each document, tagged with the plan vocabulary its text uses, and how well a
topic's words suit a teacher's development stage, subject and school level.

The notice asks for plans fitted to each teacher's development stage, so topics are ranked by keyword weights
per stage (a 新任 teacher starts from 师德师风 and 课程标准, a 骨干 or 名师 from 培训者 and 示范引领), then by
subject and school level. Kept apart from the stored plans (``plans``) so building topics from chunks needs
no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.headings import document_text
from assistant.records.audience import Audience, audience
from assistant.titles import short_title
from indexer.structure import PATH_SEPARATOR, PREAMBLE, parse_structure

STAGE_KEYWORDS: dict[str, dict[str, float]] = {
    "新任": {"师德师风": 6, "核心素养": 5, "课程标准": 5, "新课程": 4, "职业行为": 4, "立德树人": 3,
             "信息技术": 2, "教学实施": 2},
    "青年": {"核心素养": 4, "课程标准": 4, "信息技术": 4, "自主选学": 3, "学生评价": 3, "人工智能": 3,
             "教学实施": 3, "师德师风": 2},
    "骨干": {"培训者": 6, "专家库": 5, "协同": 5, "示范": 5, "帮扶": 4, "学科带头人": 4,
             "教研": 3, "整校研修": 3},
    "名师": {"培训者": 6, "专家库": 6, "示范": 5, "协同": 4, "名师": 4, "帮扶": 4,
             "教育家型": 4, "资源": 2},
    "培训者": {"培训者": 6, "培训机构": 5, "培训课程": 5, "专家库": 4, "评估": 4, "混合式": 3,
              "资源": 3},
    "名校长": {"校园长": 6, "整校研修": 5, "管理者": 5, "协同": 4, "经费": 3, "示范": 3, "帮扶": 3},
}
LEVEL_KEYWORDS: dict[str, tuple[str, ...]] = {
    "幼儿园": ("幼儿园", "幼小衔接", "学前"),
    "小学": ("义务教育", "小学", "少先队", "幼小衔接"),
    "初中": ("义务教育", "初中", "统编教材"),
    "高中": ("高中", "统编教材"),
    "中职": ("职业", "中职"),
}
# A compilation of thousands of articles would otherwise make thousands of topics for every teacher (a
# plan page of megabytes); a document offers at most this many, by part where it has parts.
MAX_TOPICS_PER_DOCUMENT = 40
SUBJECT_WEIGHT = 4.0
LEVEL_WEIGHT = 2.0
VOCABULARY: frozenset[str] = frozenset(
    {k for weights in STAGE_KEYWORDS.values() for k in weights} | {k for ks in LEVEL_KEYWORDS.values() for k in ks}
    | {"语文", "数学", "英语", "历史", "道德与法治", "体育", "音乐", "美术", "劳动", "科学", "家庭教育"})


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    section: str
    kind: str = ""
    tags: tuple[str, ...] = ()
    # Whom the document declares itself for (corpus metadata: ``stage`` is the school level); usually empty,
    # and then its title says (``audience``).
    stage: str = ""
    subject: str = ""

    @property
    def audience(self) -> Audience:
        return audience(self.title, self.stage, self.subject)

    @property
    def short_title(self) -> str:
        """The document's short title, shown beside the section (the same heading may be in two documents)."""
        return short_title(self.title)


def score_topic(topic: Topic, profile: Mapping[str, str]) -> float:
    """Keyword relevance of a topic for this teacher; the document title is shared by all its sections, so
    only the section path and tags discriminate."""
    text = " ".join((topic.section, *topic.tags))
    score = sum(w for k, w in STAGE_KEYWORDS.get(profile.get("stage", ""), {}).items() if k in text)
    subject = profile.get("subject", "")
    if subject and subject in text:
        score += SUBJECT_WEIGHT
    if any(k in text for k in LEVEL_KEYWORDS.get(profile.get("school_level", ""), ())):
        score += LEVEL_WEIGHT
    return score


def topics_from_chunks(chunks: Iterable[Any]) -> list[Topic]:
    """One topic per (document, section path), in reading order; tags gain the plan vocabulary found in the
    section's text, so a heading like “1. 突出教师核心素养培养” still ranks for 师德师风 it talks about."""
    chunks = list(chunks)  # read twice: for the chunks' names, then for the sections none is named after
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for chunk in chunks:
        meta = getattr(chunk, "metadata", None)
        if meta is None:
            meta = chunk.get("metadata", chunk) if isinstance(chunk, Mapping) else {}
        text = getattr(chunk, "text", None) or (chunk.get("text", "") if isinstance(chunk, Mapping) else "")
        doc_id, section = str(meta.get("doc_id", "")), str(meta.get("section", "") or meta.get("heading", ""))
        if not doc_id or not section:
            continue
        g = groups.setdefault((doc_id, section), {"title": str(meta.get("title", "")), "kind": str(meta.get("kind", "")),
                                                  "tags": [t for t in str(meta.get("tags", "")).split(",") if t],
                                                  "stage": str(meta.get("stage", "") or ""),
                                                  "subject": str(meta.get("subject", "") or ""),
                                                  "ordinal": int(meta.get("ordinal", 0) or 0), "text": "",
                                                  "at": int(meta.get("start", 0) or 0)})
        g["ordinal"] = min(g["ordinal"], int(meta.get("ordinal", 0) or 0))
        g["text"] += text
    for (doc_id, section), g in _unnamed_sections(chunks, groups).items():
        groups[(doc_id, section)] = g
    by_doc: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for (doc_id, section), g in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1]["ordinal"], kv[1]["at"])):
        by_doc.setdefault(doc_id, []).append((section, g))
    topics = []
    for doc_id, sections in by_doc.items():
        if len(sections) > 1:  # a preamble (the addressees, the preface) is no study topic; a document with
            sections = [(section, g) for section, g in sections if section != PREAMBLE]  # nothing else keeps it
        for section, g in _at_most(sections, MAX_TOPICS_PER_DOCUMENT):
            found = sorted(k for k in VOCABULARY if k in g["text"] and k not in g["tags"])
            topics.append(Topic(f"{doc_id}#{section}", g["title"], section, g["kind"], tuple(g["tags"] + found),
                                g["stage"], g["subject"]))
    return topics


def _unnamed_sections(chunks: Iterable[Any], named: dict[tuple[str, str], dict[str, Any]]
                      ) -> dict[tuple[str, str], dict[str, Any]]:
    """The sections no chunk is named after, as topics of their own.

    A chunk is named after one section, the last of the short ones it holds, so 「二、培训对象」 and 「四、考核与
    学分」 sat inside chunks named 三、培训安排 > （一）集中培训 and 五、经费保障 and could be neither planned nor
    picked, while the outline after upload listed them. The document's text is put back together from its
    chunks' offsets (``headings.document_text``) and every heading that is neither a chunk's name, above one
    (三、培训安排) nor below one (a numbered item of a named section) becomes a topic with its own text. The
    named topics are placed where their heading is (``at``), so the topics read in the document's order."""
    docs: dict[str, list[dict[str, Any]]] = {}
    for chunk in chunks:
        meta = getattr(chunk, "metadata", None)
        if meta is None:
            meta = chunk.get("metadata", chunk) if isinstance(chunk, Mapping) else {}
        text = getattr(chunk, "text", None) or (chunk.get("text", "") if isinstance(chunk, Mapping) else "")
        if all(k in meta for k in ("doc_id", "ordinal", "start", "end")):
            docs.setdefault(str(meta["doc_id"]), []).append({**meta, "text": text})
    extra: dict[tuple[str, str], dict[str, Any]] = {}
    for doc_id, parts in docs.items():
        known = [section for d, section in named if d == doc_id]
        text = document_text(parts) if known else None
        if text is None:
            continue
        like = named[(doc_id, known[0])]
        sections = parse_structure(text).sections
        for sec in sections:
            label = sec.label
            if (doc_id, label) in named:  # read in the order of the headings, not of the chunks' first lines
                named[(doc_id, label)]["at"] = sec.start
            if label == PREAMBLE or any(label == k or label.startswith(k + PATH_SEPARATOR)
                                        or k.startswith(label + PATH_SEPARATOR) for k in known):
                continue
            known.append(label)
            end = max(s.end for s in sections if s.label == label or s.label.startswith(label + PATH_SEPARATOR))
            holder = max((p for p in parts if int(p["start"]) <= sec.start), key=lambda p: int(p["start"]),
                         default=parts[0])
            extra[(doc_id, label)] = {**like, "ordinal": int(holder["ordinal"]), "text": text[sec.start:end],
                                      "at": sec.start}
    return extra


def _at_most(sections: list[tuple[str, dict[str, Any]]], limit: int) -> list[tuple[str, dict[str, Any]]]:
    """A long document's sections read as its top-level parts; if even those are too many (a flat list of
    articles), the ones that speak most of what plans are made of, in reading order."""
    if len(sections) <= limit:
        return sections
    parts: dict[str, dict[str, Any]] = {}
    for section, g in sections:
        top = section.split(PATH_SEPARATOR)[0]
        part = parts.setdefault(top, {**g, "text": ""})
        part["text"] += g["text"]
    merged = list(parts.items())
    if len(merged) <= limit:
        return merged
    richest = sorted(range(len(merged)), key=lambda i: (-sum(k in merged[i][1]["text"] for k in VOCABULARY), i))
    return [merged[i] for i in sorted(richest[:limit])]
