"""Moodle GIFT export, so trainers can load the tasks into the platform their county already runs.

The tests parse what ``to_gift`` writes back to prove round trips (escaping is where GIFT exports
usually break: policy text is full of colons, and 〔〕-style brackets sit next to braces).
Each question is preceded by a ``// guopei:`` comment carrying its id and type, because GIFT cannot tell a
reflection from a practice essay, nor a one-key multiple choice from a single choice.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.learning.grading import citation
from assistant.learning.tasks import TRUE, Task

_SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in _SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\n", "\\n")




def _weight(n: int) -> str:
    return f"{100 / n:.5f}".rstrip("0").rstrip(".")


def _body(task: Task) -> str:
    feedback = f"####{escape(citation(task))}"
    if task.type == "single_choice":
        opts = " ".join(("=" if o == task.answer else "~") + escape(o) for o in task.options)
        return f"{{{opts} {feedback}}}"
    if task.type == "multiple_choice":
        w = _weight(len(task.keys))
        opts = " ".join((f"~%{w}%" if o in task.keys else "~%-100%") + escape(o) for o in task.options)
        return f"{{{opts} {feedback}}}"
    if task.type == "cloze":
        return f"{{={escape(str(task.answer))} {feedback}}}"
    if task.type == "true_false":
        return f"{{{'T' if task.answer == TRUE else 'F'} {feedback}}}"
    return f"{{{feedback}}}"


def to_gift(tasks: Sequence[Task]) -> str:
    blocks = []
    for task in tasks:
        name = escape(f"{task.topic or task.type} {task.id[:8]}")
        blocks.append(f"// guopei: {task.id} {task.type}\n::{name}::{escape(task.prompt)}{_body(task)}")
    return "\n\n".join(blocks) + ("\n" if blocks else "")
