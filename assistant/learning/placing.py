"""Which section a task's sentence sits in, so a task is filed under what it asks about.

A passage is named after one section, but short sibling sections share a passage: 「四、考核与学分」 and
「五、经费保障」 in one chunk named 五、经费保障. A task cut from 「缺勤超过2天的不予结业。」 was filed under 经费保障:
its 出处, the 薄弱环节 of progress, the plan day it ticks and the 内容 column of the learning records all named
the wrong section. The answer already cites such a sentence under its own heading (``quote.section_of``);
tasks are placed the same way, from the sentence they were made from.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.learning.tasks import Task
from assistant.quote import Quote, section_of
from assistant.retrieval import Hit

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
