"""Questions and hit testing: HTTP in, ``usecases.asking`` out.

``POST /v1/ask/stream`` is ``/v1/ask`` as server-sent events: ``delta`` events with checked text pieces
(``{"text": …}``), then one ``answer`` event with exactly the JSON ``/v1/ask`` returns, then the stream
ends. Joined, the deltas are the answer's text, except after a ``replaced`` event: the generated text
shown so far was withdrawn (it failed the check as a whole) and the ``answer`` event's text replaces it.
A failure after the stream started is an ``error`` event (``{"detail": …}``) in place of ``answer``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import ConfigDict, Field

from assistant.contract import AnswerContract, SearchContract
from assistant.tuning import HISTORY_MESSAGES
from assistant.usecases.asking import Answered, StreamEvent
from channels.api.auth import Anyone
from channels.api.bodies import RequestBody
from channels.api.deps import Core
from channels.api.errors import responses
from channels.api.streams import event_stream, failure_message, sse

router = APIRouter(prefix="/v1", tags=["问答"])

FilterKey = Literal["doc_id", "kind", "subject", "stage", "year", "doc_number", "title", "source"]
# Chroma wants an $in list of one type, and 64-bit ints; mixed lists would otherwise surface as a 500.
# Every integer in a request body is strict: pydantic would otherwise read "5" as 5 and true as 1, so a
# client's mistake would pass unnoticed instead of being told 「k」必须是整数.
Text = Annotated[str, Field(max_length=200)]
Number = Annotated[int, Field(ge=0, le=100_000, strict=True)]
FilterValue = (Text | Number | Annotated[list[Text], Field(min_length=1, max_length=50)]
               | Annotated[list[Number], Field(min_length=1, max_length=50)])


class Turn(RequestBody):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=4000)


class AskRequest(RequestBody):
    model_config = ConfigDict(json_schema_extra={"examples": [{"question": "国培计划的培训经费如何保障？"}]})

    id: Annotated[str, Field(max_length=200)] | Annotated[int, Field(strict=True)] | None = Field(
        None, description="调用方给这个问题的编号，原样作为回答的 id 返回（与命令行批量的 id 相同）")
    # The length rule with its Chinese message lives in the core; this only bounds what we parse.
    question: str = Field(max_length=20000, description="问题")
    history: list[Turn] = Field(default_factory=list, max_length=HISTORY_MESSAGES,
                                description="此前的对话（用户与助手的消息），用于理解追问")
    k: int | None = Field(None, ge=1, le=50, strict=True, description="检索条数")
    filters: dict[FilterKey, FilterValue] | None = Field(
        None, description="元数据过滤，如 {\"kind\": \"policy\"}；值为列表时表示“属于其中之一”")
    with_tasks: bool = Field(False, strict=True, description="同时返回据本回答生成的学习任务（一道客观题、一道反思题）")


class SearchRequest(RequestBody):
    query: str = Field(max_length=20000, description="检索内容")
    k: int | None = Field(None, ge=1, le=50, strict=True)
    filters: dict[FilterKey, FilterValue] | None = None


class AskResponse(AnswerContract):
    tasks: list[dict[str, Any]] | None = Field(None, description="仅在 with_tasks 为 true 时出现；拒答时为空列表")


# Unset, not None, is what is left out: ``tasks`` appears only when asked for, while ``id`` and ``generation``
# are always there (null when not given or no model is configured), as ``guopei ask --json`` prints them.
@router.post("/ask", response_model=AskResponse, response_model_exclude_unset=True, responses=responses(422, 429),
             summary="提问（教师、培训者、管理员）")
def ask(body: AskRequest, actor: Anyone, core: Core) -> dict[str, Any]:
    return core.asking.ask(actor, body.question, [t.model_dump() for t in body.history], k=body.k,
                           filters=body.filters, with_tasks=body.with_tasks, request_id=body.id)


@router.post("/ask/stream", responses={**responses(422, 429), 200: {
    "content": {"text/event-stream": {}}, "description": "事件流：delta（文字片段）……answer（完整回答，同 /v1/ask）"}},
    summary="提问，以服务器推送事件（SSE）逐段返回（教师、培训者、管理员）")
def ask_stream(body: AskRequest, actor: Anyone, core: Core) -> Any:
    events = core.asking.ask_stream(actor, body.question, [t.model_dump() for t in body.history], k=body.k,
                                    filters=body.filters, with_tasks=body.with_tasks,
                                    request_id=body.id)  # refusals happen here
    return event_stream(_ask_events(events))


REPLACED = "上面显示的内容未通过与原文的核对，已撤回，请以随后的完整回答为准"


def _ask_events(events: Iterator[StreamEvent]) -> Iterator[str]:
    try:
        for event in events:
            if isinstance(event, Answered):
                if event.replaced:
                    yield sse("replaced", {"detail": REPLACED})
                if event.rest:
                    yield sse("delta", {"text": event.rest})
                yield sse("answer", AskResponse.model_validate(event.answer).model_dump(mode="json", exclude_unset=True))
                return
            yield sse("delta", {"text": event.text})
    except Exception as exc:  # the 200 is sent: the failure is the last event
        yield sse("error", {"detail": failure_message(exc)})


@router.post("/search", response_model=SearchContract, responses=responses(422, 429),
             summary="检索测试：排序后的文本块及得分（教师、培训者、管理员）")
def search(body: SearchRequest, actor: Anyone, core: Core) -> dict[str, Any]:
    return {"query": body.query, "results": core.asking.search(actor, body.query, k=body.k, filters=body.filters)}
