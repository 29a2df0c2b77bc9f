"""Each test gets Records on its own real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.db import Database
from assistant.records import Records, Teacher
from assistant.records.attempts import record_attempt_in
from assistant.records.ledger import Entry, award_task_in

NOON = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # 12:00 Beijing time, a Tuesday


@pytest.fixture
def records(tmp_path) -> Records:
    return Records(Database(tmp_path / "records.sqlite3"), credit_hours_per_task=0.5, credits_per_hour=0.1)


@pytest.fixture
def teacher(records: Records) -> Teacher:
    return records.teachers.get_or_create_by_channel("telegram", "10001", "王老师")


def add_task(records: Records, task_id: str, topic: str = "师德师风", kind: str = "choice") -> str:
    return records.tasks.save({"id": task_id, "type": kind, "topic": topic, "source_chunk_id": "doc:v:00001",
                               "question": "题目", "answer": "A"})


def record_attempt(records: Records, teacher_id: str, task_id: str, response: str, correct: bool,
                   now: datetime | None = None) -> int:
    """One attempt on its own, outside a grading (which records it together with credit and review)."""
    with records.db.transaction() as conn:
        return record_attempt_in(conn, teacher_id, task_id, response, correct, None, now)[0]


def award_for_task(records: Records, teacher_id: str, task_id: str, hours: float, credits: float,
                   reason: str) -> Entry | None:
    """Credit a task on its own; ``None`` when it was already credited."""
    with records.db.transaction() as conn:
        return award_task_in(conn, teacher_id, task_id, hours, credits, reason)
