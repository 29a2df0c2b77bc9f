"""Trainer-uploaded resources: listing, uploading, replacing and deleting them, for whoever may.

Every surface (the API, the command line, the web console, the bot) goes through ``ResourceService``, so
an upload is checked, attributed and versioned alike everywhere. Its parts are concepts of their own: the
file before it is parsed (``resource_files``: cheap refusals, the copy kept for the job), the same content
never twice (``resource_content``), one live resource per title (``resource_titles``), and the ``index``
job that moves a resource from one version to the next and back when it fails (``resource_jobs``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import Forbidden
from assistant.jobs import Supervisor
from assistant.parsing import ParserProcess
from assistant.records.resources import ResourceRows, new_upload_id
from assistant.resource_changes import TitleRule
from assistant.resource_content import Fingerprints, duplicate_error, file_digest, unchanged_error
from assistant.resource_files import Upload, base_name, check_upload
from assistant.resource_jobs import IndexJobs
from assistant.resource_titles import check_unique_title
from assistant.roles import Actor, require
from assistant.service import Assistant
from assistant.visibility import PinnedVersions


@dataclass(frozen=True)
class Outcome:
    """What an upload or replacement produced: the row, and the job when it runs in the background; once
    indexed on the spot, the outline of what was understood (``assistant.headings``), which every surface
    shows the trainer."""

    resource: dict[str, Any]
    job: dict[str, Any] | None = None
    outline: list[dict[str, Any]] | None = None
    # What a replacement indexed on the spot has to tell the trainer (``resource_changes``): the title it took
    # or kept, a file that looks like another document. A background job says it as its last word instead.
    notes: tuple[str, ...] = ()


class ResourceService:
    def __init__(self, assistant: Assistant, rows: ResourceRows, supervisor: Supervisor, parser: ParserProcess,
                 visibility: PinnedVersions, *, files_dir: Path, max_bytes: int, background_bytes: int) -> None:
        self.assistant = assistant
        self.rows = rows
        self.supervisor = supervisor
        self.visibility = visibility
        self.files_dir = files_dir
        self.max_bytes = max_bytes
        self.fingerprints = Fingerprints(assistant, rows, visibility, files_dir)
        self.jobs = IndexJobs(assistant, rows, supervisor, parser, visibility, self.fingerprints,
                              files_dir=files_dir, max_bytes=max_bytes, background_bytes=background_bytes)

    # -- reading ------------------------------------------------------------------------------------
    def list(self, actor: Actor) -> list[dict[str, Any]]:
        """Every resource, each saying whether this actor may replace or delete it (so a page offers only
        what will work)."""
        require(actor, "resources.read")
        return [{**row, "editable": self.may_change(actor, row)} for row in self.rows.list()]

    def get(self, actor: Actor, rid: str) -> dict[str, Any]:
        require(actor, "resources.read")
        row = self.rows.get(rid)
        return {**row, "editable": self.may_change(actor, row)}

    @staticmethod
    def may_change(actor: Actor, row: dict[str, Any]) -> bool:
        """Admins change any resource; a trainer only the ones they uploaded."""
        return actor.is_admin or row.get("uploader_id") == actor.user_id

    def owned(self, actor: Actor, rid: str) -> dict[str, Any]:
        """The resource's row, if this actor may replace or delete it (``Forbidden`` otherwise)."""
        current = self.rows.get(rid)
        if not self.may_change(actor, current):
            raise Forbidden("培训者只能修改或删除自己上传的资源")
        return current

    def chunks(self, actor: Actor, rid: str) -> list[dict[str, Any]]:
        """How the live version was chunked, in document order — what a trainer checks before asking."""
        self.get(actor, rid)
        stored = [c for c in self.assistant.store.document_chunks(rid) if self.visibility.visible(c.id)]
        out = [{"chunk_id": c.id, "ordinal": int(c.metadata.get("ordinal", 0)),
                "section": str(c.metadata.get("section", "")), "heading": str(c.metadata.get("heading", "")),
                "start": int(c.metadata.get("start", 0)), "end": int(c.metadata.get("end", 0)),
                "n_tokens": int(c.metadata.get("n_tokens", 0)), "text": c.text} for c in stored]
        return sorted(out, key=lambda c: c["ordinal"])

    # -- writing ------------------------------------------------------------------------------------
    def upload(self, actor: Actor, upload: Upload, *, wait: bool = False) -> Outcome:
        """``wait``: index before returning, whatever the size (a command line has no server to hand a job to)."""
        require(actor, "resources.write")
        check_upload(upload, self.max_bytes)
        self.fingerprints.fill_old_rows()
        rid = new_upload_id()
        title = upload.title.strip()
        if (copy := self.rows.same_content("", file_sha256=file_digest(upload.data))) is not None:
            raise duplicate_error(copy)  # said first: the same file again is more than the same title
        check_unique_title(self.rows.list(), "", title)  # a title read from the file is checked once it is parsed
        clash = self.rows.insert(rid, title=title or Path(base_name(upload.filename)).stem,
                                 kind=upload.kind or "resource", subject=upload.subject, stage=upload.stage,
                                 tags=upload.tags, filename=upload.filename, uploader_id=actor.user_id,
                                 file_sha256=file_digest(upload.data), title_given=bool(title))
        if clash is not None:
            raise duplicate_error(clash)
        self.visibility.pin(rid, "")  # nothing under this id is searchable until the job commits
        job, _ = self.jobs.submit(actor, rid, "upload", upload, title, wait=wait)
        return Outcome(self.rows.get(rid), job)

    def replace(self, actor: Actor, rid: str, data: bytes, filename: str, *, title: str = "",
                kind: str | None = None, subject: str | None = None, stage: str | None = None,
                tags: tuple[str, ...] | None = None, wait: bool = False) -> Outcome:
        """A new version; metadata not given is kept from the current one. An empty title is "not given"
        too, and then the title depends on where the current one came from (``resource_changes``): one the
        trainer typed is kept (a blank field used to rename the resource after the file's first line, throwing
        their title away), one read from the old file follows the new file's own. The live version's own
        bytes again are refused like a duplicate upload, instead of making a new version that changes nothing
        (a resubmitted form did)."""
        require(actor, "resources.write")
        self.fingerprints.fill_old_rows()
        with self.jobs.lock(rid):
            current = self.owned(actor, rid)
            given = title.strip()
            rule: TitleRule = "given" if given else "file" if current.get("title_given") == 0 else "kept"
            # The file's own title is checked once it is parsed; a typed or kept one now.
            title = given or (current["title"] if rule == "kept" else "")
            check_unique_title(self.rows.list(), rid, title, current["title"])
            if current["status"] == "ready" and current.get("file_sha256") == file_digest(data):
                raise unchanged_error(current)
            upload = Upload(data, filename, title, (kind or "").strip() or current["kind"],
                            current["subject"] if subject is None else subject.strip(),
                            current["stage"] if stage is None else stage.strip(),
                            tuple(current["tags"]) if tags is None else tags)
            check_upload(upload, self.max_bytes)
            clash = self.rows.same_content(rid, file_sha256=file_digest(data))
            if clash is not None:
                raise duplicate_error(clash)
            self.rows.update(rid, status="indexing", error=None)
        # What to put back if this replacement fails: a failed upload stays failed with its reason, a ready
        # resource stays ready. Kept in the job's params, so a job resumed or abandoned after a restart knows;
        # so is how the title is chosen, and the title before: the trainer is told about it, and a new file with
        # no title of its own keeps it.
        previous = {"previous_status": current["status"], "previous_error": current["error"], "title_rule": rule,
                    "previous_title": current["title"]}
        job, notes = self.jobs.submit(actor, rid, "replace", upload, title, wait=wait, previous=previous)
        return Outcome(self.rows.get(rid), job, notes=notes)

    def delete(self, actor: Actor, rid: str) -> int:
        require(actor, "resources.write")
        self.owned(actor, rid)
        for job in self.supervisor.store.list(kind="index", target=rid, active_only=True):
            self.supervisor.cancel(job["id"])  # a running job stops at its next checkpoint, freeing the lock
        with self.jobs.lock(rid):
            self.owned(actor, rid)
            removed = self.assistant.delete_document(rid)
            self.rows.delete(rid)
            self.visibility.pin(rid, None)
            shutil.rmtree(self.files_dir / rid, ignore_errors=True)
        return removed
