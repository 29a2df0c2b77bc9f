"""Rows of trainer-uploaded resources: what each one is, who uploaded it, and which version is live.

``live_version`` is the commit point of an upload. The vector store may hold chunks of a version that is
still being written, or of one whose write was cut off by a crash; only chunks whose version equals the
row's ``live_version`` are ever searched (``pins``). Switching it is one SQLite transaction, so a reader
sees the old version or the new one, never half of one.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from assistant.db import Database
from assistant.errors import NotFound

_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
_FIELDS = {"title", "kind", "subject", "stage", "tags", "filename", "version", "chunks", "status", "error",
           "live_version"}
_SELECT = "SELECT r.*, u.name AS uploader FROM resources r LEFT JOIN users u ON u.id = r.uploader_id"


def _row(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["tags"] = [t for t in (out.get("tags") or "").split(",") if t]
    return out


class ResourceRows:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, rid: str, *, title: str, kind: str, subject: str, stage: str, tags: tuple[str, ...],
               filename: str, uploader_id: int | None) -> None:
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO resources (id, title, kind, subject, stage, tags, filename, uploader_id)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (rid, title, kind, subject, stage, ",".join(tags), filename, uploader_id))

    def list(self) -> list[dict[str, Any]]:
        return [_row(r) for r in self.db.conn.execute(f"{_SELECT} ORDER BY r.created_at, r.id")]

    def find(self, rid: str) -> dict[str, Any] | None:
        row = self.db.conn.execute(f"{_SELECT} WHERE r.id = ?", (rid,)).fetchone()
        return _row(row) if row else None

    def get(self, rid: str) -> dict[str, Any]:
        row = self.find(rid)
        if row is None:
            raise NotFound(f"找不到资源“{rid}”")
        return row

    def update(self, rid: str, **values: Any) -> None:
        unknown = set(values) - _FIELDS
        if unknown:
            raise ValueError(f"unknown resource fields: {sorted(unknown)}")
        if "tags" in values and not isinstance(values["tags"], str):
            values["tags"] = ",".join(values["tags"])
        assignments = ", ".join(f"{k} = ?" for k in values)
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE resources SET {assignments}, updated_at = {_NOW} WHERE id = ?",
                         (*values.values(), rid))

    def delete(self, rid: str) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM resources WHERE id = ?", (rid,))

    def pins(self) -> dict[str, str]:
        """doc_id → the only version of it that may be searched (``""``: none yet). Rows from before versions
        were recorded (ready, no ``live_version``) are not pinned: whatever the store holds for them is live."""
        rows = self.db.conn.execute("SELECT id, status, live_version FROM resources")
        return {r["id"]: r["live_version"] or "" for r in rows
                if r["live_version"] is not None or r["status"] != "ready"}

    def generation(self) -> int:
        """Changes whenever any row changes (SQLite's own counter of commits by other connections plus ours),
        so another process notices a version switch even when the chunk count stays the same."""
        row = self.db.conn.execute("SELECT COUNT(*), COALESCE(MAX(updated_at), ''), "
                                   "COALESCE(GROUP_CONCAT(live_version), '') FROM resources").fetchone()
        return hash((row[0], row[1], row[2]))
