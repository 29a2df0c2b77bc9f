from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant.records import Records
from tests.assistant.records.conftest import NOON, add_task


def test_streak_counts_beijing_days_across_midnight(records: Records, teacher) -> None:
    add_task(records, "k1")
    before = datetime(2026, 3, 10, 15, 50, tzinfo=UTC)  # 23:50 Beijing, 3-10
    after = datetime(2026, 3, 10, 16, 10, tzinfo=UTC)  # 00:10 Beijing, 3-11 (same UTC day)
    records.attempts.record_attempt(teacher.id, "k1", "A", True, now=before)
    assert records.attempts.streak_days(teacher.id, before) == 1
    records.attempts.record_attempt(teacher.id, "k1", "A", True, now=after)
    assert records.attempts.streak_days(teacher.id, after) == 2
    # The next evening, before studying, the streak is still alive; a day later it is broken.
    assert records.attempts.streak_days(teacher.id, after + timedelta(hours=20)) == 2
    assert records.attempts.streak_days(teacher.id, after + timedelta(days=2)) == 0


def test_progress_weak_topics_and_credit(records: Records, teacher) -> None:
    add_task(records, "m1", "师德师风")
    add_task(records, "m2", "课程标准")
    add_task(records, "m3", "信息技术")
    records.record_answer(teacher.id, "m1", "B", False, now=NOON)
    records.record_answer(teacher.id, "m1", "A", True, now=NOON)
    records.record_answer(teacher.id, "m1", "B", False, now=NOON)  # 1/3 → weak
    records.record_answer(teacher.id, "m2", "A", True, now=NOON)
    records.record_answer(teacher.id, "m2", "A", True, now=NOON)  # second right answer: no second credit
    records.record_answer(teacher.id, "m3", "B", False, now=NOON)  # one slip only: not weak
    p = records.progress(teacher.id, NOON + timedelta(days=1))
    assert p["attempts"] == 6 and p["correct"] == 3 and p["accuracy"] == 0.5
    assert p["weak_topics"] == ["师德师风"]
    assert p["streak_days"] == 1
    assert p["due_reviews"] == 2
    assert (p["hours"], p["credits"]) == (1.0, pytest.approx(0.1))


def test_unknown_task_or_teacher_is_refused_in_chinese(records: Records, teacher) -> None:
    with pytest.raises(LookupError, match="找不到学习任务"):
        records.record_answer(teacher.id, "nope", "A", True)
    add_task(records, "k1")
    with pytest.raises(LookupError, match="找不到教师"):
        records.record_answer("t_0000000000000000", "k1", "A", True)
    assert records.progress(teacher.id)["attempts"] == 0


def test_tasks_round_trip_as_dicts(records: Records) -> None:
    add_task(records, "k1", "核心素养")
    assert records.tasks.get("k1")["question"] == "题目"
    assert records.tasks.get("missing") is None
    with pytest.raises(ValueError, match="缺少 id"):
        records.tasks.save({"topic": "x"})
