"""Which section a task's sentence sits in, so a task is filed under what it asks about; and which passages a
plan day's section is in, so its tasks are made from that section.

A passage is named after one section, but short sibling sections share a passage: 「四、考核与学分」 and
「五、经费保障」 in one chunk named 五、经费保障. A task cut from 「缺勤超过2天的不予结业。」 was filed under 经费保障:
its 出处, the 薄弱环节 of progress, the plan day it ticks and the 内容 column of the learning records all named
the wrong section. The answer already cites such a sentence under its own heading (``quote.section_of``);
tasks are placed the same way, from the sentence they were made from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from assistant.hits import Hit
from assistant.learning.tasks import Task, TaskSource
from assistant.quote import Quote, section_of
from indexer.structure import PATH_SEPARATOR

# The requirement an open task quotes: 落实下面这项要求：\n“…” / 依据：“…”.
_QUOTED = re.compile(r"“([^”]+)”")


def sentence_span(task: Task) -> tuple[int, int] | None:
    """Where in its source text the task's sentence is: an objective task's first key span lies in it (a
    true/false task's first span is the sentence itself); an open task quotes it in its prompt."""
    text = task.source.text
    if task.key_spans:
        start, end = task.key_spans[0]
        line_start = max(text.rfind(c, 0, start) for c in "。；\n") + 1
        return line_start, end
    for quoted in _QUOTED.findall(task.prompt):
        at = text.find(quoted)
        if at >= 0:
            return at, at + len(quoted)
    return None


def placed(task: Task) -> Task:
    """The task with its source and topic set to the section its sentence is in (unchanged when that is
    already the source's section or cannot be told)."""
    span = sentence_span(task)
    source = task.source
    if span is None or not source.section:
        return replace(task, topic=source.section)
    start, end = span
    hit = Hit(source.chunk_id, source.text, {"doc_id": source.doc_id, "title": source.title,
                                              "section": source.section})
    section = section_of(Quote(source.text[start:end], hit, 0, 0, start, end)) or source.section
    return replace(task, source=replace(source, section=section), topic=section)


def plan_day_sources(chunks: Iterable[Any], topic_id: str, limit: int = 2) -> list[TaskSource]:
    """The passages a plan day's topic (``doc_id#section path``) is in, from that document only.

    The day's tasks were found by searching the whole knowledge base for the section path: a day on the
    course outline's 「三、考核方式」 was quizzed on the national notice's 绩效考核评估. A topic names its document
    and section, so its passages are looked up rather than searched for: the chunks named after the section
    (or a section below it) and those holding its heading line, in reading order; the first sentence under
    the heading is what the tasks start from."""
    doc_id, _, section = topic_id.partition("#")
    heading = section.split(PATH_SEPARATOR)[-1].strip()
    found: list[tuple[int, TaskSource]] = []
    for chunk in chunks:
        meta, text = chunk.metadata, chunk.text
        if str(meta.get("doc_id", "")) != doc_id:
            continue
        label = str(meta.get("section", ""))
        at = _heading_line(text, heading)
        if at < 0 and label != section and not label.startswith(section + PATH_SEPARATOR):
            continue
        quote = _first_sentence(text[at + len(heading):]) if at >= 0 else ""
        found.append((int(meta.get("ordinal", 0) or 0),
                      TaskSource(chunk.id, doc_id, str(meta.get("title", "")), label, text,
                                 str(meta.get("doc_number", "")), quote)))
    return [source for _, source in sorted(found, key=lambda f: f[0])][:limit]


def _heading_line(text: str, heading: str) -> int:
    """Where ``heading`` stands as a line of its own in ``text`` (-1 if it does not)."""
    if not heading:
        return -1
    at = text.find(heading + "\n")
    while at > 0 and text[at - 1] != "\n":
        at = text.find(heading + "\n", at + 1)
    return at


def _first_sentence(body: str) -> str:
    body = body.lstrip()
    match = re.match(r"[^\n。；！？]*[。；！？]", body)
    return match.group(0) if match else body.split("\n", 1)[0]
