"""The credit bank (学分银行): an append-only ledger of 学时 and 学分.

History is never edited — SQLite triggers refuse UPDATE and DELETE — so a balance can always be
explained entry by entry; a mistake is undone by a correcting entry that negates it. A task is
credited at most once per teacher: a partial unique index enforces it, so concurrent awards of the same
task cannot both land however the callers race.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from assistant.db import Database
from assistant.errors import InvalidInput
from assistant.records.teachers import aware, to_iso

SOURCE_KINDS: tuple[str, ...] = ("task", "resource", "training", "correction", "manual")


class LedgerError(InvalidInput):
    """A ledger operation that cannot be done as asked; the message is shown to people (Chinese)."""


@dataclass(frozen=True)
class Entry:
    id: int
    teacher_id: str
    hours: float
    credits: float
    reason: str
    source_kind: str
    source_id: str
    corrects_entry: int | None
    created_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Entry:
        return cls(**{k: row[k] for k in row.keys()})  # noqa: SIM118

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_amounts(hours: float, credits: float) -> None:
    for label, value in (("学时", hours), ("学分", credits)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise LedgerError(f"{label}必须是数字")


def _insert(conn: sqlite3.Connection, teacher_id: str, hours: float, credits: float, reason: str,
            source_kind: str, source_id: str, corrects: int | None, now: datetime | None) -> Entry:
    cur = conn.execute(
        "INSERT INTO credit_ledger (teacher_id, hours, credits, reason, source_kind, source_id, corrects_entry,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (teacher_id, float(hours), float(credits), reason, source_kind, source_id, corrects, to_iso(aware(now))))
    row = conn.execute("SELECT * FROM credit_ledger WHERE id = ?", (cur.lastrowid,)).fetchone()
    return Entry.from_row(row)


def award_task_in(conn: sqlite3.Connection, teacher_id: str, task_id: str, hours: float, credits: float,
                  reason: str, now: datetime | None = None) -> Entry | None:
    """Award inside a caller's transaction (so an answer and its credit commit together)."""
    _check_amounts(hours, credits)
    if hours < 0 or credits < 0:
        raise LedgerError("任务奖励的学时、学分不能为负数")
    if conn.execute("SELECT 1 FROM credit_ledger WHERE teacher_id = ? AND source_kind = 'task' AND source_id = ?",
                    (teacher_id, task_id)).fetchone():
        return None
    try:
        return _insert(conn, teacher_id, hours, credits, reason, "task", task_id, None, now)
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" in str(exc):  # another connection won; its award stands
            return None
        raise


class CreditLedger:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, teacher_id: str, hours: float, credits: float, reason: str, source_kind: str,
            source_id: str = "", now: datetime | None = None) -> Entry:
        _check_amounts(hours, credits)
        if source_kind not in SOURCE_KINDS:
            raise LedgerError(f"来源类型“{source_kind}”无效，可选：{'、'.join(SOURCE_KINDS)}")
        if source_kind == "correction":
            raise LedgerError("更正请使用 correct()，以便记录被更正的条目")
        if not (reason or "").strip():
            raise LedgerError("请填写记账原因")
        with self.db.transaction() as conn:
            if source_kind == "task":
                entry = award_task_in(conn, teacher_id, source_id, hours, credits, reason, now)
                if entry is None:
                    raise LedgerError(f"任务 {source_id} 已为该教师记过学时，不能重复记入")
                return entry
            return _insert(conn, teacher_id, hours, credits, reason.strip(), source_kind, source_id, None, now)

    def correct(self, entry_id: int, reason: str, now: datetime | None = None) -> Entry:
        """Undo an entry by appending its negation; the original stays visible in the history."""
        if not (reason or "").strip():
            raise LedgerError("更正必须说明原因")
        with self.db.transaction() as conn:
            row = conn.execute("SELECT * FROM credit_ledger WHERE id = ?", (entry_id,)).fetchone()
            if row is None:
                raise LedgerError(f"找不到账目 {entry_id}")
            original = Entry.from_row(row)
            if original.corrects_entry is not None:
                raise LedgerError(f"账目 {entry_id} 本身是更正记录，不能再更正；如需调整请新增一条记录")
            if conn.execute("SELECT 1 FROM credit_ledger WHERE corrects_entry = ?", (entry_id,)).fetchone():
                raise LedgerError(f"账目 {entry_id} 已经更正过，不能重复更正")
            return _insert(conn, original.teacher_id, -original.hours, -original.credits, reason.strip(),
                           "correction", str(entry_id), entry_id, now)

    def balance(self, teacher_id: str) -> tuple[float, float]:
        """(学时, 学分): always exactly the sum of the entries, rounded against float drift."""
        row = self.db.conn.execute("SELECT COALESCE(SUM(hours), 0), COALESCE(SUM(credits), 0)"
                                   " FROM credit_ledger WHERE teacher_id = ?", (teacher_id,)).fetchone()
        return round(row[0], 6) + 0.0, round(row[1], 6) + 0.0

    def entries(self, teacher_id: str) -> list[Entry]:
        rows = self.db.conn.execute("SELECT * FROM credit_ledger WHERE teacher_id = ? ORDER BY id", (teacher_id,))
        return [Entry.from_row(r) for r in rows]

    def get(self, entry_id: int) -> Entry | None:
        row = self.db.conn.execute("SELECT * FROM credit_ledger WHERE id = ?", (entry_id,)).fetchone()
        return Entry.from_row(row) if row else None
