"""Questions and hit testing: HTTP in, ``usecases.asking`` out."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from assistant.contract import AnswerContract, SearchContract
from assistant.tuning import HISTORY_MESSAGES
from channels.api.auth import Anyone
from channels.api.deps import Core
from channels.api.errors import responses

router = APIRouter(prefix="/v1", tags=["问答"])

FilterKey = Literal["doc_id", "kind", "subject", "stage", "year", "doc_number", "title", "source"]
# Chroma wants an $in list of one type, and 64-bit ints; mixed lists would otherwise surface as a 500.
Text = Annotated[str, Field(max_length=200)]
Number = Annotated[int, Field(ge=0, le=100_000)]
FilterValue = (Text | Number | Annotated[list[Text], Field(min_length=1, max_length=50)]
               | Annotated[list[Number], Field(min_length=1, max_length=50)])


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=4000)


class AskRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"question": "国培计划的培训经费如何保障？"}]})

    # The length rule with its Chinese message lives in the core; this only bounds what we parse.
    question: str = Field(max_length=20000, description="问题")
    history: list[Turn] = Field(default_factory=list, max_length=HISTORY_MESSAGES,
                                description="此前的对话（用户与助手的消息），用于理解追问")
    k: int | None = Field(None, ge=1, le=50, description="检索条数")
    filters: dict[FilterKey, FilterValue] | None = Field(
        None, description="元数据过滤，如 {\"kind\": \"policy\"}；值为列表时表示“属于其中之一”")
    with_tasks: bool = Field(False, description="同时返回据本回答生成的学习任务（一道客观题、一道反思题）")


class SearchRequest(BaseModel):
    query: str = Field(max_length=20000, description="检索内容")
    k: int | None = Field(None, ge=1, le=50)
    filters: dict[FilterKey, FilterValue] | None = None


class AskResponse(AnswerContract):
    tasks: list[dict[str, Any]] | None = Field(None, description="仅在 with_tasks 为 true 时出现；拒答时为空列表")


@router.post("/ask", response_model=AskResponse, response_model_exclude_none=True, responses=responses(422, 429),
             summary="提问（教师、培训者、管理员）")
def ask(body: AskRequest, actor: Anyone, core: Core) -> dict[str, Any]:
    return core.asking.ask(actor, body.question, [t.model_dump() for t in body.history], k=body.k,
                           filters=body.filters, with_tasks=body.with_tasks)


@router.post("/search", response_model=SearchContract, responses=responses(422, 429),
             summary="检索测试：排序后的文本块及得分（教师、培训者、管理员）")
def search(body: SearchRequest, actor: Anyone, core: Core) -> dict[str, Any]:
    return {"query": body.query, "results": core.asking.search(actor, body.query, k=body.k, filters=body.filters)}
