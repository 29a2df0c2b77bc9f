"""The assistant as an OpenAI-compatible model: ``GET /v1/models`` and ``POST /v1/chat/completions``.

HTTP in, ``usecases.asking`` out, like ``/v1/ask``: the same bearer tokens and roles, the same rate
limit, history window and answer. Only the wire format differs (``channels.api.openai_wire``). Streaming
follows ``Asking.stream``: checked pieces as content chunks, then the sources and the structured answer on
the last chunk. OpenAI's stream cannot take back what was sent, so when a generated answer is withdrawn
after some of it was shown (it failed the check as a whole), the last content chunk says so and carries
the corrected answer in full, and the last chunk has ``replaced: true`` and the whole corrected message as
``replacement``: a client that knows the fields shows that alone, any other client shows the withdrawal
and the correction below it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter

from assistant.usecases.asking import Answered, StreamEvent
from channels.api import openai_wire as wire
from channels.api.auth import Anyone
from channels.api.deps import Core
from channels.api.streams import event_stream, failure_message

router = APIRouter(prefix="/v1", tags=["OpenAI 兼容"])
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text} for code, text in ((400, "请求内容无法处理（OpenAI 错误格式）"),
                                                   (401, "未登录或令牌无效"), (403, "权限不足"),
                                                   (404, "模型不存在"), (429, "请求过于频繁"))}


@router.get("/models", summary="模型列表：本助手作为一个 OpenAI 兼容模型（教师、培训者、管理员）", responses=ERRORS)
def list_models(actor: Anyone) -> dict[str, Any]:
    return wire.models()


@router.get("/models/{model_id}", summary="模型详情", responses=ERRORS)
def get_model(model_id: str, actor: Anyone) -> dict[str, Any]:
    if model_id != wire.MODEL_ID:
        raise wire.UnknownModel(model_id)
    return wire.model()


@router.post("/chat/completions", responses=ERRORS,
             summary="OpenAI 兼容的对话补全：最后一条用户消息为问题，回答带引文（支持 stream）")
def chat_completions(body: wire.ChatRequest, actor: Anyone, core: Core) -> Any:
    question, history = wire.conversation(body)
    prompt = question + "".join(t["content"] for t in history)
    if not body.stream:
        return wire.completion(core.asking.ask(actor, question, history), prompt)
    events = core.asking.ask_stream(actor, question, history)  # refusals (429, 400) happen here, before the stream
    include_usage = body.stream_options is not None and body.stream_options.include_usage
    return event_stream(_chunks(events, wire.ChunkWriter(prompt, include_usage)))


def _chunks(events: Iterator[StreamEvent], writer: wire.ChunkWriter) -> Iterator[str]:
    yield writer.start()
    try:
        for event in events:
            if isinstance(event, Answered):
                if event.rest:
                    yield writer.text(event.rest)
                yield from writer.finish(event.answer, event.replaced)
                return
            yield writer.text(event.text)
    except Exception as exc:  # the status is sent: the error is the stream's last event, as OpenAI sends it
        yield wire.data(wire.error_body(500, failure_message(exc)))
