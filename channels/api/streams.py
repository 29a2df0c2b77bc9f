"""Server-sent events for answers that arrive piece by piece, and what a failure mid-stream says.

Once a streamed response has started its status is sent, so an error can no longer be a 4xx or 5xx: it
becomes the stream's last event, with a message a teacher can read. Typed core errors keep their own
message; anything else is logged here and reported in general terms (no internals on the wire).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi.responses import StreamingResponse

from assistant.errors import CoreError

log = logging.getLogger(__name__)
FAILED = "生成回答时出错，请稍后重试"
HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # no proxy may hold the pieces back


def sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def failure_message(exc: Exception) -> str:
    if isinstance(exc, CoreError):
        return exc.message
    log.exception("streamed answer failed")
    return FAILED


def event_stream(lines: Any) -> StreamingResponse:
    return StreamingResponse(lines, media_type="text/event-stream", headers=HEADERS)
