"""Request bodies, checked on the wire before any handler runs: size caps, and JSON the app can answer.

Uploads: Starlette parses a whole multipart body before the handler runs, so a check inside the handler
would come after a 5 GB upload had been written to a temp file. A declared Content-Length over the cap is
refused at once; otherwise bytes are counted as they arrive and the request aborts with 413 the moment
the cap (plus room for the form fields) is passed. The handler then checks the file part itself exactly.

Every other request is a small JSON document, so it is read here, up to its own (much smaller) cap, and
handed on only if it is JSON that could be echoed back: Python's parser accepts ``NaN``, ``Infinity``,
``1e309`` (→ inf) and lone surrogates such as ``"\\ud800"``, which no JSON encoder can write, so the 422
describing them used to fail and become a 500. Such bodies get a 422 with a Chinese message here instead.
(What passes on and still fails validation is described in Chinese by ``errors.validation_error``.)
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from channels.api import openai_wire

FORM_OVERHEAD = 64 * 1024  # multipart boundaries, headers and the small text fields
HTTP_413, HTTP_422 = 413, 422


def too_large_message(limit: int) -> str:
    return f"上传文件过大：单个文件上限为 {limit / (1024 * 1024):.0f} MB"


def body_too_large_message(limit: int) -> str:
    return f"请求体过大：上限为 {limit // 1024} KB"


class BodyTooLarge(HTTPException):
    """An HTTPException so FastAPI's body parsing lets it through as a 413 instead of a generic 400."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(HTTP_413, too_large_message(max_bytes))


class _NonFinite(ValueError):
    pass


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):  # 1e309 parses to inf
        raise _NonFinite(literal)
    return value


def _constant(name: str) -> Any:
    raise _NonFinite(name)  # NaN, Infinity, -Infinity


def json_problem(body: bytes) -> str | None:
    """Why ``body`` is not JSON this API can answer (in Chinese), or None when it is."""
    try:
        text = body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return "请求体不是有效的 UTF-8 编码 JSON"
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_finite)
    except _NonFinite:
        return "请求体含有 JSON 不允许的数值（NaN、Infinity 或超出范围的数字）"
    except json.JSONDecodeError as exc:
        return f"请求体不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列附近有误）"
    except ValueError:  # an integer literal beyond Python's digit limit
        return "请求体中的数字位数过多"
    except RecursionError:
        return "请求体的嵌套层数过多"
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "请求体含有无法编码的字符（孤立的 UTF-16 代理项，如 \\ud800）"
    return None


def _is_json(scope: Scope) -> bool:
    """The content types FastAPI parses as JSON, and so the ones that must pass ``json_problem``."""
    raw = dict(scope.get("headers") or []).get(b"content-type", b"").decode("latin-1")
    media = raw.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def reply(send: Send, status: int, detail: str, headers: Sequence[tuple[bytes, bytes]] = (), *,
                path: str = "") -> None:
    """A JSON error sent straight from middleware; ``connection: close`` so an unread body is not drained.

    On the OpenAI-compatible paths the error is in OpenAI's shape, which their clients parse."""
    if openai_wire.speaks_openai(path):
        status, document = openai_wire.error_status(status), openai_wire.error_body(status, detail)
    else:
        document = {"detail": detail}
    body = json.dumps(document, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *headers]})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, upload_max_bytes: int, json_max_bytes: int,
                 upload_prefix: str | tuple[str, ...] = "/v1/resources") -> None:
        self.app = app
        self.upload_max_bytes = upload_max_bytes
        self.upload_limit = upload_max_bytes + FORM_OVERHEAD
        self.json_max_bytes = json_max_bytes
        self.upload_prefix = upload_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope["path"].startswith(self.upload_prefix) and scope["method"] in ("POST", "PUT"):
            await self._upload(scope, receive, send)
        else:
            await self._small(scope, receive, send)

    async def _small(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the whole (small) body here, refusing it at the cap, then replay it to the app."""
        if _declared(scope) > self.json_max_bytes:
            await reply(send, HTTP_413, body_too_large_message(self.json_max_bytes), path=scope["path"])
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left before finishing its request: nobody to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.json_max_bytes:
                await reply(send, HTTP_413, body_too_large_message(self.json_max_bytes), path=scope["path"])
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body and _is_json(scope) and (problem := json_problem(body)):
            await reply(send, HTTP_422, problem, path=scope["path"])
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _upload(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _declared(scope) > self.upload_limit:
            await reply(send, HTTP_413, too_large_message(self.upload_max_bytes))
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.upload_limit:
                    raise BodyTooLarge(self.upload_max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await reply(send, HTTP_413, too_large_message(self.upload_max_bytes))
        except BaseExceptionGroup as group:  # a task-group middleware further in wrapped it
            if group.subgroup(BodyTooLarge) is None or group.subgroup(lambda e: not isinstance(
                    e, BodyTooLarge | BaseExceptionGroup)) is not None or started:
                raise
            await reply(send, HTTP_413, too_large_message(self.upload_max_bytes))


def _declared(scope: Scope) -> int:
    value = dict(scope.get("headers") or []).get(b"content-length", b"")
    return int(value) if value.isdigit() else 0
