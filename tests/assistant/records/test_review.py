from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from assistant.records import Records
from assistant.records.review import Upcoming, next_interval, reviews_message
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


def test_upcoming_counts_what_is_not_yet_due_and_the_first_local_day(records: Records, teacher) -> None:
    """Right after a mistake nothing is due, but the review exists: how many wait and the Beijing day the
    first falls due (a miss at 23:30 Beijing is due the next local day, not two UTC days on)."""
    for k in ("a", "b", "c"):
        add_task(records, k)
    assert records.reviews.upcoming(teacher.id, NOON) == Upcoming(0, None)
    late = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)  # 23:30 on 3-10 Beijing
    records.reviews.record(teacher.id, "a", False, now=late)
    records.reviews.record(teacher.id, "b", False, now=NOON - timedelta(days=3))  # already due
    records.reviews.record(teacher.id, "c", False, now=late + timedelta(days=2))
    assert records.reviews.upcoming(teacher.id, late) == Upcoming(2, date(2026, 3, 11))
    assert records.reviews.due(teacher.id, late) == ["b"]


def test_the_review_message_says_what_is_scheduled_when_nothing_is_due() -> None:
    today = date(2026, 12, 7)
    assert reviews_message(0, 0, Upcoming(2, date(2026, 12, 8)), today) == \
        "现在没有到期的复习题；已安排 2 道，最早一道 12月8日 到期。"
    assert reviews_message(0, 0, Upcoming(1, date(2027, 1, 3)), today) == \
        "现在没有到期的复习题；已安排 1 道，最早一道 2027年1月3日 到期。"
    nothing = reviews_message(0, 0, Upcoming(0, None), today)
    assert "没有需要复习的错题" in nothing and "没有已安排的复习" in nothing
    assert reviews_message(3, 2, Upcoming(1, date(2026, 12, 8)), today) == "有 3 道错题到了复习时间，先来 2 道："
