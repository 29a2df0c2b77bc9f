"""The ``index`` job that puts an uploaded or replacing file into the knowledge base, and takes it out again
when it fails.

The job parses, chunks, embeds and writes — inline for a small file the trainer waits for, queued for a big
one. The new version's chunks are written beside the live ones and are not searchable until the job
commits: one transaction sets the row's ``live_version``, and only then are the other versions' chunks
removed. A crash anywhere leaves either the old version answering or nothing; the job is resumed from the
kept file after a restart. A failed or cancelled job removes what it wrote and says why on the row.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from pathlib import Path
from typing import Any

from assistant.jobs import CANCELLED, JobContext, JobKind, Supervisor
from assistant.parsing import ParseRequest, ParserProcess
from assistant.records.resources import ResourceRows
from assistant.resource_changes import notes, terms_of, vocabulary
from assistant.resource_content import Fingerprints, duplicate_error
from assistant.resource_files import Upload, keep_upload, kept_files, loader_error
from assistant.resource_titles import check_unique_title
from assistant.roles import Actor
from assistant.service import Assistant
from assistant.visibility import PinnedVersions
from corpus.documents import DocumentMeta, LoaderError


class IndexJobs:
    """Submits and runs the ``index`` jobs of uploads and replacements; the per-resource lock serialises
    them with replacing and deleting the resource."""

    def __init__(self, assistant: Assistant, rows: ResourceRows, supervisor: Supervisor, parser: ParserProcess,
                 visibility: PinnedVersions, fingerprints: Fingerprints, *, files_dir: Path, max_bytes: int,
                 background_bytes: int) -> None:
        self.assistant = assistant
        self.rows = rows
        self.supervisor = supervisor
        self.parser = parser
        self.visibility = visibility
        self.fingerprints = fingerprints
        self.files_dir = files_dir
        self.max_bytes = max_bytes
        self.background_bytes = background_bytes
        self._locks: dict[str, threading.RLock] = {}
        self._guard = threading.Lock()
        supervisor.register(JobKind("index", self._run, self._abandon, resumable=True))

    def lock(self, rid: str) -> threading.RLock:
        """Serialises work on one resource; re-entrant because an inline job runs inside a replacement."""
        with self._guard:
            return self._locks.setdefault(rid, threading.RLock())

    def submit(self, actor: Actor, rid: str, action: str, upload: Upload, title: str, *,
               wait: bool = False, previous: dict[str, Any] | None = None) -> tuple[dict[str, Any] | None,
                                                                                 tuple[str, ...]]:
        """The job for ``upload``, run on the spot when small (or ``wait``), else queued: (None, what the
        trainer is to be told) or (the job, ()), whose last word says it when done. ``previous``: for a
        replacement, the row's status and error before it, which its roll-back restores, and how its title
        is chosen (``resource_changes``)."""
        job_id = f"job-{uuid.uuid4().hex[:12]}"
        inline = wait or len(upload.data) <= self.background_bytes
        path = keep_upload(self.files_dir, rid, job_id, upload)
        params = {"resource_id": rid, "action": action, "file": str(path), "filename": upload.filename,
                  "title": title, "kind": upload.kind or "resource", "subject": upload.subject,
                  "stage": upload.stage, "tags": list(upload.tags), "inline": inline, **(previous or {})}
        try:
            if not inline:
                return self.supervisor.submit("index", rid, action, params, actor.user_id, job_id=job_id), ()
            _, said = self.supervisor.run_inline("index", rid, action, params, actor.user_id, job_id=job_id)
        except LoaderError as exc:
            raise loader_error(exc) from exc
        return None, tuple(said or ())

    def _run(self, ctx: JobContext) -> tuple[str, ...]:
        """Index the job's file; returns what the trainer is to be told (also the finished job's last word)."""
        p = ctx.params
        rid = p["resource_id"]
        with self.lock(rid):
            row = self.rows.find(rid)
            latest = self.supervisor.store.list(kind="index", target=rid, limit=1)
            if row is None or (latest and latest[0]["id"] != ctx.id):
                ctx.progress(1.0, "资源已删除或已有更新的版本，无需处理")
                return ()  # indexing it would resurrect a deleted resource or overwrite a newer upload
            try:
                said = self._index(ctx, row)
            except BaseException as exc:
                self._roll_back(ctx.job, CANCELLED if ctx.cancelled() else str(exc))
                raise
        if said:
            ctx.conclude("完成。" + "".join(said))
        return said

    def _index(self, ctx: JobContext, row: dict[str, Any]) -> tuple[str, ...]:
        """Index the job's file as the resource's next live version; returns what the trainer is to be told."""
        p = ctx.params
        rid = p["resource_id"]
        ctx.progress(0.05, "解析文件")
        meta = DocumentMeta(title=p["title"], kind=p["kind"], subject=p["subject"], stage=p["stage"],
                            tags=tuple(p["tags"]), source=p["filename"])
        prepared = self.parser.parse(ParseRequest(p["file"], p["filename"], rid, meta, self.max_bytes,
                                                  self.assistant.chunking,
                                                  fallback_title=p.get("previous_title", "")), ctx.cancelled)
        ctx.check()
        content = self.fingerprints.check(rid, Path(p["file"]), prepared)  # refused here, before any embedding
        kept = row["title"] if p["action"] == "replace" else None
        check_unique_title(self.rows.list(), rid, prepared.title, kept)
        said: tuple[str, ...] = ()
        if p["action"] == "replace":  # read before the old version's chunks are pruned
            live = [c for c in self.assistant.store.document_chunks(rid) if self.visibility.visible(c.id)]
            said = notes(p.get("title_rule", "kept"), p.get("previous_title", row["title"]), prepared.title,
                         prepared.own_title, row.get("own_title"), _terms(live),
                         vocabulary(str(m.get("lex", "")) for m in prepared.metadatas))
        ctx.progress(0.2, "计算向量并写入")

        def written(done: int, total: int) -> None:
            ctx.check()
            ctx.progress(0.2 + 0.75 * done / max(total, 1), f"计算向量并写入（{done}/{total} 块）")

        result = self.assistant.store_version(prepared, on_batch=written)
        ctx.check()
        version = int(row["version"]) + (1 if p["action"] == "replace" else 0)

        # A replacement's title rule says where its title now comes from; an upload's row says it from the start.
        typed = {"given": {"title_given": 1}, "file": {"title_given": 0}}.get(p.get("title_rule", ""), {})

        def commit() -> None:
            # Another upload of this title may have gone live since.
            check_unique_title(self.rows.list(), rid, prepared.title, kept)
            clash = self.rows.update_unique(
                rid, live_version=result.version, status="ready", error=None, chunks=result.chunks, version=version,
                title=prepared.title, filename=p["filename"], kind=p["kind"], subject=p["subject"],
                stage=p["stage"], tags=tuple(p["tags"]), own_title=prepared.own_title, **content, **typed)
            if clash is not None:  # an identical upload went live while this one was being embedded
                raise duplicate_error(clash)
            self.visibility.pin(rid, result.version)

        ctx.progress(0.97, "切换到新版本")
        self.assistant.switch_version(rid, result.version, commit)
        for old in kept_files(self.files_dir, rid):
            if old != Path(p["file"]):
                old.unlink(missing_ok=True)  # the kept file is what a resumed job reads; older ones are done
        return said

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
        status, error = restored(p, row, reason)
        self.assistant.switch_version(rid, live, lambda: self.rows.update(rid, status=status, error=error))

    def _abandon(self, job: dict[str, Any], reason: str) -> None:
        with self.lock(job["params"]["resource_id"]):
            self._roll_back({**job, "params": {**job["params"], "inline": False}}, reason)


def _terms(chunks: list[Any]) -> frozenset[str]:
    """The live version's vocabulary, from its chunks' pre-cut terms (cut again for a chunk without them)."""
    lexes = [str(c.metadata.get("lex") or "") for c in chunks]
    if all(lexes):
        return vocabulary(lexes)
    return terms_of(f"{c.metadata.get('section', '')}\n{c.text}" for c in chunks)


_EARLIER = "；此前"  # joins a failed replacement's reason to the one the upload failed for


def restored(params: dict[str, Any], row: dict[str, Any], reason: str) -> tuple[str, str | None]:
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
