"""Trainer-uploaded resources: the row, the kept file and the chunks, moved from one version to the next.

An upload is refused for its size or type at once (cheap checks), then parsed, chunked, embedded and
written by a supervised ``index`` job — inline for a small file the trainer waits for, queued for a big
one. The new version's chunks are written beside the live ones and are not searchable until the job
commits: one transaction sets the row's ``live_version``, and only then are the other versions' chunks
removed. A crash anywhere leaves either the old version answering or nothing; the job is resumed from
the kept file after a restart. A failed or cancelled job removes what it wrote and says why on the row.

The same content is never in the knowledge base twice: a second copy made every answer quote the same
sentence as [1] and [2] and listed the file twice. An upload whose bytes match a resource already present
is refused before anything is written; one whose parsed text matches (the same document re-saved or
re-encoded) is refused once it has been parsed, and its job rolls back like any other failure. Replacing a
resource with the very bytes of its live version is refused too (nothing would change but the version
number); a resource deleted (or whose upload failed) no longer counts.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import Conflict, Forbidden, InvalidInput, NotFound, TooLarge, UnsupportedFormat
from assistant.jobs import CANCELLED, JobContext, JobKind, Supervisor
from assistant.parsing import ParseRequest, ParserProcess
from assistant.records.resources import ResourceRows
from assistant.resource_titles import same_title, same_title_error
from assistant.roles import Actor, require
from assistant.service import Assistant
from assistant.visibility import PinnedVersions
from corpus.documents import DocumentMeta, FileTooLarge, LoaderError, UnsupportedFileType
from corpus.loaders import detect_kind
from corpus.text import HAN, name_key
from indexer.pipeline import PreparedDocument

UPLOAD_PREFIX = "res-"  # every uploaded resource's doc_id, so uploads are told apart from bundled documents
_SAFE_NAME = re.compile(f"[^0-9A-Za-z._{HAN}-]+")


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
    """What an upload or replacement produced: the row, and the job when it runs in the background; once
    indexed on the spot, the outline of what was understood (``assistant.headings``), which every surface
    shows the trainer."""

    resource: dict[str, Any]
    job: dict[str, Any] | None = None
    outline: list[dict[str, Any]] | None = None


def duplicate_error(existing: dict[str, Any]) -> Conflict:
    """The refusal of content the knowledge base already holds, naming the resource that holds it."""
    return Conflict(f"知识库中已有内容相同的资源《{existing['title']}》（{existing['id']}），不必重复上传；"
                    "如需更新请替换该资源")


def unchanged_error(current: dict[str, Any]) -> Conflict:
    """The refusal of a replacement whose file is the resource's live version again."""
    return Conflict(f"新文件与资源《{current['title']}》（{current['id']}）当前第 {current['version']} 版的内容完全相同，"
                    "未作替换，版本不变")


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_digest(texts: list[str]) -> str:
    """The parsed content: its chunk texts in order (what would be searched and quoted), whatever the
    file's format, encoding or title."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def loader_error(exc: LoaderError) -> Exception:
    """The typed core error for a file the loaders refused."""
    if isinstance(exc, UnsupportedFileType):
        return UnsupportedFormat(str(exc))
    if isinstance(exc, FileTooLarge):
        return TooLarge(str(exc))
    return InvalidInput(str(exc))


class ResourceService:
    def __init__(self, assistant: Assistant, rows: ResourceRows, supervisor: Supervisor, parser: ParserProcess,
                 visibility: PinnedVersions, *, files_dir: Path, max_bytes: int, background_bytes: int) -> None:
        self.assistant = assistant
        self.rows = rows
        self.supervisor = supervisor
        self.parser = parser
        self.visibility = visibility
        self.files_dir = files_dir
        self.max_bytes = max_bytes
        self.background_bytes = background_bytes
        self._locks: dict[str, threading.RLock] = {}
        self._guard = threading.Lock()
        self._fingerprint_lock = threading.Lock()
        self._fingerprinted = False
        supervisor.register(JobKind("index", self._run, self._abandon, resumable=True))

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
        self._check(upload)
        self._fingerprint_old_rows()
        rid = f"{UPLOAD_PREFIX}{uuid.uuid4().hex[:12]}"
        title = upload.title.strip()
        if (copy := self.rows.same_content("", file_sha256=file_digest(upload.data))) is not None:
            raise duplicate_error(copy)  # said first: the same file again is more than the same title
        self._unique_title("", title)  # a title read from the file is checked once it is parsed
        clash = self.rows.insert(rid, title=title or Path(_base_name(upload.filename)).stem,
                                 kind=upload.kind or "resource", subject=upload.subject, stage=upload.stage,
                                 tags=upload.tags, filename=upload.filename, uploader_id=actor.user_id,
                                 file_sha256=file_digest(upload.data))
        if clash is not None:
            raise duplicate_error(clash)
        self.visibility.pin(rid, "")  # nothing under this id is searchable until the job commits
        return self._submit(actor, rid, "upload", upload, title, wait=wait)

    def replace(self, actor: Actor, rid: str, data: bytes, filename: str, *, title: str = "",
                kind: str | None = None, subject: str | None = None, stage: str | None = None,
                tags: tuple[str, ...] | None = None, wait: bool = False) -> Outcome:
        """A new version; metadata not given is kept from the current one. An empty title is "not given"
        too: the optional title field left blank used to rename the resource after the file's first line,
        throwing away the title the trainer chose. The live version's own bytes again are refused like a
        duplicate upload, instead of making a new version that changes nothing (a resubmitted form did)."""
        require(actor, "resources.write")
        self._fingerprint_old_rows()
        with self._lock(rid):
            current = self.owned(actor, rid)
            title = title.strip() or current["title"]
            self._unique_title(rid, title, current["title"])
            if current["status"] == "ready" and current.get("file_sha256") == file_digest(data):
                raise unchanged_error(current)
            upload = Upload(data, filename, title, (kind or "").strip() or current["kind"],
                            current["subject"] if subject is None else subject.strip(),
                            current["stage"] if stage is None else stage.strip(),
                            tuple(current["tags"]) if tags is None else tags)
            self._check(upload)
            clash = self.rows.same_content(rid, file_sha256=file_digest(data))
            if clash is not None:
                raise duplicate_error(clash)
            self.rows.update(rid, status="indexing", error=None)
        # What to put back if this replacement fails: a failed upload stays failed with its reason, a ready
        # resource stays ready. Kept in the job's params, so a job resumed or abandoned after a restart knows.
        previous = {"previous_status": current["status"], "previous_error": current["error"]}
        return self._submit(actor, rid, "replace", upload, title.strip(), wait=wait, previous=previous)

    def delete(self, actor: Actor, rid: str) -> int:
        require(actor, "resources.write")
        self.owned(actor, rid)
        for job in self.supervisor.store.list(kind="index", target=rid, active_only=True):
            self.supervisor.cancel(job["id"])  # a running job stops at its next checkpoint, freeing the lock
        with self._lock(rid):
            self.owned(actor, rid)
            removed = self.assistant.delete_document(rid)
            self.rows.delete(rid)
            self.visibility.pin(rid, None)
            shutil.rmtree(self.files_dir / rid, ignore_errors=True)
        return removed

    # -- the index job --------------------------------------------------------------------------------
    def _submit(self, actor: Actor, rid: str, action: str, upload: Upload, title: str, *,
                wait: bool = False, previous: dict[str, Any] | None = None) -> Outcome:
        """``previous``: the row's status and error before a replacement, which its roll-back restores."""
        job_id = f"job-{uuid.uuid4().hex[:12]}"
        inline = wait or len(upload.data) <= self.background_bytes
        path = self._keep(rid, job_id, upload)
        params = {"resource_id": rid, "action": action, "file": str(path), "filename": upload.filename,
                  "title": title, "kind": upload.kind or "resource", "subject": upload.subject,
                  "stage": upload.stage, "tags": list(upload.tags), "inline": inline, **(previous or {})}
        try:
            job = self.supervisor.submit("index", rid, action, params, actor.user_id, inline=inline, job_id=job_id)
        except LoaderError as exc:
            raise loader_error(exc) from exc
        return Outcome(self.rows.get(rid), None if inline else job)

    def _run(self, ctx: JobContext) -> None:
        p = ctx.params
        rid = p["resource_id"]
        with self._lock(rid):
            row = self.rows.find(rid)
            latest = self.supervisor.store.list(kind="index", target=rid, limit=1)
            if row is None or (latest and latest[0]["id"] != ctx.id):
                ctx.progress(1.0, "资源已删除或已有更新的版本，无需处理")
                return  # indexing it would resurrect a deleted resource or overwrite a newer upload
            try:
                self._index(ctx, row)
            except BaseException as exc:
                self._roll_back(ctx.job, CANCELLED if ctx.cancelled() else str(exc))
                raise

    def _index(self, ctx: JobContext, row: dict[str, Any]) -> None:
        p = ctx.params
        rid = p["resource_id"]
        ctx.progress(0.05, "解析文件")
        meta = DocumentMeta(title=p["title"], kind=p["kind"], subject=p["subject"], stage=p["stage"],
                            tags=tuple(p["tags"]), source=p["filename"])
        prepared = self.parser.parse(ParseRequest(p["file"], p["filename"], rid, meta, self.max_bytes,
                                                  self.assistant.chunking), ctx.cancelled)
        ctx.check()
        content = self._content(rid, Path(p["file"]), prepared)  # refused here, before anything is embedded
        kept = row["title"] if p["action"] == "replace" else None
        self._unique_title(rid, prepared.title, kept)
        ctx.progress(0.2, "计算向量并写入")

        def written(done: int, total: int) -> None:
            ctx.check()
            ctx.progress(0.2 + 0.75 * done / max(total, 1), f"计算向量并写入（{done}/{total} 块）")

        result = self.assistant.store_version(prepared, on_batch=written)
        ctx.check()
        version = int(row["version"]) + (1 if p["action"] == "replace" else 0)

        def commit() -> None:
            self._unique_title(rid, prepared.title, kept)  # another upload of this title may have gone live since
            clash = self.rows.update_unique(
                rid, live_version=result.version, status="ready", error=None, chunks=result.chunks, version=version,
                title=prepared.title, filename=p["filename"], kind=p["kind"], subject=p["subject"],
                stage=p["stage"], tags=tuple(p["tags"]), **content)
            if clash is not None:  # an identical upload went live while this one was being embedded
                raise duplicate_error(clash)
            self.visibility.pin(rid, result.version)

        ctx.progress(0.97, "切换到新版本")
        self.assistant.switch_version(rid, result.version, commit)
        for old in (self.files_dir / rid).glob("*--*"):
            if old != Path(p["file"]):
                old.unlink(missing_ok=True)  # the kept file is what a resumed job reads; older ones are done

    def _roll_back(self, job: dict[str, Any], reason: str) -> None:
        """Leave the knowledge base as before the job: the live version, or nothing for a new upload. A failed
        replacement leaves the row as it was (status, version, time of last change); its error says why the
        replacement failed unless the trainer was told on the spot."""
        p = job["params"]
        rid = p["resource_id"]
        row = self.rows.find(rid)
        Path(p["file"]).unlink(missing_ok=True)
        if row is None:
            return
        live = row.get("live_version")
        if p["action"] == "upload" and p.get("inline") and reason != CANCELLED:
            # The trainer is told why on the spot; a refused file leaves no trace at all.
            self.assistant.switch_version(rid, None, lambda: self.rows.delete(rid))
            self.visibility.pin(rid, None)
            shutil.rmtree(self.files_dir / rid, ignore_errors=True)
            return
        if p["action"] == "upload" and live is None:
            def commit() -> None:
                self.rows.update(rid, status="failed", error=f"索引失败：{reason}")
            self.assistant.switch_version(rid, None, commit)
            return
        status, error = _restored(p, row, reason)
        self.assistant.switch_version(rid, live, lambda: self.rows.update(rid, status=status, error=error))

    def _abandon(self, job: dict[str, Any], reason: str) -> None:
        with self._lock(job["params"]["resource_id"]):
            self._roll_back({**job, "params": {**job["params"], "inline": False}}, reason)

    # -- helpers --------------------------------------------------------------------------------------
    def _lock(self, rid: str) -> threading.RLock:
        """Serialises work on one resource; re-entrant because an inline job runs inside replace()."""
        with self._guard:
            return self._locks.setdefault(rid, threading.RLock())

    def owned(self, actor: Actor, rid: str) -> dict[str, Any]:
        """The resource's row, if this actor may replace or delete it (``Forbidden`` otherwise)."""
        current = self.rows.get(rid)
        if not self.may_change(actor, current):
            raise Forbidden("培训者只能修改或删除自己上传的资源")
        return current

    def _unique_title(self, rid: str, title: str, current: str | None = None) -> None:
        """``Conflict`` if a present resource other than ``rid`` has this title (``assistant.titles``). A
        replacement keeping ``current``, the resource's own title, is not checked: two resources that shared a
        title before titles were kept apart can each still get a new version."""
        if current is not None and name_key(current) == name_key(title):
            return
        clash = same_title(self.rows.list(), rid, title)
        if clash is not None:
            raise same_title_error(clash)

    def _content(self, rid: str, path: Path, prepared: PreparedDocument) -> dict[str, str]:
        """The hashes of what the job is about to make live; ``Conflict`` if another resource holds it."""
        self._fingerprint_old_rows()
        content = {"file_sha256": file_digest(path.read_bytes()), "text_sha256": text_digest(prepared.texts)}
        clash = self.rows.same_content(rid, **content)
        if clash is not None:
            raise duplicate_error(clash)
        return content

    def _fingerprint_old_rows(self) -> None:
        """Fill in the hashes of resources recorded before they were kept (once per process): the file from
        the kept copy its last job read, the text from the live version's stored chunks. What cannot be
        known is recorded as '' so it is not looked for again; such a row is then never taken for a copy.
        Only ``NULL`` columns are written, so a job committing meanwhile keeps its own hashes; no resource
        lock is taken (a caller may hold one)."""
        with self._fingerprint_lock:
            if self._fingerprinted:
                return
            for row in self.rows.unfingerprinted():
                rid = row["id"]
                kept = list((self.files_dir / rid).glob("*--*"))
                file_sha = file_digest(kept[0].read_bytes()) if len(kept) == 1 else ""
                chunks = sorted((c for c in self.assistant.store.document_chunks(rid) if self.visibility.visible(c.id)),
                                key=lambda c: int(c.metadata.get("ordinal", 0)))
                self.rows.fill_fingerprint(rid, file_sha, text_digest([c.text for c in chunks]) if chunks else "")
            self._fingerprinted = True

    def _check(self, upload: Upload) -> None:
        """What can be refused without parsing: the size and the kind of file."""
        if len(upload.data) > self.max_bytes:
            raise TooLarge(f"上传文件过大：单个文件上限为 {self.max_bytes / (1024 * 1024):.0f} MB")
        try:
            detect_kind(upload.data, upload.filename)
        except LoaderError as exc:
            raise loader_error(exc) from exc

    def _keep(self, rid: str, job_id: str, upload: Upload) -> Path:
        """The uploaded bytes, kept so the job (or its resumption after a restart) reads them from disk."""
        folder = self.files_dir / rid
        folder.mkdir(parents=True, exist_ok=True)
        name = _SAFE_NAME.sub("_", _base_name(upload.filename))[-80:] or "upload"
        path = folder / f"{job_id}--{name}"
        path.write_bytes(upload.data)
        return path


