"""The trainer's desk: upload with progress, the resource list, replace and delete, chunks, hit testing, and
the anonymous comments on the trainer's own uploads (an admin reads every comment on the overview instead).

Uploads are multipart posts to ``/library/files`` (an upload path, so the body cap is the upload cap);
the page script sends them with a progress bar and then follows the indexing job, and the same form
works without the script. Replacing and deleting go through a confirmation page, so neither happens
on one stray click or key press.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from assistant.errors import TooLarge
from assistant.resource_files import Upload
from assistant.resources import Outcome
from channels.web.console import ConsoleRoute, Staff, Visit
from channels.web.markup import comment_pages

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
UPLOAD_PATH = "/library/files"
_READ = 64 * 1024
Short = Annotated[str, Form(max_length=200)]


async def _read(visit: Visit, file: UploadFile) -> bytes:
    """The file's bytes, refused as soon as they pass the upload cap."""
    limit = visit.console.services.usecases.library.max_bytes
    parts, size = [], 0
    while chunk := await file.read(_READ):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"上传文件过大：单个文件上限为 {limit / (1024 * 1024):.0f} MB")
        parts.append(chunk)
    return b"".join(parts)


def _outcome(visit: Visit, outcome: Outcome, verb: str) -> Response:
    """The page (or, for the page script, JSON) after an upload or a replacement: indexed on the spot, it
    shows the document's outline, every heading in order, as the command line and the bot do."""
    row = outcome.resource
    body = {"resource": {k: row.get(k) for k in ("id", "title", "version", "chunks", "status", "error")},
            "job": None if outcome.job is None else {k: outcome.job.get(k) for k in ("id", "status", "progress",
                                                                                       "stage")},
            "outline": outcome.outline or [], "notes": list(outcome.notes)}
    if visit.wants_json:
        return visit.json(body, 202 if outcome.job else 200)
    if outcome.job:
        return _library(visit, message=f"已{verb}《{row['title']}》：正在后台建立索引，可在下方查看进度")
    return _library(visit, message=_indexed(verb, row), shown=row, outline=outcome.outline or [],
                    notes=outcome.notes)


def _indexed(verb: str, row: dict[str, Any]) -> str:
    return f"已{verb}《{row['title']}》：第 {row['version']} 版，{row['chunks']} 个文本块"


def _library(visit: Visit, offset: int = 0, target: str | None = None, **context: Any) -> Response:
    assert visit.actor is not None
    core = visit.console.services.usecases
    jobs = [j for j in core.admin.jobs(visit.actor, limit=20) if j["kind"] == "index"]
    resources = core.library.list(visit.actor)
    # A finished job says what it did to which resource, not its last stage again (上传 · 失败 · 5% 失败).
    titles = {r["id"]: r["title"] for r in resources}
    comments = pages = None
    if not visit.actor.is_admin:
        comments = core.learning.feedback_comments(visit.actor, offset=offset, target=target)
        pages = comment_pages("/library", comments, target)
    return visit.render("library.html", resources=resources, jobs=jobs, titles=titles,
                        max_bytes=core.library.max_bytes, comments=comments, pages=pages, **context)


@router.get("/library")
def library(visit: Staff, offset: int = 0, target: Annotated[str | None, Query(max_length=200)] = None,
            shown: str = "") -> Response:
    """Resources and jobs; for a trainer also the comments on their uploads (``offset`` pages through them).
    ``shown``: the resource the page script just uploaded, whose outline the page then shows."""
    assert visit.actor is not None
    library = visit.console.services.usecases.library
    row = next((r for r in library.list(visit.actor) if r["id"] == shown and r["status"] == "ready"), None) \
        if shown else None
    if row is None:
        return _library(visit, offset, target)
    return _library(visit, offset, target, message=_indexed("上传", row), shown=row,
                    outline=library.outline(visit.actor, shown))


@router.post(UPLOAD_PATH)
async def upload(visit: Staff, file: Annotated[UploadFile, File()], title: Short = "",
                 subject: Short = "", stage: Short = "") -> Response:
    assert visit.actor is not None
    item = Upload(await _read(visit, file), file.filename or "upload", title, "resource", subject.strip(),
                  stage.strip())
    outcome = await run_in_threadpool(visit.console.services.usecases.library.upload, visit.actor, item)
    return _outcome(visit, outcome, "上传")


@router.get("/library/jobs/{job_id}")
def job(job_id: str, visit: Staff) -> Response:
    assert visit.actor is not None
    state = visit.console.services.usecases.admin.job(visit.actor, job_id)
    if visit.wants_json:
        return visit.json(state)
    return _library(visit)


@router.get("/library/{rid}")
def chunks(rid: str, visit: Staff) -> Response:
    """The chunk browser: the live version's chunks in order, grouped by their sections, beside the
    document's outline."""
    assert visit.actor is not None
    library = visit.console.services.usecases.library
    resource = library.get(visit.actor, rid)
    items = library.chunks(visit.actor, rid)
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for chunk in items:
        groups.setdefault(chunk["section"] or "（无标题）", []).append(chunk)
    # The outline is every heading of the document, each linked to the chunk it is in: grouping chunks by
    # their one label each lost the first of two short parts sharing a chunk.
    anchors = {c["ordinal"]: c["chunk_id"] for c in items}
    return visit.render("chunks.html", resource=resource, chunks=items, groups=groups, anchors=anchors,
                        outline=library.outline(visit.actor, rid))


@router.get("/library/{rid}/replace")
def replace_page(rid: str, visit: Staff) -> Response:
    assert visit.actor is not None
    return visit.render("confirm.html", resource=visit.console.services.usecases.library.changeable(visit.actor, rid),
                        action="replace")


@router.post(UPLOAD_PATH + "/{rid}")
async def replace(rid: str, visit: Staff, file: Annotated[UploadFile, File()], title: Short = "") -> Response:
    assert visit.actor is not None
    library = visit.console.services.usecases.library
    await run_in_threadpool(library.get, visit.actor, rid)  # 404 before reading the file
    data = await _read(visit, file)
    outcome = await run_in_threadpool(lambda: library.replace(visit.actor, rid, data, file.filename or "upload",
                                                              title=title))
    return _outcome(visit, outcome, "替换")


@router.get("/library/{rid}/delete")
def delete_page(rid: str, visit: Staff) -> Response:
    assert visit.actor is not None
    return visit.render("confirm.html", resource=visit.console.services.usecases.library.changeable(visit.actor, rid),
                        action="delete")


@router.post("/library/{rid}/delete")
def delete(rid: str, visit: Staff) -> Response:
    assert visit.actor is not None
    library = visit.console.services.usecases.library
    title = library.get(visit.actor, rid)["title"]
    removed = library.delete(visit.actor, rid)
    return _library(visit, message=f"已删除《{title}》及其 {removed} 个文本块")


@router.get("/probe")
def probe_page(visit: Staff) -> Response:
    return visit.render("probe.html", result=None, question="")


@router.post("/probe")
async def probe(visit: Staff, question: Annotated[str, Form(max_length=20000)] = "") -> Response:
    assert visit.actor is not None
    result = await run_in_threadpool(visit.console.services.usecases.probing.hit_test, visit.actor, question)
    return visit.render("probe.html", result=result, question=question, aid="probe")
