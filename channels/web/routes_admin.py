"""The admin's desk: service and knowledge-base stats, feedback summary and comments, people, invites, eval runs.

An eval run is started from the page and runs as the core's supervised job; the page script polls its
status for the progress bar, and a finished run shows its HTML report in a frame (served here under the
console session, since the API's report route wants a bearer token) and joins the trend chart.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import FileResponse, Response

from assistant.evalruns import EvalSpec
from assistant.records.teachers import beijing_time
from assistant.roles import INVITABLE, ROLES
from channels.web import trend
from channels.web.console import Admin, ConsoleRoute, Visit
from channels.web.markup import comment_pages

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
Name = Annotated[str, Form(min_length=1, max_length=64)]


def _overview(visit: Visit, offset: int = 0, target: str | None = None, **context: Any) -> Response:
    assert visit.actor is not None
    core = visit.console.services.usecases
    comments = core.learning.feedback_comments(visit.actor, offset=offset, target=target)
    return visit.render("admin.html", usage=core.admin.usage_stats(visit.actor),
                        kb=core.library.stats(visit.actor), feedback=core.learning.feedback_summary(visit.actor),
                        comments=comments, pages=comment_pages("/admin", comments, target),
                        jobs=core.admin.jobs(visit.actor, active_only=True), **context)


@router.get("/admin")
def overview(visit: Admin, offset: int = 0, target: Annotated[str | None, Query(max_length=200)] = None
             ) -> Response:
    """The overview; ``offset`` pages through the comments and ``target`` keeps those about one target."""
    return _overview(visit, offset, target)


@router.post("/admin/jobs/{job_id}/cancel")
def cancel_job(job_id: str, visit: Admin) -> Response:
    """Stop a queued job at once, a running one at its next checkpoint (the core undoes its partial work)."""
    assert visit.actor is not None
    job = visit.console.services.usecases.admin.cancel_job(visit.actor, job_id)
    message = "已取消该任务" if job["status"] == "cancelled" else "已请求取消：任务将在下一个检查点停止并撤销已写入的内容"
    return _overview(visit, message=message)


# -- people ---------------------------------------------------------------------------------------------
def _people(visit: Visit, status_code: int = 200, **context: Any) -> Response:
    assert visit.actor is not None
    users = visit.console.services.usecases.people.list_users(visit.actor)
    return visit.render("people.html", status_code, users=users, roles=ROLES, invitable=INVITABLE, **context)


@router.get("/admin/people")
def people(visit: Admin) -> Response:
    return _people(visit)


@router.post("/admin/people")
def add_user(visit: Admin, name: Name, role: Annotated[str, Form(max_length=16)]) -> Response:
    assert visit.actor is not None
    user, token = visit.console.services.usecases.people.add_user(visit.actor, name.strip(), role)
    return _people(visit, new_user=user, token=token)


@router.post("/admin/people/revoke")
def revoke(visit: Admin, name: Name) -> Response:
    assert visit.actor is not None
    user = visit.console.services.usecases.people.revoke_user(visit.actor, name)
    return _people(visit, message=f"已吊销“{user.name}”的令牌，其登录会话随之失效")


@router.post("/admin/people/reissue")
def reissue(visit: Admin, name: Name) -> Response:
    """A new token for a leaked or revoked one: the account, its uploads and its records stay as they are."""
    assert visit.actor is not None
    user, token = visit.console.services.usecases.people.reissue_user(visit.actor, name)
    return _people(visit, new_user=user, token=token, reissued=True)


@router.post("/admin/invites")
def invite(visit: Admin, role: Annotated[str, Form(max_length=16)]) -> Response:
    assert visit.actor is not None
    code = visit.console.services.usecases.people.invite(visit.actor, role)
    return _people(visit, invite_code=code, invite_role=role)


@router.post("/admin/roles")
def grant(visit: Admin, channel: Annotated[str, Form(min_length=1, max_length=32)],
          account: Annotated[str, Form(min_length=1, max_length=64)], role: Annotated[str, Form(max_length=16)]
          ) -> Response:
    assert visit.actor is not None
    now = visit.console.services.usecases.people.grant(visit.actor, channel.strip(), account.strip(), role)
    return _people(visit, message=f"{channel}:{account} 的身份现为 {now}")


# -- eval runs ------------------------------------------------------------------------------------------
def _runs(visit: Visit) -> list[dict[str, Any]]:
    """Eval runs, newest first, with their status (and summary once done)."""
    assert visit.actor is not None
    admin = visit.console.services.usecases.admin
    jobs = [j for j in admin.jobs(visit.actor, limit=50) if j["kind"] == "eval"]
    runs = [{**admin.eval_status(visit.actor, j["target"]), "created_at": j["created_at"]} for j in jobs]
    return [{**r, "kind": run_kind(r)} for r in runs]


def run_kind(run: dict[str, Any]) -> str:
    """What a run measured, so runs on different knowledge bases or splits are not read as one trend."""
    kb = "实时知识库" if run.get("kb", "live") == "live" else "评测知识库"
    split = {"all": "全部", "dev": "dev", "test": "test"}.get(run.get("split", "all"), run.get("split", ""))
    return f"{kb}·{split}"


def measured(run: dict[str, Any]) -> str:
    """The trend a finished run belongs to: its knowledge base and split, and the dataset it scored."""
    return f"{run['kind']} · {run['summary'].get('dataset', '')}"


def _evals(visit: Visit, status_code: int = 200, shown: str | None = None, **context: Any) -> Response:
    runs = _runs(visit)
    done = [r for r in reversed(runs) if r["status"] == "done" and "summary" in r]
    names, shown, plotted = trend.series_of(done, measured, shown)
    series = trend.points([(beijing_time(r["created_at"])[5:], r["summary"]) for r in plotted])
    datasets = sorted(p.stem for p in visit.console.services.evals.datasets_dir.glob("*.jsonl"))
    return visit.render("evals.html", status_code, runs=runs, chart=trend.svg(series), series=series,
                        series_names=names, shown=shown, metrics=trend.METRICS, datasets=datasets, **context)


@router.get("/admin/evals")
def evals(visit: Admin, series: str | None = None) -> Response:
    return _evals(visit, shown=series)


@router.post("/admin/evals")
def start_eval(visit: Admin, dataset: Annotated[str, Form(min_length=1, max_length=64)],
               k: Annotated[int, Form(ge=1, le=50)] = 5) -> Response:
    assert visit.actor is not None
    run = visit.console.services.usecases.admin.start_eval(visit.actor, EvalSpec((dataset,), k=k))
    return visit.redirect(f"/admin/evals/{run['id']}")


@router.get("/admin/evals/{run_id}")
def eval_run(run_id: str, visit: Admin) -> Response:
    assert visit.actor is not None
    status = visit.console.services.usecases.admin.eval_status(visit.actor, run_id)
    status.pop("out_dir", None)
    if visit.wants_json:
        return visit.json(status)
    return _evals(visit, run=status)


@router.get("/admin/evals/{run_id}/report")
def eval_report(run_id: str, visit: Admin) -> Response:
    assert visit.actor is not None
    path = visit.console.services.usecases.admin.eval_report(visit.actor, run_id)
    return visit.keep(FileResponse(path, media_type="text/html; charset=utf-8"))
