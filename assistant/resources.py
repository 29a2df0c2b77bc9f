"""Trainer-uploaded resources: the ``resources`` table kept in step with their chunks in the knowledge base.

The order of operations is what keeps the knowledge base consistent. A file is loaded and validated
*before* anything is written, so a bad upload changes nothing. The store replaces a document "add first,
delete after" under the same doc_id, so a replacement is never missing from search midway. If indexing
fails, the previous version is re-indexed from the file kept on disk (or a new document's chunks are
removed), so no half-written version is left behind and no row claims 'ready' for chunks that are not there.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.db import Database
from assistant.service import Assistant
from corpus.documents import DocumentMeta, SourceDocument
from corpus.loaders import load_bytes

UPLOAD_PREFIX = "res-"  # every uploaded resource's doc_id, so uploads are told apart from bundled documents
_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
_SAFE_NAME = re.compile(r"[^0-9A-Za-z._\u4e00-\u9fff-]+")


class ResourceNotFound(LookupError):
    pass


class ResourceForbidden(PermissionError):
    pass


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    title: str = ""
    kind: str = "resource"
    subject: str = ""
    stage: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Outcome:
    """What an upload or replacement produced: the row, plus a job id when indexing runs in background."""

    resource: dict[str, Any]
    job_id: str | None = None


class ResourceService:
    def __init__(self, assistant: Assistant, db: Database, *, background_bytes: int,
                 files_dir: Path | None = None) -> None:
        self.assistant = assistant
        self.db = db
        self.background_bytes = background_bytes
        self.files_dir = files_dir or assistant.settings.data_dir / "resources"
        self._locks: dict[str, threading.RLock] = {}
        self._guard = threading.Lock()

    # -- reading ------------------------------------------------------------------------------------
    def list(self) -> list[dict[str, Any]]:
        rows = self.db.conn.execute(
            "SELECT r.*, u.name AS uploader FROM resources r LEFT JOIN users u ON u.id = r.uploader_id"
            " ORDER BY r.created_at, r.id")
        return [_row(r) for r in rows]

    def get(self, resource_id: str) -> dict[str, Any]:
        row = self.db.conn.execute(
            "SELECT r.*, u.name AS uploader FROM resources r LEFT JOIN users u ON u.id = r.uploader_id"
            " WHERE r.id = ?", (resource_id,)).fetchone()
        if row is None:
            raise ResourceNotFound(f"找不到资源“{resource_id}”")
        return _row(row)

    def chunks(self, resource_id: str) -> list[dict[str, Any]]:
        """How the stored version was chunked, in document order — what a trainer checks before asking."""
        self.get(resource_id)
        stored = self.assistant.store.all_chunks({"doc_id": resource_id})
        out = [{"chunk_id": c.id, "ordinal": int(c.metadata.get("ordinal", 0)),
                "section": str(c.metadata.get("section", "")), "heading": str(c.metadata.get("heading", "")),
                "start": int(c.metadata.get("start", 0)), "end": int(c.metadata.get("end", 0)),
                "n_tokens": int(c.metadata.get("n_tokens", 0)), "text": c.text} for c in stored]
        return sorted(out, key=lambda c: c["ordinal"])

    def job(self, job_id: str) -> dict[str, Any]:
        row = self.db.conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise ResourceNotFound(f"找不到任务“{job_id}”")
        return dict(row)

    # -- writing ------------------------------------------------------------------------------------
    def create(self, upload: Upload, uploader_id: int) -> Outcome:
        """Validate, record as 'indexing', then index (inline or in a background thread)."""
        rid = f"{UPLOAD_PREFIX}{uuid.uuid4().hex[:12]}"
        doc = self._load(upload, rid)  # raises LoaderError before anything is written
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO resources (id, title, kind, subject, stage, tags, filename, uploader_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (rid, doc.meta.title, upload.kind, upload.subject, upload.stage, ",".join(upload.tags),
                 upload.filename, uploader_id))
        path = self._keep(rid, 1, upload)
        return self._run(rid, "upload", uploader_id, len(upload.data),
                         lambda: self._index(rid, 1, doc, None, path))

    def replace(self, resource_id: str, upload: Upload, user_id: int, is_admin: bool) -> Outcome:
        with self._lock(resource_id):
            current = self._check_owner(resource_id, user_id, is_admin)
            doc = self._load(upload, resource_id)
            version = int(current["version"]) + 1
            previous = self._stored_file(resource_id, int(current["version"]))
            path = self._keep(resource_id, version, upload)
            with self.db.transaction() as conn:
                conn.execute(
                    f"UPDATE resources SET title = ?, kind = ?, subject = ?, stage = ?, tags = ?, filename = ?,"
                    f" version = ?, status = 'indexing', error = NULL, updated_at = {_NOW} WHERE id = ?",
                    (doc.meta.title, upload.kind, upload.subject, upload.stage, ",".join(upload.tags),
                     upload.filename, version, resource_id))
        return self._run(resource_id, "replace", user_id, len(upload.data),
                         lambda: self._index(resource_id, version, doc, (current, previous), path))

    def delete(self, resource_id: str, user_id: int, is_admin: bool) -> int:
        with self._lock(resource_id):
            self._check_owner(resource_id, user_id, is_admin)
            removed = self.assistant.delete_document(resource_id)
            with self.db.transaction() as conn:
                conn.execute("DELETE FROM resources WHERE id = ?", (resource_id,))
            shutil.rmtree(self.files_dir / resource_id, ignore_errors=True)
        return removed

    # -- internals ----------------------------------------------------------------------------------
    def _lock(self, resource_id: str) -> threading.RLock:
        """Serialises writes to one resource; re-entrant because inline indexing runs inside replace()."""
        with self._guard:
            return self._locks.setdefault(resource_id, threading.RLock())

    def _check_owner(self, resource_id: str, user_id: int, is_admin: bool) -> dict[str, Any]:
        current = self.get(resource_id)
        if not is_admin and current["uploader_id"] != user_id:
            raise ResourceForbidden("培训者只能修改或删除自己上传的资源")
        return current

    def _load(self, upload: Upload, doc_id: str) -> SourceDocument:
        meta = DocumentMeta(title=upload.title.strip(), kind=upload.kind or "resource", subject=upload.subject,
                            stage=upload.stage, tags=upload.tags, source=upload.filename)
        return load_bytes(upload.data, upload.filename, doc_id=doc_id, meta=meta,
                          max_bytes=self.assistant.settings.upload_max_bytes)

    def _keep(self, resource_id: str, version: int, upload: Upload) -> Path:
        """The uploaded bytes, kept so a failed replacement can restore the previous version."""
        folder = self.files_dir / resource_id
        folder.mkdir(parents=True, exist_ok=True)
        name = _SAFE_NAME.sub("_", re.split(r"[\\/]", upload.filename)[-1])[-80:] or "upload"
        path = folder / f"v{version}--{name}"
        path.write_bytes(upload.data)
        return path

    def _stored_file(self, resource_id: str, version: int) -> Path | None:
        return next(iter((self.files_dir / resource_id).glob(f"v{version}--*")), None)

    def _run(self, rid: str, action: str, user_id: int, size: int, work: Any) -> Outcome:
        if size <= self.background_bytes:
            work()
            return Outcome(self.get(rid))
        job_id = f"job-{uuid.uuid4().hex[:12]}"
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO jobs (id, resource_id, action, created_by) VALUES (?, ?, ?, ?)",
                         (job_id, rid, action, user_id))

        def background() -> None:
            error: str | None = None
            try:
                work()
            except Exception as exc:  # recorded on the job; the row already says 'failed'
                error = str(exc) or type(exc).__name__
            with self.db.transaction() as conn:
                conn.execute(f"UPDATE jobs SET status = ?, error = ?, finished_at = {_NOW} WHERE id = ?",
                             ("failed" if error else "done", error, job_id))

        threading.Thread(target=background, name=f"index-{rid}", daemon=True).start()
        return Outcome(self.get(rid), job_id)

    def _index(self, rid: str, version: int, doc: SourceDocument,
               previous: tuple[dict[str, Any], Path | None] | None, path: Path) -> None:
        with self._lock(rid):
            row = self.db.conn.execute("SELECT version FROM resources WHERE id = ?", (rid,)).fetchone()
            if row is None or row["version"] != version:
                return  # deleted or superseded while this job waited; indexing it would resurrect it
            try:
                result = self.assistant.index_documents([doc])[0]
            except Exception as exc:
                restored = self._roll_back(rid, previous)
                if restored is None:
                    self._set(rid, status="failed", error=f"索引失败：{exc}")
                else:
                    self._set(rid, status="ready", error=f"替换失败，已恢复第 {restored} 版：{exc}")
                path.unlink(missing_ok=True)
                raise
            self._set(rid, status="ready", error=None, chunks=result.chunks)

    def _roll_back(self, rid: str, previous: tuple[dict[str, Any], Path | None] | None) -> int | None:
        """Leave the knowledge base as before the failed attempt: the old version (returned), or nothing."""
        if previous is None or previous[1] is None:
            self.assistant.delete_document(rid)
            return None
        row, old_path = previous
        old = load_bytes(old_path.read_bytes(), row["filename"], doc_id=rid,
                         meta=DocumentMeta(title=row["title"], kind=row["kind"], subject=row["subject"],
                                           stage=row["stage"], tags=tuple(row["tags"]), source=row["filename"]))
        self.assistant.index_documents([old])
        self._set(rid, version=row["version"], title=row["title"], filename=row["filename"])
        return int(row["version"])

    def _set(self, rid: str, **values: Any) -> None:
        assignments = ", ".join(f"{k} = ?" for k in values)
        with self.db.transaction() as conn:
            conn.execute(f"UPDATE resources SET {assignments}, updated_at = {_NOW} WHERE id = ?",
                         (*values.values(), rid))


def _row(row: sqlite3.Row) -> dict[str, Any]:
    out = dict(row)
    out["tags"] = [t for t in (out.get("tags") or "").split(",") if t]
    return out

