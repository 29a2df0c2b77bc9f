"""Upload size cap enforced on the wire, before a multipart body is spooled to disk.

Starlette parses a whole multipart body before the handler runs, so a check inside the handler would
come after a 5 GB upload had been written to a temp file. This ASGI middleware refuses a declared
Content-Length over the cap at once, and otherwise counts bytes as they arrive and aborts with 413 the
moment the cap (plus room for the form fields) is passed. The handler then checks the file part itself
exactly, reading it in chunks.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM_OVERHEAD = 64 * 1024  # multipart boundaries, headers and the small text fields


def too_large_message(limit: int) -> str:
    return f"上传文件过大：单个文件上限为 {limit / (1024 * 1024):.0f} MB"


class BodyTooLarge(HTTPException):
    """An HTTPException so FastAPI's body parsing lets it through as a 413 instead of a generic 400."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, too_large_message(max_bytes))


class UploadLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int, prefix: str = "/v1/resources") -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limit = max_bytes + FORM_OVERHEAD
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix) \
                or scope["method"] not in ("POST", "PUT"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._reject(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._reject(send)
        except BaseExceptionGroup as group:  # a task-group middleware further in wrapped it
            if group.subgroup(BodyTooLarge) is None or group.subgroup(lambda e: not isinstance(
                    e, BodyTooLarge | BaseExceptionGroup)) is not None or started:
                raise
            await self._reject(send)

    async def _reject(self, send: Send) -> None:
        body = json.dumps({"detail": too_large_message(self.max_bytes)}, ensure_ascii=False).encode()
        headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                              (b"connection", b"close")]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
