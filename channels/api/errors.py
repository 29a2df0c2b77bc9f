"""Every error the API answers, in one place, with a Chinese ``detail`` every time.

The core's typed errors map to status codes through one table. FastAPI's and Starlette's own refusals --
request validation (``Field required``, ``Input should be a valid string``), an unknown route (``Not
Found``), a wrong method (``Method Not Allowed``) -- are English lists or phrases; they are reworded here
into one Chinese sentence naming the field, route or method, so the README's promise holds for them too.
An unknown path outside the API (``API_PREFIX``) is a console address, answered with the console's page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.utils import is_body_allowed_for_status_code
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from assistant.errors import CoreError, RateLimited
from channels.api import openai_wire

API_PREFIX = "/v1"
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


def is_api(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


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
    """An ``HTTPException``: its own Chinese detail, or for Starlette's bare refusals a Chinese one; on the
    OpenAI-compatible paths in OpenAI's shape, which their clients expect."""
    assert isinstance(exc, HTTPException)
    if openai_wire.speaks_openai(request.url.path):
        message = HTTP_MESSAGES.get(exc.status_code) or (exc.detail if isinstance(exc.detail, str) else "请求无法处理")
        return JSONResponse(openai_wire.error_body(exc.status_code, message), headers=exc.headers,
                            status_code=openai_wire.error_status(exc.status_code))
    if not is_body_allowed_for_status_code(exc.status_code):
        return Response(status_code=exc.status_code, headers=exc.headers)
    return JSONResponse({"detail": http_message(request, exc)}, status_code=exc.status_code, headers=exc.headers)


HTTP_MESSAGES = {405: "不支持该请求方法", 404: "接口不存在"}  # Starlette's own (English) refusals


def http_message(request: Request, exc: HTTPException) -> str:
    """The detail of an ``HTTPException``: a route's own words, or Chinese in place of Starlette's default
    phrase (``Not Found`` for an unknown path, ``Method Not Allowed`` with the methods that are)."""
    try:
        default = HTTPStatus(exc.status_code).phrase
    except ValueError:
        default = ""
    if isinstance(exc.detail, str) and exc.detail and exc.detail != default:
        return exc.detail
    if exc.status_code == 404:
        return f"没有这个接口：{request.method} {request.url.path}（接口列表见 /docs）"
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        return f"接口 {request.url.path} 不支持 {request.method} 请求" + (f"，可用：{allowed}" if allowed else "")
    return f"请求无法处理（{exc.status_code}）：{DESCRIPTIONS.get(exc.status_code, '请检查请求后重试')}"


# -- request validation ----------------------------------------------------------------------------------
_KINDS = {"string_type": "文本", "int_type": "整数", "int_parsing": "整数", "int_from_float": "整数",
          "float_type": "数字", "float_parsing": "数字", "bool_type": "true 或 false", "bool_parsing": "true 或 false",
          "list_type": "数组", "tuple_type": "数组", "set_type": "数组", "dict_type": "JSON 对象",
          "model_type": "JSON 对象", "model_attributes_type": "JSON 对象", "none_required": "null"}
_BOUNDS = {"greater_than_equal": ("ge", "不能小于"), "greater_than": ("gt", "必须大于"),
           "less_than_equal": ("le", "不能大于"), "less_than": ("lt", "必须小于")}
_MAX_PROBLEMS = 3


def _spaced(noun: str) -> str:
    """A space between Chinese and a leading Latin word: 必须是 JSON 对象, 必须是文本."""
    return f" {noun}" if noun[:1].isascii() else noun


def _problem(field: str, error: dict[str, Any], fields: Sequence[str] = ()) -> str:
    kind, ctx = str(error.get("type", "")), error.get("ctx") or {}
    name = f"「{field}」" if field else "请求体"
    if kind == "missing":
        if field == "file":
            return "缺少上传的文件（表单字段「file」）"
        return f"缺少必填字段「{field}」" if field else "缺少请求体"
    if kind == "json_invalid":
        return "请求体不是有效的 JSON"
    if kind in _KINDS:
        return f"{name}必须是{_spaced(_KINDS[kind])}"
    if kind == "string_too_short":
        return f"{name}不能为空" if ctx.get("min_length", 1) <= 1 else f"{name}至少 {ctx['min_length']} 个字"
    if kind == "string_too_long":
        return f"{name}过长：最多 {ctx.get('max_length')} 个字"
    if kind == "too_short":
        return f"{name}至少要有 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"{name}过多：最多 {ctx.get('max_length')} 项"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"{name}{words} {ctx.get(key)}"
    if kind in ("literal_error", "enum"):
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{name}只能是 {'、'.join(options)} 之一" if options else f"{name}的取值不在允许范围内"
    if kind == "extra_forbidden":  # a misspelt field: name the ones the body has, as for filter keys
        listed = f"（可用：{'、'.join(fields)}）" if fields and "." not in field else ""
        return f"不支持字段「{field}」{listed}"
    return f"{name}的格式不正确"


