"""Administration: eval runs, background jobs (listed with progress, cancellable) and usage statistics."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.errors import Forbidden, InvalidInput
from assistant.evalruns import EvalRuns, EvalSpec
from assistant.jobs import Supervisor
from assistant.records.usage import UsageStats
from assistant.roles import Actor, require

_PUBLIC_JOB = ("id", "kind", "target", "action", "status", "progress", "stage", "error", "attempts",
               "cancel_requested", "created_by", "created_at", "started_at", "finished_at")


def public_job(job: dict[str, Any]) -> dict[str, Any]:
    """A job as people see it: no parameters (they hold file paths), no owner process."""
    out = {k: job.get(k) for k in _PUBLIC_JOB}
    out["resource_id"] = job["target"] if job["kind"] == "index" else None
    return out


class Admin:
    def __init__(self, evals: EvalRuns, supervisor: Supervisor, usage: UsageStats) -> None:
        self.evals = evals
        self.supervisor = supervisor
        self.usage = usage

    # -- eval runs ----------------------------------------------------------------------------------------
    def start_eval(self, actor: Actor, spec: EvalSpec, *, out_dir: Path | None = None, wait: bool = False
                   ) -> dict[str, Any]:
        if spec.split not in ("dev", "test", "all"):
            raise InvalidInput("划分只能是 dev、test 或 all")
        if spec.kb not in ("live", "declared", "eval", "bundled"):
            raise InvalidInput("知识库只能是 live、declared、eval 或 bundled")
        return self.evals.start(actor, spec, out_dir=out_dir, wait=wait)

    def eval_status(self, actor: Actor, run_id: str) -> dict[str, Any]:
        return self.evals.status(actor, run_id)

    def eval_report(self, actor: Actor, run_id: str) -> Path:
        return self.evals.report(actor, run_id)

    # -- jobs -----------------------------------------------------------------------------------------------
    def jobs(self, actor: Actor, *, active_only: bool = False, limit: int = 50) -> list[dict[str, Any]]:
        """Recent jobs with progress: every job for an admin, a trainer's own otherwise."""
        require(actor, "jobs.read")
        mine = None if actor.is_admin else actor.user_id
        if mine is None and not actor.is_admin:
            return []
        return [public_job(j) for j in self.supervisor.store.list(created_by=mine, active_only=active_only,
                                                                   limit=limit)]

    def job(self, actor: Actor, job_id: str) -> dict[str, Any]:
        require(actor, "jobs.read")
        job = self.supervisor.store.get(job_id)
        if not actor.is_admin and job["created_by"] != actor.user_id:
            raise Forbidden("只能查看自己发起的任务")
        return public_job(job)

    def cancel_job(self, actor: Actor, job_id: str) -> dict[str, Any]:
        """Stop a queued job at once, a running one at its next checkpoint (its partial work is undone)."""
        require(actor, "jobs.cancel")
        self.supervisor.store.get(job_id)
        return public_job(self.supervisor.cancel(job_id))

    # -- usage ----------------------------------------------------------------------------------------------
    def usage_stats(self, actor: Actor, days: int = 7) -> dict[str, Any]:
        require(actor, "stats.read")
        return self.usage.summary(days)
