"""Spaced review of wrongly answered tasks (SM-2 style), so a mistake comes back until it sticks.

A wrong answer puts the task on the review list for tomorrow; each right answer on review roughly
doubles the gap (1 → 3 → 7 → 15 … days with the starting ease), and each further mistake lowers the
ease so hard items come back more often. Due times are local (Asia/Shanghai) midnights, so an item is
due for the whole of its day. ``now`` is injectable everywhere for tests.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from assistant.db import Database
from assistant.records.teachers import aware, days_after, to_iso

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

    def state(self, teacher_id: str, task_id: str) -> ReviewState | None:
        row = self.db.conn.execute("SELECT * FROM reviews WHERE teacher_id = ? AND task_id = ?",
                                   (teacher_id, task_id)).fetchone()
        return ReviewState(**{k: row[k] for k in row.keys()}) if row else None  # noqa: SIM118