_EARLIER = "；此前"  # joins a failed replacement's reason to the one the upload failed for


def _restored(params: dict[str, Any], row: dict[str, Any], reason: str) -> tuple[str, str | None]:
    """The status and error a failed replacement leaves: those the row had before it began. A ready resource
    keeps answering from its live version; a failed upload stays failed, as nothing of it is live. Unless
    the trainer was told on the spot (an inline job), the error also says why the replacement failed, and
    for a failed upload keeps the reason that upload failed for too."""
    status, error = params.get("previous_status"), params.get("previous_error")
    if status not in ("ready", "failed"):
        # A job from before the previous state was recorded, or one submitted while another was pending:
        # ready if something is live (or the row is from before versions and holds chunks), failed if not.
        status = "ready" if row.get("live_version") is not None or row.get("chunks") else "failed"
        error = None
    told = bool(params.get("inline")) and reason != CANCELLED
    if status == "ready":
        return status, error if told else f"替换失败，已保留第 {row['version']} 版：{reason}"
    if told:
        return status, error or f"索引失败：{reason}"
    earlier = (error or "").partition(_EARLIER)[2] or error  # the upload's reason, not a chain of replacements
    return status, f"替换失败：{reason}" + (f"{_EARLIER}{earlier}" if earlier else "")


def _base_name(filename: str) -> str:
    return re.split(r"[\\/]", filename)[-1] or filename


__all__ = ["UPLOAD_PREFIX", "NotFound", "Outcome", "ResourceService", "Upload", "duplicate_error", "file_digest",
           "loader_error", "text_digest", "unchanged_error"]
