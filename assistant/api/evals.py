"""Eval runs for administrators: start a run over the live assistant, poll it, open its HTML report.

A run works in a background thread and writes ``results.jsonl``, ``summary.json`` and ``report.html``
under ``<data_dir>/evals/<id>``. Status is kept in memory while the process lives; after a restart the
files decide: a summary and a report mean done, anything else means the run died with the old process.
Datasets are chosen by name from the datasets directory only, never by path.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field

from assistant.api.auth import User, require
from assistant.api.deps import AssistantDep
from assistant.service import Assistant
from evals.report import write_report
from evals.runner import SUMMARY_FILE, DatasetError, load_dataset, run_eval, write_run

log = logging.getLogger(__name__)
HTTP_422 = 422  # named here: starlette renamed the constant between versions
router = APIRouter(prefix="/v1", tags=["评测"])
Admin = Annotated[User, Depends(require("admin"))]
_RUN_ID = re.compile(r"^ev-[0-9a-f]{12}$")
_DATASET = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
REPORT_FILE = "report.html"
ERROR_FILE = "error.txt"
_ERRORS: dict[int | str, dict[str, Any]] = {401: {"description": "未登录或令牌无效"},
                                            403: {"description": "权限不足"}}


class EvalRequest(BaseModel):
    dataset: str = Field("seed", max_length=64, description="evals/datasets 中的数据集名（不含路径），默认 seed")
    k: int = Field(5, ge=1, le=50, description="检索条数")


@dataclass
class EvalRuns:
    """In-memory status of the runs this process started; the run directories are the durable part."""

    root: Path
    datasets_dir: Path
    _status: dict[str, str] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def dataset_path(self, name: str) -> Path:
        stem = name.removesuffix(".jsonl")
        path = self.datasets_dir / f"{stem}.jsonl"
        if not _DATASET.match(stem) or ".." in stem or not path.is_file():
            available = "、".join(sorted(p.stem for p in self.datasets_dir.glob("*.jsonl"))) or "无"
            raise ValueError(f"找不到数据集“{name}”；只能使用评测数据集目录中的名称：{available}")
        return path

    def start(self, assistant: Assistant, dataset: str, k: int) -> str:
        path = self.dataset_path(dataset)
        items = load_dataset(path)  # a malformed file is the caller's 422, not a failed run
        with self._lock:
            if "running" in self._status.values():
                raise RuntimeError("已有评测正在运行，请等它完成后再发起")
            run_id = f"ev-{secrets.token_hex(6)}"
            self._status[run_id] = "running"
        threading.Thread(target=self._run, args=(run_id, assistant, items, path.stem, k),
                         name=f"eval-{run_id}", daemon=True).start()
        return run_id

    def _run(self, run_id: str, assistant: Assistant, items: list[dict[str, Any]], dataset: str, k: int) -> None:
        out = self.root / run_id
        try:
            out.mkdir(parents=True, exist_ok=True)
            results = run_eval(assistant, items, k=k, progress=False)
            summary = write_run(results, out, dataset=dataset, k=k)
            write_report(out, summary, results)
        except Exception as exc:
            log.exception("评测 %s 失败", run_id)
            with contextlib.suppress(OSError):
                (out / ERROR_FILE).write_text(f"{type(exc).__name__}: {exc}\n", encoding="utf-8")
            state = "failed"
        else:
            state = "done"
        with self._lock:
            self._status[run_id] = state

    def status(self, run_id: str) -> dict[str, Any] | None:
        """None when no such run exists, in memory or on disk."""
        if not _RUN_ID.match(run_id):
            return None
        out = self.root / run_id
        with self._lock:
            state = self._status.get(run_id)
        if state is None:
            if not out.is_dir():
                return None
            done = (out / SUMMARY_FILE).is_file() and (out / REPORT_FILE).is_file()
            state = "done" if done else "failed"  # not ours and unfinished: its process is gone
        body: dict[str, Any] = {"id": run_id, "status": state}
        if state == "done":
            body["summary"] = json.loads((out / SUMMARY_FILE).read_text(encoding="utf-8"))
            body["report_url"] = f"/v1/evals/{run_id}/report"
        elif state == "failed":
            error = out / ERROR_FILE
            body["detail"] = (error.read_text(encoding="utf-8").strip() if error.is_file()
                              else "评测未完成（服务在运行期间重启）")
        return body

    def report(self, run_id: str) -> Path | None:
        status_ = self.status(run_id)
        if status_ is None or status_["status"] != "done":
            return None
        return self.root / run_id / REPORT_FILE


def get_runs(request: Request) -> EvalRuns:
    return request.app.state.evals


RunsDep = Annotated[EvalRuns, Depends(get_runs)]


@router.post("/evals", status_code=status.HTTP_202_ACCEPTED,
             responses={**_ERRORS, 409: {"description": "已有评测在运行"}, 422: {"description": "数据集无效"},
                        503: {"description": "知识库尚未就绪"}},
             summary="发起评测（仅管理员）：在后台运行，返回查询地址")
def start_eval(body: EvalRequest, user: Admin, request: Request, assistant: AssistantDep,
               runs: RunsDep) -> JSONResponse:
    if not request.app.state.readiness.indexed.is_set():
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "知识库尚未就绪，请稍后再发起评测")
    try:
        run_id = runs.start(assistant, body.dataset, body.k)
    except (ValueError, DatasetError) as exc:
        raise HTTPException(HTTP_422, str(exc)) from exc
    except RuntimeError as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
    url = f"/v1/evals/{run_id}"
    return JSONResponse({"id": run_id, "status_url": url}, status_code=status.HTTP_202_ACCEPTED,
                        headers={"Location": url})


@router.get("/evals/{run_id}", responses={**_ERRORS, 404: {"description": "没有该评测"}},
            summary="评测状态：running | done | failed；完成后附汇总与报告地址（仅管理员）")
def eval_status(run_id: str, user: Admin, runs: RunsDep) -> dict[str, Any]:
    body = runs.status(run_id)
    if body is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"找不到评测 {run_id}")
    return body


@router.get("/evals/{run_id}/report", response_class=FileResponse,
            responses={**_ERRORS, 200: {"content": {"text/html": {}}, "description": "HTML 评测报告"},
                       404: {"description": "没有该评测或报告尚未生成"}},
            summary="评测的 HTML 报告（仅管理员）")
def eval_report(run_id: str, user: Admin, runs: RunsDep) -> FileResponse:
    path = runs.report(run_id)
    if path is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"评测 {run_id} 不存在或报告尚未生成")
    return FileResponse(path, media_type="text/html; charset=utf-8")
