"""Stored learning tasks and each teacher's answers: the 精准记录 of training the notice asks for.

Tasks arrive as plain dicts (``Task.to_dict()`` from the learning engine) and are stored verbatim, so
this layer never depends on the engine's classes. Streaks count Beijing calendar days, because a teacher
answering at 23:50 and again at 00:10 has studied on two days even though UTC sees one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from assistant.db import Database
from assistant.errors import InvalidInput, NotFound
from assistant.records.review import due_in
from assistant.records.teachers import aware, from_iso, local_date, to_iso

WEAK_ACCURACY = 0.6
WEAK_MIN_TASKS = 2
# Task types whose feedback asks for a rewrite when they do not pass: attempts count until the first pass.
OPEN_TYPES = ("reflection", "practice")


@dataclass(frozen=True)
class TopicStats:
    """A topic's tasks, each judged by its counted attempts (``COUNTED``): practice neither helps nor hurts."""

    topic: str
    tasks: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.tasks if self.tasks else 0.0

    @property
    def weak(self) -> bool:
        return self.tasks >= WEAK_MIN_TASKS and self.accuracy < WEAK_ACCURACY


# One row per task a teacher answered, right when a counted attempt was: an objective task by its first answer,
# an open task by whether it has passed. Practice (attempts after that) is left out, so answering a task again and
# again can neither raise the accuracy nor brand its topic weak.
COUNTED = ("SELECT task_id, MAX(correct) AS correct FROM attempts WHERE teacher_id = ? AND practice = 0"
           " GROUP BY task_id")


class TaskStore:
    """Task dicts by id; saving the same id again keeps the first version (answers refer to it)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, task: Mapping[str, Any], now: datetime | None = None) -> str:
        task_id = str(task.get("id") or "").strip()
        if not task_id:
            raise InvalidInput("学习任务缺少 id，无法保存")
        payload = json.dumps(dict(task), ensure_ascii=False, sort_keys=True)
        with self.db.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO tasks (id, type, topic, source_chunk_id, payload, created_at)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         (task_id, str(task.get("type") or task.get("kind") or ""), str(task.get("topic") or ""),
                          str(task.get("source_chunk_id") or ""), payload, to_iso(aware(now))))
        return task_id

    def get(self, task_id: str) -> dict[str, Any] | None:
        row = self.db.conn.execute("SELECT payload FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return json.loads(row[0]) if row else None


def record_attempt_in(conn: sqlite3.Connection, teacher_id: str, task_id: str, response: str, correct: bool,
                      score: float | None = None, now: datetime | None = None) -> tuple[int, bool]:
    """Insert an attempt inside the caller's transaction; returns (id, counted) — only a counted attempt can
    earn credit, the others are practice.

    An objective task counts its first attempt only: trying every option in turn must not end in credit. An
    open task counts every attempt until the first that passes: its feedback asks for a rewrite, and the
    rewrite that passes earns the credit (once). The caller holds the write lock (BEGIN IMMEDIATE), so check
    and insert cannot interleave with another writer; the trigger of migration 0008 would refuse anyway."""
    task = conn.execute("SELECT type FROM tasks WHERE id = ?", (task_id,)).fetchone()
    if task is None:
        raise NotFound(f"找不到学习任务 {task_id}，请重新获取题目")
    if conn.execute("SELECT 1 FROM teachers WHERE id = ?", (teacher_id,)).fetchone() is None:
        raise NotFound(f"找不到教师 {teacher_id}，请先注册")
    decided = " AND correct = 1" if task[0] in OPEN_TYPES else ""
    counted = conn.execute("SELECT 1 FROM attempts WHERE teacher_id = ? AND task_id = ? AND practice = 0"
                           + decided + " LIMIT 1", (teacher_id, task_id)).fetchone() is None
    row = (teacher_id, task_id, response or "", int(bool(correct)), None if score is None else float(score),
           to_iso(aware(now)))
    insert = ("INSERT INTO attempts (teacher_id, task_id, response, correct, score, created_at, practice)"
              " VALUES (?, ?, ?, ?, ?, ?, ?)")
    try:
        cur = conn.execute(insert, (*row, int(not counted)))
    except sqlite3.IntegrityError as exc:
        if not counted or "UNIQUE" not in str(exc):
            raise
        counted, cur = False, conn.execute(insert, (*row, 1))  # another connection's counted attempt won
    assert cur.lastrowid is not None
    return cur.lastrowid, counted


def streak_from(days: set[date], today: date) -> int:
    """Consecutive days ending today — or yesterday, since today's study may simply not have happened yet."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


class AttemptLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def attempts(self, teacher_id: str) -> list[dict[str, Any]]:
        rows = self.db.conn.execute(
            "SELECT a.id, a.task_id, t.topic, json_extract(t.payload, '$.source.title') AS title, t.type, a.response,"
            " a.correct, a.score, a.practice, a.created_at FROM attempts a"
            " JOIN tasks t ON t.id = a.task_id WHERE a.teacher_id = ? ORDER BY a.created_at, a.id", (teacher_id,))
        return [dict(r) for r in rows]

    def streak_days(self, teacher_id: str, now: datetime | None = None) -> int:
        rows = self.db.conn.execute("SELECT created_at FROM attempts WHERE teacher_id = ?", (teacher_id,))
        return streak_from({local_date(from_iso(r[0])) for r in rows}, local_date(aware(now)))

    def topic_stats(self, teacher_id: str) -> list[TopicStats]:
        rows = self.db.conn.execute(
            f"SELECT t.topic, COUNT(*), SUM(c.correct) FROM ({COUNTED}) c JOIN tasks t ON t.id = c.task_id"
            " GROUP BY t.topic ORDER BY t.topic", (teacher_id,))
        return [TopicStats(r[0], r[1], r[2] or 0) for r in rows]

    def weak_topics(self, teacher_id: str) -> list[str]:
        """Weakest first: at least two tasks and under 60% right, so one slip does not brand a topic."""
        weak = [s for s in self.topic_stats(teacher_id) if s.weak]
        return [s.topic for s in sorted(weak, key=lambda s: (s.accuracy, -s.tasks, s.topic))]

    def weak_source(self, teacher_id: str, topic: str) -> tuple[str, str] | None:
        """The document (doc_id, title) a weak topic was missed in: where its counted tasks went wrong most
        often. A topic is a section path, and two documents can have one of the same name (三、保障措施), so
        the way to practise it is that document's section, not a search of every document for its name."""
        row = self.db.conn.execute(
            "SELECT json_extract(t.payload, '$.source.doc_id') AS doc, json_extract(t.payload, '$.source.title'),"
            f" COUNT(*) - SUM(c.correct) AS wrong FROM ({COUNTED}) c JOIN tasks t ON t.id = c.task_id"
            " WHERE t.topic = ? AND doc IS NOT NULL AND doc != '' GROUP BY doc ORDER BY wrong DESC, doc LIMIT 1",
            (teacher_id, topic)).fetchone()
        return (str(row[0]), str(row[1] or "")) if row else None

    def progress(self, teacher_id: str, now: datetime | None = None) -> dict[str, Any]:
        """``attempts`` counts every answer, ``practice`` those that could not count; ``answered``, ``correct`` and
        ``accuracy`` are about tasks, judged by their counted attempts only (``COUNTED``)."""
        now = aware(now)
        conn = self.db.conn
        total, practice = conn.execute("SELECT COUNT(*), COALESCE(SUM(practice), 0) FROM attempts"
                                       " WHERE teacher_id = ?", (teacher_id,)).fetchone()
        answered, right = conn.execute(f"SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM ({COUNTED})",
                                       (teacher_id,)).fetchone()
        hours, credits = conn.execute("SELECT COALESCE(SUM(hours), 0), COALESCE(SUM(credits), 0)"
                                      " FROM credit_ledger WHERE teacher_id = ?", (teacher_id,)).fetchone()
        return {
            "attempts": total,
            "practice": practice,
            "answered": answered,
            "correct": right,
            "accuracy": round(right / answered, 4) if answered else 0.0,
            "streak_days": self.streak_days(teacher_id, now),
            "hours": round(hours, 6) + 0.0,
            "credits": round(credits, 6) + 0.0,
            "weak_topics": self.weak_topics(teacher_id),
            "due_reviews": len(due_in(conn, teacher_id, now)),
        }
