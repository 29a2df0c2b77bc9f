from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.records import Records
from assistant.records.review import next_interval
from tests.assistant.records.conftest import NOON, add_task


def test_intervals_grow_one_three_seven_fifteen() -> None:
    seq = [1]
    for _ in range(3):
        seq.append(next_interval(seq[-1], 2.0))
    assert seq == [1, 3, 7, 15]


def test_wrong_answer_is_due_tomorrow_then_grows(records: Records, teacher) -> None:
    add_task(records, "k1")
    sched = records.reviews
    assert sched.record(teacher.id, "k1", True, now=NOON) is None  # never missed: nothing to review
    state = sched.record(teacher.id, "k1", False, now=NOON)
    assert state and state.interval_days == 1
    assert sched.due(teacher.id, NOON) == []
    tomorrow_00_01 = datetime(2026, 3, 10, 16, 1, tzinfo=UTC)  # 00:01 on 3-11 Beijing
    assert sched.due(teacher.id, tomorrow_00_01 - timedelta(minutes=2)) == []
    assert sched.due(teacher.id, tomorrow_00_01) == ["k1"]
    now, gaps = tomorrow_00_01, []
    for _ in range(3):
        s = sched.record(teacher.id, "k1", True, now=now)
        assert s is not None
        gaps.append(s.interval_days)
        assert sched.due(teacher.id, now + timedelta(days=s.interval_days - 1)) == []
        now = now + timedelta(days=s.interval_days)
        assert sched.due(teacher.id, now) == ["k1"]
    assert gaps == [3, 7, 15]
    again = sched.record(teacher.id, "k1", False, now=now)
    assert again and again.interval_days == 1 and again.ease < 2.0 and again.repetitions == 0


def test_due_lists_only_this_teacher_oldest_first(records: Records, teacher) -> None:
    other = records.teachers.get_or_create_by_channel("cli", "other")
    for k in ("a", "b"):
        add_task(records, k)
    records.reviews.record(teacher.id, "b", False, now=NOON)
    records.reviews.record(teacher.id, "a", False, now=NOON + timedelta(days=1))
    records.reviews.record(other.id, "a", False, now=NOON)
    assert records.reviews.due(teacher.id, NOON + timedelta(days=5)) == ["b", "a"]
