"""The OpenAI chat-completions wire format: requests in, completions, chunks and errors out.

Any chat client or UI that speaks to OpenAI can talk to the knowledge base, so what goes over the wire
here follows OpenAI's shapes exactly (``chat.completion``, ``chat.completion.chunk``, ``data: [DONE]``,
``{"error": {"message", "type", "code"}}``); what the assistant adds rides along as extra fields that
such clients ignore: ``citations``, ``abstained``, ``verdict``, ``hedged`` (and ``generation`` with a model
configured) on the message, or on the last chunk's delta when streaming.

A conversation becomes a question the way every channel asks one: the last user message is the
question, the user and assistant messages before it are the history. System (and developer) messages
are dropped: answers are grounded in the knowledge base, and a prompt must not be able to change that.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import InvalidInput, NotFound
from channels.plain import sources_block

MODEL_ID = "guopei-assistant"
OWNER = "guopei"
CREATED = 1_764_806_400  # 2025-12-04: when this model id first answered; clients sort models by it
PATHS = ("/v1/chat/completions", "/v1/models")
MAX_MESSAGES = 200
MAX_CONTENT_CHARS = 20_000
MAX_PARTS = 100

# OpenAI's error ``type`` and ``code`` by HTTP status; invalid requests are 400 there, not 422.
_ERRORS: dict[int, tuple[str, str | None]] = {
    400: ("invalid_request_error", None), 401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", "insufficient_permissions"), 404: ("invalid_request_error", "not_found"),
    405: ("invalid_request_error", "method_not_allowed"), 413: ("invalid_request_error", "request_too_large"),
    429: ("rate_limit_error", "rate_limit_exceeded"), 503: ("service_unavailable", "service_unavailable"),
}


def speaks_openai(path: str) -> bool:
    """Whether errors on ``path`` must be in OpenAI's shape (the rest of the API answers ``{"detail"}``)."""
    return any(path == p or path.startswith(p + "/") for p in PATHS)


def error_status(status: int) -> int:
    return 400 if status == 422 else status


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    kind, default = _ERRORS.get(error_status(status), ("server_error" if status >= 500 else "invalid_request_error",
                                                       None))
    return {"error": {"message": message, "type": kind, "param": None, "code": code or default}}


_PROBLEMS = {"missing": "缺少此项", "string_type": "应为字符串", "list_type": "应为数组", "bool_type": "应为 true 或 false",
             "int_type": "应为整数", "int_parsing": "应为整数", "model_type": "应为对象", "dict_type": "应为对象",
             "model_attributes_type": "应为对象", "literal_error": "取值不在允许范围内", "too_long": "过长或条目过多",
             "string_too_long": "过长", "less_than_equal": "超出允许范围", "greater_than_equal": "超出允许范围",
             "json_invalid": "不是有效的 JSON", "union_tag_invalid": "格式不正确"}


# Union and wrapper labels pydantic puts in ``loc`` (str, list[…], constrained-str, function-after[…]): not fields.
_BRANCH = re.compile(r"^(str|int|float|bool|list|dict|tuple|set|none|json-or-python|function-\w+)(\[.*\])?$"
                     r"|^constrained-|\[")


def field_of(loc: Sequence[Any]) -> str:
    """``("body", "messages", 0, "content", "constrained-str")`` → ``messages.0.content``; ``""`` for the body
    itself. The first item says where the value came from (body, query), not which field."""
    parts = [str(x) for x in loc[1:] if not (isinstance(x, str) and _BRANCH.search(x))] if loc else []
    return ".".join(parts)


def describe(errors: Sequence[Any]) -> str:
    """Pydantic's (English) validation errors as one Chinese sentence naming the fields at fault."""
    problems: dict[str, set[str]] = {}
    for error in errors:
        problems.setdefault(field_of(error.get("loc", ())) or "请求体", set()).add(str(error.get("type")))
    parts = []
    for field, kinds in list(problems.items())[:3]:
        if field.endswith(".role"):
            problem = "应为 system、user、assistant 之一"
        elif field.endswith(".content") and kinds & {"too_long", "string_too_long"}:
            problem = f"过长（每条消息不超过 {MAX_CONTENT_CHARS} 字）"
        elif field.endswith(".content"):
            problem = "应为字符串，或 [{\"type\": \"text\", \"text\": …}] 形式的数组"
        else:
            problem = "；".join(sorted({_PROBLEMS.get(kind, "格式不正确") for kind in kinds}))
        parts.append(f"{field}：{problem}")
    more = f"等 {len(problems)} 处" if len(problems) > 3 else ""
    return f"请求内容有误（{'；'.join(parts)}{more}），请按 OpenAI 对话补全接口的格式发送"


