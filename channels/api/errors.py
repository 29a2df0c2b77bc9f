"""The core's typed errors as HTTP responses: one table, one handler, a Chinese ``detail`` every time."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from assistant.errors import CoreError, RateLimited
from channels.api import openai_wire

STATUS: dict[str, int] = {
    "invalid": 422, "not_found": 404, "forbidden": 403, "unauthenticated": 401, "too_large": 413,
    "unsupported": 415, "conflict": 409, "rate_limited": 429, "unavailable": 503, "cancelled": 409,
}
DESCRIPTIONS: dict[int, str] = {
    401: "未登录或令牌无效", 403: "权限不足", 404: "对象不存在", 409: "与当前状态冲突", 413: "过大",
    415: "不支持的文件类型", 422: "请求内容无法处理", 429: "请求过于频繁", 503: "暂不可用",
}


def responses(*codes: int) -> dict[int | str, dict[str, str]]:
    """OpenAPI entries for the error statuses a route can answer with (401 and 403 always)."""
    return {code: {"description": DESCRIPTIONS[code]} for code in sorted({401, 403, *codes})}


def csv_response(text: str, filename: str) -> Response:
    """A CSV export as a download (the text already starts with a BOM for spreadsheet programs)."""
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def core_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CoreError)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    if exc.kind == "unauthenticated":
        headers = {"WWW-Authenticate": "Bearer"}
    status = STATUS.get(exc.kind, 400)
    if openai_wire.speaks_openai(request.url.path):
        body = openai_wire.error_body(status, exc.message, getattr(exc, "openai_code", None))
        return JSONResponse(body, status_code=openai_wire.error_status(status), headers=headers)
    return JSONResponse({"detail": exc.message}, status_code=status, headers=headers)


async def http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's own answer, except on the OpenAI-compatible paths, whose clients expect OpenAI's shape."""
    assert isinstance(exc, HTTPException)
    if not openai_wire.speaks_openai(request.url.path):
        return await http_exception_handler(request, exc)
    message = HTTP_MESSAGES.get(exc.status_code) or (exc.detail if isinstance(exc.detail, str) else "请求无法处理")
    return JSONResponse(openai_wire.error_body(exc.status_code, message), headers=exc.headers,
                        status_code=openai_wire.error_status(exc.status_code))


HTTP_MESSAGES = {405: "不支持该请求方法", 404: "接口不存在"}  # Starlette's own (English) refusals


def install(app: FastAPI) -> None:
    app.add_exception_handler(CoreError, core_error)
    app.add_exception_handler(HTTPException, http_error)
