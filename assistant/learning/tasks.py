"""The learning-task model and the generator protocol.

A task never carries knowledge of its own: it points back at the chunk it was made from (``TaskSource``)
and, for objective tasks, at the exact character spans of its keys in that chunk. That is what lets a
grader quote the source as feedback, and what lets tests prove that no key was invented.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from assistant.answering import Answer

TaskType = Literal["single_choice", "multiple_choice", "cloze", "true_false", "reflection", "practice"]
TASK_TYPES: tuple[TaskType, ...] = ("single_choice", "multiple_choice", "cloze", "true_false", "reflection",
                                    "practice")
OBJECTIVE = {"single_choice", "multiple_choice", "cloze", "true_false"}
TRUE, FALSE = "正确", "错误"


@dataclass(frozen=True)
class TaskSource:
    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str  # the full chunk text, so statements and distractors can be checked against context
    doc_number: str = ""
    # The span the answer actually quoted (may join sentences with ……): generators ask about it first.
    quote: str = ""

    def to_dict(self) -> dict[str, str]:
        d = {"chunk_id": self.chunk_id, "doc_id": self.doc_id, "title": self.title,
             "section": self.section, "text": self.text, "doc_number": self.doc_number}
        if self.quote:
            d["quote"] = self.quote
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TaskSource:
        return cls(str(d["chunk_id"]), str(d.get("doc_id", "")), str(d.get("title", "")),
                   str(d.get("section", "")), str(d["text"]), str(d.get("doc_number", "")),
                   str(d.get("quote", "")))


def task_id(type_: str, chunk_id: str, key_spans: Sequence[tuple[int, int]], prompt: str) -> str:
    """Stable across runs and machines, so progress records keyed by task id survive regeneration."""
    raw = json.dumps([type_, chunk_id, [list(s) for s in key_spans], prompt], ensure_ascii=False)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Task:
    id: str
    type: TaskType
    prompt: str
    source: TaskSource
    # single: option text; multiple: option texts; cloze: the blanked term; true_false: 正确/错误;
    # reflection/practice: a short model answer or deliverable description.
    answer: str | tuple[str, ...]
    options: tuple[str, ...] = ()
    # Objective tasks only. single/multiple/cloze: one span per key. true_false: the statement's sentence,
    # plus the swapped term's span when the statement is false.
    key_spans: tuple[tuple[int, int], ...] = ()
    rubric: tuple[str, ...] = ()
    topic: str = ""

    @property
    def objective(self) -> bool:
        return self.type in OBJECTIVE

    @property
    def keys(self) -> tuple[str, ...]:
        """The correct answer(s) as a tuple, whatever the type."""
        return self.answer if isinstance(self.answer, tuple) else (self.answer,)

    def span_texts(self) -> tuple[str, ...]:
        return tuple(self.source.text[s:e] for s, e in self.key_spans)

    def served(self) -> ServedTask:
        """What a channel may show before the task is answered (see ``public_dict``)."""
        return ServedTask(self.id, self.type, self.prompt, self.options,
                          {k: v for k, v in self.source.to_dict().items() if k not in ("text", "quote")},
                          self.topic)

    def public_dict(self) -> dict[str, Any]:
        """The task as served to a teacher before answering: no key, no source text, no rubric.

        Every channel (API, bot, ``quiz --json``) serves this shape; the key, the source text with the
        quoted span and the rubric are revealed by grading (``Companion.answer_task``). ``source`` keeps
        only where the task comes from. The full ``to_dict`` is for storage and for GIFT exports.
        """
        d: dict[str, Any] = {"id": self.id, "type": self.type, "prompt": self.prompt}
        if self.options:
            d["options"] = list(self.options)
        d["source"] = {k: v for k, v in self.source.to_dict().items() if k not in ("text", "quote")}
        d["topic"] = self.topic
        return d

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "type": self.type, "prompt": self.prompt}
        if self.options:
            d["options"] = list(self.options)
        d["answer"] = list(self.answer) if isinstance(self.answer, tuple) else self.answer
        d["source"] = self.source.to_dict()
        d["rubric"] = list(self.rubric)
        d["topic"] = self.topic
        # Beyond the minimal contract, so from_dict restores a task that can still prove its keys.
        d["key_spans"] = [list(s) for s in self.key_spans]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Task:
        answer = d["answer"]
        return cls(
            id=str(d["id"]),
            type=d["type"],
            prompt=str(d["prompt"]),
            source=TaskSource.from_dict(d["source"]),
            answer=tuple(str(a) for a in answer) if isinstance(answer, list | tuple) else str(answer),
            options=tuple(str(o) for o in d.get("options", ())),
            key_spans=tuple((int(s), int(e)) for s, e in d.get("key_spans", ())),
            rubric=tuple(str(r) for r in d.get("rubric", ())),
            topic=str(d.get("topic", "")),
        )


@dataclass(frozen=True)
class ServedTask:
    """A task as every channel receives it from the core: nothing that would give the answer away."""

    id: str
    type: TaskType
    prompt: str
    options: tuple[str, ...]
    source: dict[str, Any]
    topic: str

    @property
    def objective(self) -> bool:
        return self.type in OBJECTIVE

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "type": self.type, "prompt": self.prompt}
        if self.options:
            d["options"] = list(self.options)
        d["source"] = dict(self.source)
        d["topic"] = self.topic
        return d


class TaskGenerator(Protocol):
    """Offline today; an LLM-backed generator only has to honour the same span-grounding contract."""

    def generate(self, sources: Sequence[TaskSource], *, limit: int = 6) -> list[Task]: ...


def sources_from_answer(answer: Answer) -> list[TaskSource]:
    """One source per citation, carrying the whole cited chunk rather than the quoted excerpt.

    The quote alone is too thin: true/false variants and distractors are checked against the full
    passage so that a "wrong" option is not correct elsewhere in the same rule.
    """
    hits = {h.id: h for h in answer.retrieved}
    out: list[TaskSource] = []
    seen: set[str] = set()
    for c in answer.citations:
        if c.chunk_id in seen:
            continue
        seen.add(c.chunk_id)
        hit = hits.get(c.chunk_id)
        text = hit.text if hit is not None else c.text
        out.append(TaskSource(c.chunk_id, c.doc_id, c.title, c.section, text, c.doc_number, c.text))
    return out
