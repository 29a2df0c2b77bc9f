"""Background jobs as rows: what to do, who runs it, how far it got, and how it ended.

A job is ``queued`` until a process claims it (``owner`` = host:pid:token of that process), then
``running`` with a heartbeat every few seconds, then ``done``, ``failed`` (with a reason) or
``cancelled``. Everything needed to run it again is in ``params``, so a job whose process died can be
resumed by another. Claiming is a conditional UPDATE inside BEGIN IMMEDIATE, so two processes never run
the same job.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from assistant.db import Database
from assistant.errors import NotFound

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
ACTIVE = ("queued", "running")


def _job(row: Any) -> dict[str, Any]:
    out = dict(row)
    out["params"] = json.loads(out.get("params") or "{}")
    out["cancel_requested"] = bool(out.get("cancel_requested"))
    return out


def parse_time(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)


class JobStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, job_id: str, kind: str, target: str, action: str, params: dict[str, Any],
               created_by: int | None, owner: str | None = None) -> dict[str, Any]:
        """A new job, ``queued`` — or already ``running`` under ``owner`` when the caller runs it itself."""
        status = "running" if owner else "queued"
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO jobs (id, kind, target, action, status, params, created_by, owner, heartbeat_at,"
                f" started_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE {_NOW} END,"
                f" CASE WHEN ? IS NULL THEN NULL ELSE {_NOW} END, ?)",
                (job_id, kind, target, action, status, json.dumps(params, ensure_ascii=False), created_by, owner,
                 owner, owner, 1 if owner else 0))
        return self.get(job_id)

    def find(self, job_id: str) -> dict[str, Any] | None:
        row = self.db.conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def get(self, job_id: str) -> dict[str, Any]:
        job = self.find(job_id)
        if job is None:
            raise NotFound(f"找不到任务“{job_id}”")
        return job

    def list(self, *, kind: str | None = None, target: str | None = None, created_by: int | None = None,
             active_only: bool = False, limit: int = 100) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM jobs WHERE 1 = 1", []
        for column, value in (("kind", kind), ("target", target), ("created_by", created_by)):
            if value is not None:
                sql += f" AND {column} = ?"
                args.append(value)
        if active_only:
            sql += " AND status IN ('queued', 'running')"
        rows = self.db.conn.execute(sql + " ORDER BY created_at DESC, id DESC LIMIT ?", (*args, limit))
        return [_job(r) for r in rows]

    def claim_next(self, kinds: tuple[str, ...], owner: str) -> dict[str, Any] | None:
        """The oldest queued job of these kinds, now running under ``owner``; None when there is none."""
        marks = ", ".join("?" for _ in kinds)
        with self.db.transaction() as conn:
            row = conn.execute(f"SELECT id FROM jobs WHERE status = 'queued' AND kind IN ({marks})"
                               " ORDER BY created_at, id LIMIT 1", kinds).fetchone()
            if row is None:
                return None
            conn.execute(f"UPDATE jobs SET status = 'running', owner = ?, heartbeat_at = {_NOW},"
                         f" started_at = COALESCE(started_at, {_NOW}), attempts = attempts + 1 WHERE id = ?",
                         (owner, row["id"]))
        return self.get(row["id"])

    def beat(self, owner: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE jobs SET heartbeat_at = {_NOW} WHERE owner = ? AND status = 'running'", (owner,))

    def progress(self, job_id: str, progress: float, stage: str) -> None:
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE jobs SET progress = ?, stage = ?, heartbeat_at = {_NOW} WHERE id = ?",
                         (max(0.0, min(1.0, progress)), stage, job_id))

    def finish(self, job_id: str, status: str, error: str | None = None, stage: str | None = None) -> None:
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE jobs SET status = ?, error = ?, stage = COALESCE(?, stage), finished_at = {_NOW},"
                         " progress = CASE WHEN ? = 'done' THEN 1.0 ELSE progress END WHERE id = ?",
                         (status, error, stage, status, job_id))

    def requeue(self, job_id: str, owner: str | None, stage: str) -> bool:
        """Give a job whose process died back to the queue, to run again from its params. Conditional on
        the dead owner, so of two processes noticing the same orphan only one acts."""
        with self.db.transaction() as conn:
            cur = conn.execute("UPDATE jobs SET status = 'queued', owner = NULL, stage = ?, progress = 0"
                               " WHERE id = ? AND status = 'running' AND owner IS ?", (stage, job_id, owner))
        return cur.rowcount == 1

    def fail_orphan(self, job_id: str, owner: str | None, reason: str, status: str = "failed") -> bool:
        """End a job whose process died (``failed``, or ``cancelled`` if that had been asked for)."""
        with self.db.transaction() as conn:
            cur = conn.execute(f"UPDATE jobs SET status = ?, error = ?, finished_at = {_NOW}"
                               " WHERE id = ? AND status = 'running' AND owner IS ?",
                               (status, reason, job_id, owner))
        return cur.rowcount == 1

    def request_cancel(self, job_id: str) -> dict[str, Any]:
        """Ask a running job to stop at its next checkpoint; a queued one is cancelled on the spot."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status IN ('queued', 'running')",
                         (job_id,))
            conn.execute(f"UPDATE jobs SET status = 'cancelled', finished_at = {_NOW},"
                         " error = '管理员取消了任务' WHERE id = ? AND status = 'queued'", (job_id,))
        return self.get(job_id)

    def cancel_requested(self, job_id: str) -> bool:
        row = self.db.conn.execute("SELECT cancel_requested FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return bool(row and row[0])

    def running(self) -> list[dict[str, Any]]:
        return [_job(r) for r in self.db.conn.execute("SELECT * FROM jobs WHERE status = 'running'")]
