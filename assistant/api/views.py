"""How learning objects look over HTTP, shared by the ask and learning routers.

A task goes out in the shape of ``Task.to_dict()`` minus its key (``answer``, ``key_spans``): over the
API an answer earns credit, so the key stays on the server until the task is graded, and the grader's
feedback quotes the source afterwards anyway.
"""

from __future__ import annotations

from typing import Any

from assistant.answering import Answer
from assistant.companion import Companion
from assistant.learning.tasks import Task

HIDDEN_TASK_FIELDS = ("answer", "key_spans")


def public_task(task: Task) -> dict[str, Any]:
    return {k: v for k, v in task.to_dict().items() if k not in HIDDEN_TASK_FIELDS}


def suggested_tasks(companion: Companion, answer: Answer) -> list[dict[str, Any]]:
    """Up to two tasks on what was just answered (none after an abstention): one objective, one reflection."""
    tasks = companion.quiz(answer=answer)
    picks = [next((t for t in tasks if t.objective), None), next((t for t in tasks if t.type == "reflection"), None)]
    return [public_task(t) for t in picks if t is not None]
