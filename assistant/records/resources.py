"""Rows of trainer-uploaded resources: what each one is, who uploaded it, and which version is live.

``live_version`` is the commit point of an upload. The vector store may hold chunks of a version that is
still being written, or of one whose write was cut off by a crash; only chunks whose version equals the
row's ``live_version`` are ever searched (``pins``). Switching it is one SQLite transaction, so a reader
sees the old version or the new one, never half of one.

``file_sha256`` and ``text_sha256`` say what the live version holds. A resource counts as present for the
duplicate check unless its upload failed (``status = 'failed'``: nothing of it is live); the check and
the write it guards are one transaction, so two identical uploads finishing together cannot both get in.

``updated_at`` is when what the resource holds or says last changed (a version going live, its title or
tags), not when its processing state did: ``status`` and ``error`` alone leave it be, so a replacement
that fails (indexing, then back to ready, or to failed for an upload that had failed) leaves the row as it was.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from typing import Any

from assistant.db import Database
from assistant.errors import NotFound

UPLOAD_PREFIX = "res-"  # every uploaded resource's doc_id, so uploads are told apart from bundled documents
# An upload id is random hex, so now and then it holds a run of eleven digits that reads like a phone number:
# whatever scrubs personal details from free text must know this shape and leave it whole.
UPLOAD_ID = re.compile(rf"{UPLOAD_PREFIX}[0-9a-f]{{12}}(?![0-9A-Za-z])")


def new_upload_id() -> str:
    return f"{UPLOAD_PREFIX}{uuid.uuid4().hex[:12]}"

_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
_FIELDS = {"title", "kind", "subject", "stage", "tags", "filename", "version", "chunks", "status", "error",
           "live_version", "file_sha256", "text_sha256", "title_given",
           "own_title"}
_PROCESSING = {"status", "error"}  # where the resource is in a job, not what it is
_SELECT = "SELECT r.*, u.name AS uploader FROM resources r LEFT JOIN users u ON u.id = r.uploader_id"


def _row(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["tags"] = [t for t in (out.get("tags") or "").split(",") if t]
    return out


class ResourceRows:
    def __init__(self, db: Database) -> None:
        self.db = db

    def insert(self, rid: str, *, title: str, kind: str, subject: str, stage: str, tags: tuple[str, ...],
               filename: str, uploader_id: int | None, file_sha256: str | None = None,
               title_given: bool | None = None) -> dict[str, Any] | None:
        """Record a new upload; with ``file_sha256``, unless a present resource already holds a file with
        those bytes: then nothing is written and that resource is returned. ``title_given``: whether the
        trainer typed the title (None: not known)."""
        with self.db.transaction() as conn:
            clash = _same_content(conn, rid, file_sha256, None)
            if clash is not None:
                return clash
            conn.execute("INSERT INTO resources (id, title, kind, subject, stage, tags, filename, uploader_id,"
                         " file_sha256, title_given) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (rid, title, kind, subject, stage, ",".join(tags), filename, uploader_id, file_sha256,
                          None if title_given is None else int(title_given)))
        return None

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
        with self.db.transaction() as conn:
            _update_in(conn, rid, values)

    def update_unique(self, rid: str, **values: Any) -> dict[str, Any] | None:
        """``update``, unless another present resource already holds the content named by ``file_sha256`` or
        ``text_sha256`` in ``values``: then nothing is written and that resource is returned."""
        with self.db.transaction() as conn:
            clash = _same_content(conn, rid, values.get("file_sha256"), values.get("text_sha256"))
            if clash is None:
                _update_in(conn, rid, values)
            return clash

    def same_content(self, rid: str, *, file_sha256: str | None = None,
                     text_sha256: str | None = None) -> dict[str, Any] | None:
        """A present resource other than ``rid`` whose file or text has these hashes, or None."""
        return _same_content(self.db.conn, rid, file_sha256, text_sha256)

    def fill_fingerprint(self, rid: str, file_sha256: str, text_sha256: str) -> None:
        """Record the hashes of a row from before they were kept, leaving any a job has written since."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE resources SET file_sha256 = COALESCE(file_sha256, ?),"
                         " text_sha256 = COALESCE(text_sha256, ?) WHERE id = ?", (file_sha256, text_sha256, rid))

    def unfingerprinted(self) -> list[dict[str, Any]]:
        """Ready rows from before content hashes were recorded (``NULL``): to be filled in from what they hold."""
        return [_row(r) for r in self.db.conn.execute(
            f"{_SELECT} WHERE r.status = 'ready' AND (r.file_sha256 IS NULL OR r.text_sha256 IS NULL)")]

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
        """Changes whenever what ``pins`` reads changes, so another process notices a version switch even
        when the chunk count stays the same. Statuses are read too: a status change alone does not move
        ``updated_at``, yet it decides what a row from before versions were recorded pins."""
        row = self.db.conn.execute("SELECT COUNT(*), COALESCE(MAX(updated_at), ''), "
                                   "COALESCE(GROUP_CONCAT(live_version), ''), "
                                   "COALESCE(GROUP_CONCAT(status), '') FROM resources").fetchone()
        return hash((row[0], row[1], row[2], row[3]))


def _update_in(conn: sqlite3.Connection, rid: str, values: dict[str, Any]) -> None:
    unknown = set(values) - _FIELDS
    if unknown:
        raise ValueError(f"unknown resource fields: {sorted(unknown)}")
    if "tags" in values and not isinstance(values["tags"], str):
        values = {**values, "tags": ",".join(values["tags"])}
    assignments = ", ".join(f"{k} = ?" for k in values)
    if set(values) - _PROCESSING:
        assignments += f", updated_at = {_NOW}"
    conn.execute(f"UPDATE resources SET {assignments} WHERE id = ?", (*values.values(), rid))


def _same_content(conn: sqlite3.Connection, rid: str, file_sha256: str | None,
                  text_sha256: str | None) -> dict[str, Any] | None:
    """The oldest present resource other than ``rid`` holding this file or this text. An empty hash (content
    that could not be fingerprinted) matches nothing; a failed upload is not present."""
    if not file_sha256 and not text_sha256:
        return None
    row = conn.execute(f"{_SELECT} WHERE r.id != ? AND r.status != 'failed' AND (r.file_sha256 = ? OR"
                       " r.text_sha256 = ?) ORDER BY r.created_at, r.id LIMIT 1",
                       (rid, file_sha256 or None, text_sha256 or None)).fetchone()
    return _row(row) if row else None
