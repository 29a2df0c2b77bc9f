"""Teacher records: profiles, answers, the credit bank, spaced review, plans, anonymous feedback, exports.

``Records`` is the one object the CLI, API and bots hold; it owns the database and the stores, and
``record_answer`` is the single path by which an answer becomes an attempt, a review schedule and a
credit, all in one transaction so a crash never leaves credit without its answer or the reverse. Only a
counted attempt can be credited, and later ones are practice: for an objective task the first attempt, for an
open task (reflection, practice) every attempt until the first that passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assistant.db import Database
from assistant.records.attempts import AttemptLog, TaskStore, record_attempt_in
from assistant.records.exports import Exports
from assistant.records.feedback import FeedbackStore
from assistant.records.ledger import CreditLedger, Entry, LedgerError, award_task_in
from assistant.records.plans import NextStep, Plan, PlanItem, PlanStore, build_plan
from assistant.records.review import ReviewScheduler, ReviewState, schedule_in
from assistant.records.teachers import SCHOOL_LEVELS, SHANGHAI, STAGES, SUBJECTS, Teacher, TeacherStore, aware
from assistant.records.topics import Topic, topics_from_chunks
from assistant.titles import titled

__all__ = [
    "SCHOOL_LEVELS", "SHANGHAI", "STAGES", "SUBJECTS", "AnswerOutcome", "AttemptLog", "CreditLedger", "Entry",
    "Exports", "FeedbackStore", "LedgerError", "NextStep", "Plan", "PlanItem", "PlanStore", "Records", "ReviewScheduler",
    "ReviewState", "TaskStore", "Teacher", "TeacherStore", "Topic", "build_plan", "topics_from_chunks",
]


@dataclass(frozen=True)
class AnswerOutcome:
    attempt_id: int
    correct: bool
    credited: Entry | None  # None: wrong, practice, or this task was already credited
    practice: bool  # the task was already decided (objective: answered; open: passed): graded, never credited
    review: ReviewState | None  # None: right answer on a task never missed
    plan_item_done: bool

    def as_dict(self) -> dict[str, Any]:
        return {"attempt_id": self.attempt_id, "correct": self.correct, "practice": self.practice,
                "credited": self.credited.as_dict() if self.credited else None,
                "review": self.review.as_dict() if self.review else None,
                "plan_item_done": self.plan_item_done}


class Records:
    def __init__(self, db: Database, credit_hours_per_task: float = 0.1, credits_per_hour: float = 0.1) -> None:
        self.db = db
        self.credit_hours_per_task = credit_hours_per_task
        self.credits_per_hour = credits_per_hour
        self.teachers = TeacherStore(db)
        self.tasks = TaskStore(db)
        self.attempts = AttemptLog(db)
        self.ledger = CreditLedger(db)
        self.reviews = ReviewScheduler(db)
        self.plans = PlanStore(db)
        self.feedback = FeedbackStore(db)
        self.exports = Exports(db)

    def record_answer(self, teacher_id: str, task_id: str, response: str, correct: bool,
                      score: float | None = None, now: datetime | None = None) -> AnswerOutcome:
        """Attempt + review schedule + task credit if this counted attempt is right, atomically."""
        now = aware(now)
        hours = self.credit_hours_per_task
        with self.db.transaction() as conn:
            attempt_id, counted = record_attempt_in(conn, teacher_id, task_id, response, correct, score, now)
            review = schedule_in(conn, teacher_id, task_id, correct, now)
            credited = None
            if correct and counted and hours > 0:
                topic, title = conn.execute("SELECT topic, json_extract(payload, '$.source.title') FROM tasks"
                                            " WHERE id = ?", (task_id,)).fetchone()
                studied = titled(title or "", topic) if topic else task_id
                credited = award_task_in(conn, teacher_id, task_id, hours, round(hours * self.credits_per_hour, 6),
                                         f"完成学习任务：{studied}", now)
        done = False
        if correct:
            topic = (self.tasks.get(task_id) or {}).get("topic") or ""
            done = bool(topic) and self.plans.mark_done(teacher_id, str(topic), now)
        return AnswerOutcome(attempt_id, bool(correct), credited, not counted, review, done)

    def progress(self, teacher_id: str, now: datetime | None = None) -> dict[str, Any]:
        return self.attempts.progress(teacher_id, now)

    def what_next(self, teacher_id: str, now: datetime | None = None) -> NextStep:
        return self.plans.what_next(teacher_id, now)
