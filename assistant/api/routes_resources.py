"""Trainer resources: upload, list, inspect chunking, replace, delete, and background job status.

Handlers only translate HTTP to ``ResourceService`` calls and errors to status codes; loading, indexing
and rollback live in ``assistant.resources``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from assistant.api.auth import STAFF, User, require
from assistant.api.deps import ResourcesDep
from assistant.api.limits import too_large_message
from assistant.resources import Outcome, ResourceForbidden, ResourceNotFound, Upload
from corpus.documents import LoaderError

HTTP_422 = 422  # named here: starlette renamed the constant between versions
router = APIRouter(prefix="/v1", tags=["培训资源"])
Staff = Annotated[User, Depends(require(*STAFF))]
_READ_CHUNK = 64 * 1024
Title = Annotated[str, Form(max_length=200, description="标题；留空则取文件中的标题")]
Kind = Annotated[str, Form(max_length=40, description="资料类别，默认 resource")]
Short = Annotated[str, Form(max_length=100)]
Tags = Annotated[str, Form(max_length=500, description="标签，逗号分隔")]


class Resource(BaseModel):
    id: str
    title: str
    kind: str
    subject: str
    stage: str
    tags: list[str]
    filename: str
    uploader_id: int
    uploader: str | None
    version: int
    chunks: int
    status: str
    error: str | None
    created_at: str
    updated_at: str


class ChunkView(BaseModel):
    chunk_id: str
    ordinal: int
    section: str
    heading: str
    start: int
    end: int
    n_tokens: int
    text: str


class Job(BaseModel):
    id: str
    resource_id: str
    action: str
    status: str
    error: str | None
    created_by: int
    created_at: str
    finished_at: str | None


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "未登录或令牌无效"}, 403: {"description": "权限不足"}, 404: {"description": "资源不存在"},
}
_UPLOAD_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS, 202: {"description": "大文件已受理，在后台建立索引；轮询 status_url"},
    413: {"description": "文件过大"}, 415: {"description": "不支持的文件类型"},
    422: {"description": "文件为空、损坏、加密或无法识别"},
}


def loader_status(exc: LoaderError) -> int:
    """415 for a type we do not read, 413 for size, 422 for a file of a known type that is unusable."""
    message = str(exc)
    if "不支持" in message:
        return status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    if "过大" in message:
        return status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    return HTTP_422


async def read_capped(file: UploadFile, limit: int) -> bytes:
    """The upload's bytes, refusing with 413 as soon as more than ``limit`` have been read."""
    parts: list[bytes] = []
    size = 0
    while chunk := await file.read(_READ_CHUNK):
        size += len(chunk)
        if size > limit:
            raise HTTPException(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, too_large_message(limit))
        parts.append(chunk)
    return b"".join(parts)


def _tags(raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    return tuple(t.strip() for t in raw.replace("，", ",").split(",") if t.strip())


def _not_found(exc: LookupError) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, str(exc.args[0]) if exc.args else "资源不存在")


def _respond(outcome: Outcome, created: bool) -> Any:
    r = outcome.resource
    body = {"id": r["id"], "title": r["title"], "version": r["version"], "chunks": r["chunks"],
            "status": r["status"]}
    if outcome.job_id:
        url = f"/v1/jobs/{outcome.job_id}"
        return JSONResponse({**body, "job_id": outcome.job_id, "status_url": url}, status_code=202,
                            headers={"Location": url})
    return JSONResponse(body, status_code=201 if created else 200)


@router.post("/resources", status_code=201, responses=_UPLOAD_ERRORS, summary="上传资源（培训者、管理员）")
async def upload(file: Annotated[UploadFile, File(description="TXT/Markdown/HTML/DOCX/PDF")], user: Staff,
                 service: ResourcesDep, title: Title = "", kind: Kind = "resource", subject: Short = "",
                 stage: Short = "", tags: Tags = "") -> Any:
    data = await read_capped(file, service.assistant.settings.upload_max_bytes)
    item = Upload(data, file.filename or "upload", title, kind.strip() or "resource", subject.strip(),
                  stage.strip(), _tags(tags) or ())
    try:
        outcome = await _in_thread(service.create, item, user.id)
    except LoaderError as exc:
        raise HTTPException(loader_status(exc), str(exc)) from exc
    return _respond(outcome, created=True)


@router.get("/resources", response_model=list[Resource], responses=_ERRORS, summary="资源列表（培训者、管理员）")
def list_resources(user: Staff, service: ResourcesDep) -> Any:
    return service.list()


@router.get("/resources/{resource_id}", response_model=Resource, responses=_ERRORS, summary="资源详情")
def get_resource(resource_id: str, user: Staff, service: ResourcesDep) -> Any:
    try:
        return service.get(resource_id)
    except ResourceNotFound as exc:
        raise _not_found(exc) from exc


@router.get("/resources/{resource_id}/chunks", response_model=list[ChunkView], responses=_ERRORS,
            summary="查看分块结果：小节路径、位置、词数（培训者、管理员）")
def resource_chunks(resource_id: str, user: Staff,
                    service: ResourcesDep) -> Any:
    try:
        return service.chunks(resource_id)
    except ResourceNotFound as exc:
        raise _not_found(exc) from exc


@router.put("/resources/{resource_id}", responses=_UPLOAD_ERRORS, summary="替换为新版本（培训者仅限本人上传的）")
async def replace(resource_id: str, file: Annotated[UploadFile, File()], user: Staff, service: ResourcesDep,
                  title: Title = "", kind: Annotated[str | None, Form(max_length=40)] = None,
                  subject: Annotated[str | None, Form(max_length=100)] = None,
                  stage: Annotated[str | None, Form(max_length=100)] = None,
                  tags: Annotated[str | None, Form(max_length=500)] = None) -> Any:
    try:
        current = service.get(resource_id)
    except ResourceNotFound as exc:
        raise _not_found(exc) from exc
    data = await read_capped(file, service.assistant.settings.upload_max_bytes)
    item = Upload(data, file.filename or "upload", title,
                  (kind or "").strip() or current["kind"],
                  current["subject"] if subject is None else subject.strip(),
                  current["stage"] if stage is None else stage.strip(),
                  tuple(current["tags"]) if tags is None else (_tags(tags) or ()))
    try:
        outcome = await _in_thread(service.replace, resource_id, item, user.id, user.role == "admin")
    except LoaderError as exc:
        raise HTTPException(loader_status(exc), str(exc)) from exc
    except ResourceNotFound as exc:
        raise _not_found(exc) from exc
    except ResourceForbidden as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from exc
    return _respond(outcome, created=False)


@router.delete("/resources/{resource_id}", responses=_ERRORS, summary="删除资源（培训者仅限本人上传的，管理员不限）")
def delete(resource_id: str, user: Staff, service: ResourcesDep
           ) -> dict[str, Any]:
    try:
        removed = service.delete(resource_id, user.id, user.role == "admin")
    except ResourceNotFound as exc:
        raise _not_found(exc) from exc
    except ResourceForbidden as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(exc)) from exc
    return {"id": resource_id, "deleted": True, "chunks_removed": removed}


@router.get("/jobs/{job_id}", response_model=Job, responses=_ERRORS, summary="后台索引任务状态（培训者、管理员）")
def job(job_id: str, user: Staff, service: ResourcesDep) -> Any:
    try:
        return service.job(job_id)
    except ResourceNotFound as exc:
        raise _not_found(exc) from exc


async def _in_thread(func: Any, *args: Any) -> Any:
    """Loading and indexing are CPU-bound: keep them off the event loop so asks keep flowing."""
    return await run_in_threadpool(func, *args)
