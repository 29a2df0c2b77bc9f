"""Administration over HTTP: background jobs (progress, cancel), eval runs and their reports, usage stats."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from assistant.evalruns import EvalSpec
from assistant.roles import Actor
from channels.api.auth import Admin, require
from channels.api.bodies import RequestBody
from channels.api.deps import Core
from channels.api.errors import csv_response, responses

router = APIRouter(prefix="/v1", tags=["管理"])
JobReader = Annotated[Actor, Depends(require("jobs.read"))]


class Job(BaseModel):
    id: str
    kind: str
    target: str
    resource_id: str | None
    action: str
    status: str = Field(description="queued | running | done | failed | cancelled")
    progress: float
    stage: str
    error: str | None
    attempts: int
    cancel_requested: bool
    created_by: int | None
    created_at: str
    started_at: str | None
    finished_at: str | None


class InviteRequest(RequestBody):
    role: Literal["trainer", "admin"] = Field("trainer", description="受邀身份：培训者或管理员")


class Invite(BaseModel):
    code: str = Field(description="一次性邀请码：在机器人中发送 /bind 邀请码，或在网页控制台注册时使用")
    role: str


class UserView(BaseModel):
    id: int
    name: str
    role: str
    created_at: str
    revoked_at: str | None


class EvalRequest(RequestBody):
    dataset: str = Field("seed", max_length=64, description="评测数据集目录中的数据集名（不含路径），默认 seed")
    k: int = Field(5, ge=1, le=50, strict=True, description="检索条数")


@router.get("/jobs", response_model=list[Job], responses=responses(),
            summary="后台任务及进度（管理员看全部，培训者看自己发起的）")
def jobs(actor: JobReader, core: Core, active: Annotated[bool, Query(description="只看排队或运行中的")] = False
         ) -> Any:
    return core.admin.jobs(actor, active_only=active)


@router.get("/jobs/{job_id}", response_model=Job, responses=responses(404), summary="后台任务状态（培训者、管理员）")
def job(job_id: str, actor: JobReader, core: Core) -> Any:
    return core.admin.job(actor, job_id)


@router.post("/jobs/{job_id}/cancel", response_model=Job, responses=responses(404),
             summary="取消后台任务（仅管理员）：排队的立即取消，运行中的在下一个检查点停止并撤销已写入的内容")
def cancel_job(job_id: str, actor: Annotated[Actor, Depends(require("jobs.cancel"))], core: Core) -> Any:
    return core.admin.cancel_job(actor, job_id)


@router.post("/evals", status_code=status.HTTP_202_ACCEPTED, responses=responses(409, 422, 503),
             summary="发起评测（仅管理员）：在后台运行，返回查询地址")
def start_eval(body: EvalRequest, actor: Admin, core: Core) -> JSONResponse:
    run = core.admin.start_eval(actor, EvalSpec((body.dataset,), k=body.k))
    url = f"/v1/evals/{run['id']}"
    return JSONResponse({"id": run["id"], "status_url": url}, status_code=status.HTTP_202_ACCEPTED,
                        headers={"Location": url})


@router.get("/evals/{run_id}", responses=responses(404),
            summary="评测状态：queued | running | done | failed | cancelled；完成后附汇总与报告地址（仅管理员）")
def eval_status(run_id: str, actor: Admin, core: Core) -> dict[str, Any]:
    body = core.admin.eval_status(actor, run_id)
    body.pop("out_dir", None)
    return body


@router.get("/evals/{run_id}/report", response_class=FileResponse,
            responses={**responses(404), 200: {"content": {"text/html": {}}, "description": "HTML 评测报告"}},
            summary="评测的 HTML 报告（仅管理员）")
def eval_report(run_id: str, actor: Admin, core: Core) -> FileResponse:
    return FileResponse(core.admin.eval_report(actor, run_id), media_type="text/html; charset=utf-8")


@router.post("/invites", response_model=Invite, status_code=status.HTTP_201_CREATED, responses=responses(422),
             summary="生成一次性邀请码（仅管理员）")
def invite(body: InviteRequest, actor: Annotated[Actor, Depends(require("invites.create"))], core: Core) -> Any:
    return {"code": core.people.invite(actor, body.role), "role": body.role}


@router.get("/users", response_model=list[UserView], responses=responses(), summary="用户列表，不含令牌（仅管理员）")
def users(actor: Annotated[Actor, Depends(require("users.manage"))], core: Core) -> Any:
    return [u.as_dict() for u in core.people.list_users(actor)]


@router.get("/exports/cohort", response_class=Response,
            responses={**responses(), 200: {"content": {"text/csv": {}}, "description": "全体教师学习汇总（CSV）"}},
            summary="导出全体教师的学习汇总与学分（仅管理员）")
def export_cohort(actor: Annotated[Actor, Depends(require("stats.read"))], core: Core) -> Response:
    return csv_response(core.learning.export_csv(actor), "cohort.csv")


@router.get("/stats", responses=responses(), summary="使用统计与知识库概况（仅管理员）")
def stats(actor: Annotated[Actor, Depends(require("stats.read"))], core: Core) -> dict[str, Any]:
    return {"usage": core.admin.usage_stats(actor), "knowledge_base": core.library.stats(actor)}