def describe_validation(errors: Sequence[Any], fields: Sequence[str] = ()) -> str:
    """Pydantic's (English) validation errors as one Chinese sentence naming each field at fault.

    A union (``answer``: text or a list of texts) reports one error per branch; they become one problem
    naming what the field may be. A dict key that is not allowed (``filters``) is named as a key, and a
    field the body does not have beside ``fields``, the ones it does."""
    problems: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if "[key]" in loc:
            at = loc.index("[key]")
            field = openai_wire.field_of(loc[:at - 1])
            problem = f"「{field}」不支持键「{loc[at - 1]}」"
            options = re.findall(r"'([^']*)'", str((error.get("ctx") or {}).get("expected", "")))
            problem += f"（可用：{'、'.join(options)}）" if options else ""
            problems.setdefault(f"{field}[key]", []).append(problem)
            continue
        field = openai_wire.field_of(loc)
        kinds.setdefault(field, []).append(str(error.get("type", "")))
        problems.setdefault(field, []).append(_problem(field, error, fields))
    sentences = []
    for field, said in problems.items():
        types = kinds.get(field, [])
        if len(types) > 1 and any(t not in _KINDS for t in types) and any(t in _KINDS for t in types):
            # A union whose value has one branch's type (a text answer too long) is told that branch's
            # problem, not also that it should have been the other branch's type (必须是数组).
            said = [p for p, t in zip(said, types, strict=True) if t not in _KINDS]
        if len(types) > 1 and all(t in _KINDS for t in types):  # the branches of a union
            *some, last = dict.fromkeys(_KINDS[t] for t in types)
            nouns = _spaced(f"{'、'.join(some)}或{last}" if some else last)
            sentences.append(f"「{field}」必须是{nouns}" if field else f"请求体必须是{nouns}")
        else:
            sentences.append("；".join(dict.fromkeys(said)))
    more = f"（共 {len(sentences)} 处问题）" if len(sentences) > _MAX_PROBLEMS else ""
    text = "；".join(sentences[:_MAX_PROBLEMS]) + more or "请求内容无法处理"
    return text.encode("utf-8", "replace").decode("utf-8")  # a key with a lone surrogate must not break JSON


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 with ``detail`` one Chinese sentence instead of pydantic's English list (which also
    echoed the input back, and failed to encode when that input could not be written as JSON)."""
    assert isinstance(exc, RequestValidationError)
    if openai_wire.speaks_openai(request.url.path):
        return JSONResponse(openai_wire.error_body(422, openai_wire.describe(exc.errors())),
                            status_code=openai_wire.error_status(422))
    sent = _not_json(request, exc.errors())
    if sent:  # a form or plain text where JSON belongs: the fix is the header, not a field
        return JSONResponse({"detail": f"请求体须为 JSON（Content-Type: application/json），收到的是「{sent}」"},
                            status_code=415)
    return JSONResponse({"detail": describe_validation(exc.errors(), body_fields(request))}, status_code=422)


def body_fields(request: Request) -> tuple[str, ...]:
    """The fields of the matched route's JSON body model (none for a form or a route without a body)."""
    field = getattr(request.scope.get("route"), "body_field", None)
    model = getattr(getattr(field, "field_info", None), "annotation", None)
    return tuple(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else ()


def _not_json(request: Request, errors: Sequence[Any]) -> str:
    """The declared media type of a body FastAPI did not read as JSON ("" when it was JSON or absent)."""
    sent = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not sent or sent == "application/json" or sent.endswith("+json"):
        return ""
    whole_body = any(tuple(e.get("loc", ())) == ("body",) and e.get("type") in ("model_attributes_type", "dict_type",
                                                                                 "model_type") for e in errors)
    return sent[:100] if whole_body else ""


_ERROR_SCHEMA = {"title": "HTTPValidationError", "type": "object", "required": ["detail"],
                 "properties": {"detail": {"title": "Detail", "type": "string", "description": "中文说明，指出有误的字段"}}}


def install(app: FastAPI, *, page_not_found: Callable[[Request], Response]) -> None:
    """``page_not_found`` answers an unknown path outside the API: a person typed a console address wrong
    and should see a page with a way back, while an API client keeps its JSON 404."""

    async def http_error_or_page(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404 and not is_api(request.url.path):
            return page_not_found(request)
        return await http_error(request, exc)

    app.add_exception_handler(CoreError, core_error)
    app.add_exception_handler(HTTPException, http_error_or_page)
    app.add_exception_handler(RequestValidationError, validation_error)
    document = app.openapi

    def openapi() -> dict[str, Any]:
        """The generated document, with FastAPI's validation error (a list) described as what is sent."""
        schema = document()
        schemas = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" in schemas:
            schemas["HTTPValidationError"] = _ERROR_SCHEMA
            schemas.pop("ValidationError", None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
