"""Spaced review of wrongly answered tasks (SM-2 style), so a mistake comes back less often as it sticks.

A wrong answer puts the task on the review list for tomorrow; each right answer on review roughly
doubles the gap (1 → 3 → 7 → 15 … days with the starting ease, at most 180), and each further mistake
lowers the ease so hard items come back more often. A review is never retired: a right answer only pushes
it further out, so every review counted as scheduled does come due again. Due times are local (Asia/Shanghai) midnights, so an item is
due for the whole of its day. ``now`` is injectable everywhere for tests.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from assistant.db import Database
from assistant.records.teachers import aware, days_after, from_iso, local_date, to_iso

START_EASE = 2.0
MIN_EASE = 1.3
EASE_PENALTY = 0.2
MAX_INTERVAL_DAYS = 180


@dataclass(frozen=True)
class ReviewState:
    teacher_id: str
    task_id: str
    due_at: str
    interval_days: int
    ease: float
    repetitions: int
    last_result: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def next_interval(interval_days: int, ease: float) -> int:
    """1 → 3 → 7 → 15 at ease 2.0: the gap grows geometrically but never stalls at 1."""
    return min(MAX_INTERVAL_DAYS, round(interval_days * ease) + 1)


def schedule_in(conn: sqlite3.Connection, teacher_id: str, task_id: str, correct: bool,
                now: datetime | None = None) -> ReviewState | None:
    """Update the schedule after an answer, inside the caller's transaction.

    A right answer to a task never missed schedules nothing: review is for mistakes only.
    """
    now = aware(now)
    row = conn.execute("SELECT interval_days, ease, repetitions FROM reviews WHERE teacher_id = ? AND task_id = ?",
                       (teacher_id, task_id)).fetchone()
    if row is None and correct:
        return None
    if not correct:
        ease = START_EASE if row is None else max(MIN_EASE, row["ease"] - EASE_PENALTY)
        interval, repetitions = 1, 0
    else:
        ease = row["ease"]
        interval, repetitions = next_interval(row["interval_days"], ease), row["repetitions"] + 1
    state = ReviewState(teacher_id, task_id, to_iso(days_after(now, interval)), interval, ease, repetitions,
                        int(correct))
    conn.execute(
        "INSERT INTO reviews (teacher_id, task_id, due_at, interval_days, ease, repetitions, last_result)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (teacher_id, task_id) DO UPDATE SET due_at = excluded.due_at,"
        " interval_days = excluded.interval_days, ease = excluded.ease, repetitions = excluded.repetitions,"
        " last_result = excluded.last_result",
        (state.teacher_id, state.task_id, state.due_at, state.interval_days, state.ease, state.repetitions,
         state.last_result))
    return state


def due_in(conn: sqlite3.Connection, teacher_id: str, now: datetime | None = None) -> list[str]:
    rows = conn.execute("SELECT task_id FROM reviews WHERE teacher_id = ? AND due_at <= ? ORDER BY due_at, task_id",
                        (teacher_id, to_iso(aware(now))))
    return [r[0] for r in rows]


@dataclass(frozen=True)
class Upcoming:
    """Reviews scheduled but not yet due, and the local day the first of them falls due (None if none)."""

    count: int
    next_due: date | None


def upcoming_in(conn: sqlite3.Connection, teacher_id: str, now: datetime | None = None) -> Upcoming:
    count, first = conn.execute("SELECT COUNT(*), MIN(due_at) FROM reviews WHERE teacher_id = ? AND due_at > ?",
                                (teacher_id, to_iso(aware(now)))).fetchone()
    return Upcoming(count, local_date(from_iso(first)) if first else None)


def day_label(day: date, today: date) -> str:
    """How a teacher reads a due day: 12月8日, with the year only when it is not this one."""
    return f"{day.month}月{day.day}日" if day.year == today.year else f"{day.year}年{day.month}月{day.day}日"


def reviews_message(due: int, shown: int, upcoming: Upcoming, today: date) -> str:
    """What a teacher asking for review is told, the same words on every surface.

    A mistake is only due the next day, so right after one "nothing due" alone reads as if the mistake was
    lost: with nothing due the teacher hears how many reviews are waiting and when the first one comes.
    """
    if due and shown:
        return f"有 {due} 道错题到了复习时间，先来 {shown} 道："
    if due:
        return f"有 {due} 道错题到了复习时间，但这些题目已不在题库中，暂时无法复习。"
    if upcoming.count and upcoming.next_due is not None:
        return (f"现在没有到期的复习题；已安排 {upcoming.count} 道，"
                f"最早一道 {day_label(upcoming.next_due, today)} 到期。")
    return "目前没有需要复习的错题，也没有已安排的复习：答错的题会从第二天起安排复习。"


class ReviewScheduler:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, teacher_id: str, task_id: str, correct: bool, now: datetime | None = None
               ) -> ReviewState | None:
        with self.db.transaction() as conn:
            return schedule_in(conn, teacher_id, task_id, correct, now)

    def due(self, teacher_id: str, now: datetime | None = None) -> list[str]:
        """Task ids due for review at ``now``, the longest-waiting first."""
        return due_in(self.db.conn, teacher_id, now)

    def upcoming(self, teacher_id: str, now: datetime | None = None) -> Upcoming:
        """Reviews not yet due at ``now``: a wrong answer's review waits until the next day."""
        return upcoming_in(self.db.conn, teacher_id, now)

    def state(self, teacher_id: str, task_id: str) -> ReviewState | None:
        row = self.db.conn.execute("SELECT * FROM reviews WHERE teacher_id = ? AND task_id = ?",
                                   (teacher_id, task_id)).fetchone()
        return ReviewState(**{k: row[k] for k in row.keys()}) if row else None  # noqa: SIM118
