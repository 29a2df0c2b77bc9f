"""How learning objects look over HTTP, shared by the ask and learning routers.

A task goes out as ``Task.public_dict()``: no key, no source text, no rubric. An answer earns credit, so
what would give the answer away stays on the server until the task is graded; the grading response then
reveals it, with the quoted source.
"""

from __future__ import annotations

from typing import Any

from assistant.answering import Answer
from assistant.companion import Companion
from assistant.learning.tasks import Task


def public_task(task: Task) -> dict[str, Any]:
    return task.public_dict()


def suggested_tasks(companion: Companion, answer: Answer) -> list[dict[str, Any]]:
    """Up to two tasks on what was just answered (none after an abstention): one objective, one reflection."""
    tasks = companion.quiz(answer=answer)
    picks = [next((t for t in tasks if t.objective), None), next((t for t in tasks if t.type == "reflection"), None)]
    return [public_task(t) for t in picks if t is not None]
