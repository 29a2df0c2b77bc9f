"""Trainer resources: upload, list, inspect chunking, replace, delete. HTTP in, ``usecases.library`` out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, UploadFile, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.resource_changes import BLANK_TITLE_RULE
from assistant.resource_files import Upload
from assistant.resources import Outcome
from channels.api.auth import Staff
from channels.api.deps import Core
from channels.api.errors import responses
from channels.api.limits import too_large_message

router = APIRouter(prefix="/v1", tags=["培训资源"])
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
    uploader_id: int | None
    uploader: str | None
    version: int
    chunks: int
    status: str
    error: str | None
    created_at: str
    updated_at: str
    editable: bool = Field(description="当前用户能否替换或删除它（管理员全部可以，培训者只能改删自己上传的）")


class Heading(BaseModel):
    level: int = Field(description="层级，1 为最上一级")
    heading: str
    path: str = Field(description="章节路径，与引用中的写法相同")
    ordinal: int | None = Field(description="标题所在文本块的序号")


class ChunkView(BaseModel):
    chunk_id: str
    ordinal: int
    section: str
    heading: str
    start: int
    end: int
    n_tokens: int
    text: str


_UPLOAD_ERRORS = {**responses(404, 409, 413, 415, 422), 202: {"description": "大文件已受理，在后台建立索引；轮询 status_url"}}


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


def _respond(outcome: Outcome, created: bool) -> Any:
    """The resource's summary; indexed on the spot, with its outline (every heading, in order) and what a
    replacement has to tell (``notes``: the title taken or kept, a file unlike the old one), as the command
    line, the web console and the bot show them; in the background, with the job to follow (whose finished
    ``stage`` says the same)."""
    r = outcome.resource
    body = {"id": r["id"], "title": r["title"], "version": r["version"], "chunks": r["chunks"], "status": r["status"]}
    if outcome.job:
        url = f"/v1/jobs/{outcome.job['id']}"
        return JSONResponse({**body, "job_id": outcome.job["id"], "status_url": url}, status_code=202,
                            headers={"Location": url})
    return JSONResponse({**body, "outline": outcome.outline or [], "notes": list(outcome.notes)},
                        status_code=201 if created else 200)


def _limit(core: Core) -> int:
    return core.library.max_bytes


@router.post("/resources", status_code=201, responses=_UPLOAD_ERRORS, summary="上传资源（培训者、管理员）")
async def upload(file: Annotated[UploadFile, File(description="TXT/Markdown/HTML/DOCX/PDF")], actor: Staff,
                 core: Core, title: Title = "", kind: Kind = "resource", subject: Short = "", stage: Short = "",
                 tags: Tags = "") -> Any:
    data = await read_capped(file, _limit(core))
    item = Upload(data, file.filename or "upload", title, kind.strip() or "resource", subject.strip(),
                  stage.strip(), _tags(tags) or ())
    # Parsing runs in a worker process; the rest is blocking I/O: keep it off the event loop.
    return _respond(await run_in_threadpool(core.library.upload, actor, item), created=True)


@router.get("/resources", response_model=list[Resource], responses=responses(), summary="资源列表（培训者、管理员）")
def list_resources(actor: Staff, core: Core) -> Any:
    return core.library.list(actor)


@router.get("/resources/{resource_id}", response_model=Resource, responses=responses(404), summary="资源详情")
def get_resource(resource_id: str, actor: Staff, core: Core) -> Any:
    return core.library.get(actor, resource_id)


@router.get("/resources/{resource_id}/chunks", response_model=list[ChunkView], responses=responses(404),
            summary="查看分块结果：小节路径、位置、词数（培训者、管理员）")
def resource_chunks(resource_id: str, actor: Staff, core: Core) -> Any:
    return core.library.chunks(actor, resource_id)


@router.get("/resources/{resource_id}/outline", response_model=list[Heading], responses=responses(404),
            summary="章节结构：文件中的全部标题，按顺序（培训者、管理员）")
def resource_outline(resource_id: str, actor: Staff, core: Core) -> Any:
    return core.library.outline(actor, resource_id)


@router.put("/resources/{resource_id}", responses=_UPLOAD_ERRORS, summary="替换为新版本（培训者仅限本人上传的）")
async def replace(resource_id: str, file: Annotated[UploadFile, File()], actor: Staff, core: Core,
                  title: Annotated[str, Form(max_length=200, description=(
                      f"新标题；留空时，{BLANK_TITLE_RULE}"))] = "",
                  kind: Annotated[str | None, Form(max_length=40)] = None,
                  subject: Annotated[str | None, Form(max_length=100)] = None,
                  stage: Annotated[str | None, Form(max_length=100)] = None,
                  tags: Annotated[str | None, Form(max_length=500)] = None) -> Any:
    await run_in_threadpool(core.library.get, actor, resource_id)  # 404 before reading the file
    data = await read_capped(file, _limit(core))
    outcome = await run_in_threadpool(lambda: core.library.replace(
        actor, resource_id, data, file.filename or "upload", title=title, kind=kind, subject=subject, stage=stage,
        tags=_tags(tags)))
    return _respond(outcome, created=False)


@router.delete("/resources/{resource_id}", responses=responses(404), summary="删除资源（培训者仅限本人上传的，管理员不限）")
def delete(resource_id: str, actor: Staff, core: Core) -> dict[str, Any]:
    removed = core.library.delete(actor, resource_id)
    return {"id": resource_id, "deleted": True, "chunks_removed": removed}
