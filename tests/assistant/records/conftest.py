"""Each test gets Records on its own real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assistant.db import Database
from assistant.records import Records, Teacher

NOON = datetime(2026, 3, 10, 4, 0, tzinfo=UTC)  # 12:00 Beijing time, a Tuesday


@pytest.fixture
def records(tmp_path) -> Records:
    return Records(Database(tmp_path / "records.sqlite3"), credit_hours_per_task=0.5, credits_per_hour=0.1)


@pytest.fixture
def teacher(records: Records) -> Teacher:
    return records.teachers.get_or_create_by_channel("telegram", "10001", "王老师")


def add_task(records: Records, task_id: str, topic: str = "师德师风") -> str:
    return records.tasks.save({"id": task_id, "type": "choice", "topic": topic, "source_chunk_id": "doc:v:00001",
                               "question": "题目", "answer": "A"})
