"""Supervised background jobs: run, heartbeat, cancel, and pick up after a crash.

Every piece of background work (indexing an upload, an eval run) is a row in ``jobs`` (see
``assistant.records.jobs``) run by a ``Supervisor``: one worker thread per kind of job, a heartbeat
thread that keeps the rows of running jobs fresh, and a recovery pass (at start and every few seconds)
that finds jobs whose process is gone — killed, crashed, restarted — and either puts them back in the
queue (kinds that can resume) or marks them failed with the reason. Nothing is left "running" forever.

A job can also run inline, in the caller's thread (a small upload the trainer waits for): it is the same
row, heartbeat and cancellation, just without the queue.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assistant.errors import Cancelled, CoreError
from assistant.records.jobs import JobStore, parse_time

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 2.0
MAX_ATTEMPTS = 3
CANCELLED = "管理员取消了任务"
DONE = "完成"  # a finished job's stage when it has nothing more to say


class JobContext:
    """What a running job sees: a way to report progress and to learn it was cancelled."""

    def __init__(self, store: JobStore, job: dict[str, Any]) -> None:
        self.store = store
        self.job = job
        self._checked = 0.0
        self._cancelled = False
        self.summary = ""  # what a job that succeeds wants said when it is done, instead of just 完成

    def conclude(self, summary: str) -> None:
        """The job's last word if it succeeds (a replacement that looks like the wrong file says so): its
        finished stage, which a trainer who left a big upload to the background reads in the jobs list."""
        self.summary = summary

    @property
    def id(self) -> str:
        return str(self.job["id"])

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.job["params"])

    def progress(self, fraction: float, stage: str) -> None:
        self.store.progress(self.id, fraction, stage)

    def cancelled(self) -> bool:
        """Polled by long steps; reads the row at most twice a second."""
        now = time.monotonic()
        if not self._cancelled and now - self._checked > 0.5:
            self._checked = now
            self._cancelled = self.store.cancel_requested(self.id)
        return self._cancelled

    def check(self) -> None:
        if self.cancelled():
            raise Cancelled(CANCELLED)


@dataclass(frozen=True)
class JobKind:
    """How to run one kind of job. ``run`` does the work (and cleans up after its own failure);
    ``abandon`` cleans up after a job whose process died and that will not be run again."""

    name: str
    run: Callable[[JobContext], Any]  # what it returns reaches the caller of an inline run (``run_inline``)
    abandon: Callable[[dict[str, Any], str], None] = lambda job, reason: None
    resumable: bool = False


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# The owners of the supervisors running in this process. A job one of them holds carries our pid but is no
# orphan: two services can share a process and a database (an API and a bot in one process, or tests).
_RUNNING: set[str] = set()
_RUNNING_LOCK = threading.Lock()


@dataclass
class Supervisor:
    store: JobStore
    stale_seconds: float = 20.0
    heartbeat_seconds: float = HEARTBEAT_SECONDS
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}")
    kinds: dict[str, JobKind] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._wake: dict[str, threading.Event] = {}
        self._threads: list[threading.Thread] = []
        self._beating = False
        self._lock = threading.Lock()

    def register(self, kind: JobKind) -> None:
        self.kinds[kind.name] = kind
        self._wake[kind.name] = threading.Event()

    # -- submitting -----------------------------------------------------------------------------------
    def submit(self, kind: str, target: str, action: str, params: dict[str, Any], created_by: int | None,
               *, inline: bool = False, job_id: str | None = None) -> dict[str, Any]:
        """Record a job. Queued for a worker, or with ``inline`` run now in this thread; an inline job that
        fails re-raises its error here after the row says why."""
        if inline:
            return self.run_inline(kind, target, action, params, created_by, job_id=job_id)[0]
        job = self.store.create(job_id or f"job-{uuid.uuid4().hex[:12]}", kind, target, action, params, created_by)
        self._wake[kind].set()
        return job

    def run_inline(self, kind: str, target: str, action: str, params: dict[str, Any], created_by: int | None,
                   *, job_id: str | None = None) -> tuple[dict[str, Any], Any]:
        """Record a job and run it now in this thread: its finished row, and what its run returned (an upload's
        notes for the trainer waiting on the reply). A failure re-raises here after the row says why."""
        job_id = job_id or f"job-{uuid.uuid4().hex[:12]}"
        self._ensure_heartbeat()
        job = self.store.create(job_id, kind, target, action, params, created_by, owner=self.owner)
        result = self._execute(job, reraise=True)
        return self.store.get(job_id), result

    def cancel(self, job_id: str) -> dict[str, Any]:
        return self.store.request_cancel(job_id)

    # -- running --------------------------------------------------------------------------------------
    def _execute(self, job: dict[str, Any], reraise: bool = False) -> Any:
        kind = self.kinds[job["kind"]]
        context = JobContext(self.store, job)
        result = None
        try:
            context.check()
            result = kind.run(context)
        except Cancelled as exc:
            self.store.finish(job["id"], "cancelled", str(exc), stage="已取消")
            if reraise:
                raise
        except Exception as exc:
            self.store.finish(job["id"], "failed", str(exc) or type(exc).__name__, stage="失败")
            if reraise:
                # The caller tells the person (a status code, the command line's one line); logging it here
                # as well printed the reason twice on the command line, whose warnings go to stderr.
                raise
            log.warning("任务 %s 失败：%s", job["id"], exc, exc_info=not isinstance(exc, ValueError | CoreError))
        else:
            self.store.finish(job["id"], "done", None, stage=context.summary or DONE)
        return result

    def _work(self, kind: str) -> None:
        wake = self._wake[kind]
        while not self._stop.is_set():
            try:
                job = self.store.claim_next((kind,), self.owner)
            except Exception:  # the database is busy or gone for a moment: try again shortly
                log.exception("领取任务失败")
                job = None
            if job is None:
                wake.wait(self.heartbeat_seconds)
                wake.clear()
                continue
            self._execute(job)

    # -- supervision ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Recover what a previous process left behind, then run queued jobs until ``stop``."""
        self.recover()
        self._ensure_heartbeat()
        for name in self.kinds:
            thread = threading.Thread(target=self._work, args=(name,), name=f"jobs-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        with _RUNNING_LOCK:
            _RUNNING.discard(self.owner)
        self._stop.set()
        for event in self._wake.values():
            event.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _ensure_heartbeat(self) -> None:
        with self._lock:
            if self._beating:
                return
            self._beating = True
        with _RUNNING_LOCK:
            _RUNNING.add(self.owner)
        threading.Thread(target=self._beat, name="jobs-heartbeat", daemon=True).start()

    def _beat(self) -> None:
        last_recovery = time.monotonic()
        while not self._stop.wait(self.heartbeat_seconds):
            try:
                self.store.beat(self.owner)
                if self._threads and time.monotonic() - last_recovery > 2 * self.heartbeat_seconds:
                    last_recovery = time.monotonic()
                    self.recover()
            except Exception:
                log.exception("任务心跳失败")

    def orphaned(self, job: dict[str, Any], now: datetime | None = None) -> bool:
        """A running job whose process is gone: no owner, a dead pid on this host, our own pid with the token
        of no supervisor running here (we are its restart), or a heartbeat older than ``stale_seconds``
        (another host, or a pid reused by an unrelated process)."""
        owner = job.get("owner")
        if not owner:
            return True
        if owner == self.owner:
            return False
        with _RUNNING_LOCK:
            if owner in _RUNNING:
                return False
        host, _, rest = owner.partition(":")
        pid_text, _, _token = rest.partition(":")
        my_host, my_pid = self.owner.split(":")[:2]
        if host == my_host and pid_text.isdigit() and (pid_text == my_pid or not _process_alive(int(pid_text))):
            return True
        beat = parse_time(job.get("heartbeat_at"))
        now = now or datetime.now(UTC)
        return beat is None or (now - beat).total_seconds() > self.stale_seconds

    def recover(self) -> list[str]:
        """Resume or fail every orphaned job; returns their ids."""
        handled = []
        for job in self.store.running():
            if not self.orphaned(job) or job["kind"] not in self.kinds:
                continue
            kind = self.kinds[job["kind"]]
            if kind.resumable and job["params"] and job["attempts"] < MAX_ATTEMPTS and not job["cancel_requested"]:
                if self.store.requeue(job["id"], job.get("owner"), "进程重启后重新处理"):
                    log.warning("任务 %s 所在进程已退出，重新排队", job["id"])
                    self._wake[job["kind"]].set()
                    handled.append(job["id"])
                continue
            reason = (CANCELLED if job["cancel_requested"] else
                      "处理中断次数过多，已放弃" if kind.resumable and job["attempts"] >= MAX_ATTEMPTS else
                      "服务在任务运行期间重启或退出，任务未完成")
            status = "cancelled" if job["cancel_requested"] else "failed"
            if self.store.fail_orphan(job["id"], job.get("owner"), reason, status):
                log.warning("任务 %s 所在进程已退出：%s", job["id"], reason)
                try:
                    kind.abandon(job, reason)
                except Exception:
                    log.exception("清理任务 %s 失败", job["id"])
                handled.append(job["id"])
        return handled