# -- requests ---------------------------------------------------------------------------------------
class Part(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str = Field(max_length=64)
    text: str | None = Field(None, max_length=MAX_CONTENT_CHARS)


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls, … are accepted and not used

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: (Annotated[str, Field(max_length=MAX_CONTENT_CHARS)]
              | Annotated[list[Part], Field(max_length=MAX_PARTS)] | None) = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = False


class ChatRequest(BaseModel):
    """What the endpoint reads of a chat-completions request; sampling options and tools are accepted and
    ignored (the knowledge base decides what is said, not a temperature)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "model": MODEL_ID, "messages": [{"role": "user", "content": "国培计划的培训经费如何保障？"}]}]})

    model: str = Field(max_length=200, description=f"模型名，固定为 {MODEL_ID}")
    messages: list[Message] = Field(max_length=MAX_MESSAGES, description="对话消息；最后一条用户消息即问题")
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: int | None = Field(None, ge=1, le=1, strict=True, description="只支持 1")


def text_of(message: Message, index: int) -> str:
    """The text of one message; images, audio and files are refused rather than silently dropped."""
    if message.content is None or isinstance(message.content, str):
        return message.content or ""
    other = sorted({p.type for p in message.content if p.type != "text"})
    if other:
        raise InvalidInput(f"第 {index + 1} 条消息含有不支持的内容类型（{'、'.join(other)}）：本助手只接受文字")
    return "".join(p.text or "" for p in message.content)


def conversation(request: ChatRequest) -> tuple[str, list[dict[str, str]]]:
    """The question (the last user message) and the history (user and assistant messages before it)."""
    if request.model != MODEL_ID:
        raise UnknownModel(request.model)
    if not request.messages:
        raise InvalidInput("messages 不能为空：请至少提供一条用户消息")
    turns = [(i, m) for i, m in enumerate(request.messages) if m.role in ("user", "assistant")]
    texts = [(m.role, text_of(m, i)) for i, m in turns]
    last_user = max((n for n, (role, _) in enumerate(texts) if role == "user"), default=None)
    if last_user is None:
        raise InvalidInput("messages 中没有用户消息：请把问题放在 role 为 user 的消息里")
    history = [{"role": role, "content": text} for role, text in texts[:last_user] if text.strip()]
    return texts[last_user][1], history


class UnknownModel(NotFound):
    openai_code = "model_not_found"  # what OpenAI answers for a model it does not serve

    def __init__(self, model: str) -> None:
        super().__init__(f"模型“{model[:80]}”不存在：本服务只提供 {MODEL_ID}")


# -- responses --------------------------------------------------------------------------------------
def sources(out: dict[str, Any]) -> str:
    """The cited passages as the CLI prints them, after the answer text (a blank line between)."""
    block = sources_block(out)
    return f"\n\n{block}" if block else ""


def extras(out: dict[str, Any]) -> dict[str, Any]:
    """The answer contract's structured part, as extra fields on the message (or the last delta)."""
    fields = {"citations": out["citations"], "abstained": out["abstained"], "verdict": out["verdict"],
              "hedged": out["hedged"]}
    if out.get("generation") is not None:
        fields["generation"] = out["generation"]
    return fields


def usage(prompt: str, completion: str) -> dict[str, int]:
    """Counted in characters (about one token per Chinese character): the assistant has no tokenizer."""
    return {"prompt_tokens": len(prompt), "completion_tokens": len(completion),
            "total_tokens": len(prompt) + len(completion)}


def completion(out: dict[str, Any], prompt: str) -> dict[str, Any]:
    text = out["answer"] + sources(out)
    return {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
            "model": MODEL_ID, "system_fingerprint": None,
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": text, "refusal": None, **extras(out)}}],
            "usage": usage(prompt, text)}


def models() -> dict[str, Any]:
    return {"object": "list", "data": [model()]}


def model() -> dict[str, Any]:
    return {"id": MODEL_ID, "object": "model", "created": CREATED, "owned_by": OWNER}


REPLACED_NOTE = "\n\n——\n更正：以上内容未通过与原文的核对，已撤回；以下是依据原文的回答：\n\n"


class ChunkWriter:
    """One streamed completion: every chunk shares the id and the creation time, as OpenAI's do."""

    def __init__(self, prompt: str, include_usage: bool) -> None:
        self.id = f"chatcmpl-{uuid.uuid4().hex}"
        self.created = int(time.time())
        self.prompt = prompt
        self.include_usage = include_usage
        self.sent = ""

    def chunk(self, delta: dict[str, Any], finish: str | None = None) -> str:
        body = {"id": self.id, "object": "chat.completion.chunk", "created": self.created, "model": MODEL_ID,
                "system_fingerprint": None,
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
        return data(body)

    def start(self) -> str:
        return self.chunk({"role": "assistant", "content": ""})

    def text(self, text: str) -> str:
        self.sent += text
        return self.chunk({"content": text})

    def finish(self, out: dict[str, Any], replaced: bool) -> Iterator[str]:
        """The sources (after the corrected answer when the streamed one was withdrawn), then the extras."""
        tail = (REPLACED_NOTE + out["answer"] if replaced else "") + sources(out)
        if tail:
            yield self.text(tail)
        last = {**extras(out), "replaced": replaced}
        if replaced:  # the whole message as it should read, for clients that can replace what they show
            last["replacement"] = out["answer"] + sources(out)
        yield self.chunk(last, finish="stop")
        if self.include_usage:
            yield data({"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                        "model": MODEL_ID, "system_fingerprint": None, "choices": [],
                        "usage": usage(self.prompt, self.sent)})
        yield DONE


DONE = "data: [DONE]\n\n"


def data(body: dict[str, Any]) -> str:
    return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
