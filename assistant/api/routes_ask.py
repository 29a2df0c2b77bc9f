"""Questions and hit testing — thin wrappers over ``Assistant.ask`` and ``Assistant.search``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.auth import ANY_ROLE, User, require
from assistant.api.deps import AssistantDep, CompanionDep, LimiterDep
from assistant.api.views import suggested_tasks
from assistant.service import QuestionError, contract

HTTP_422 = 422  # named here: starlette renamed the constant between versions
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

    # The length rule with its Chinese message lives in the service; this only bounds what we parse.
    question: str = Field(max_length=20000, description="问题")
    history: list[Turn] = Field(default_factory=list, max_length=20, description="此前的对话，用于理解追问")
    k: int | None = Field(None, ge=1, le=50, description="检索条数")
    filters: dict[FilterKey, FilterValue] | None = Field(
        None, description="元数据过滤，如 {\"kind\": \"policy\"}；值为列表时表示“属于其中之一”")
    with_tasks: bool = Field(False, description="同时返回据本回答生成的学习任务（一道客观题、一道反思题）")


class SearchRequest(BaseModel):
    query: str = Field(max_length=20000, description="检索内容")
    k: int | None = Field(None, ge=1, le=50)
    filters: dict[FilterKey, FilterValue] | None = None


class Citation(BaseModel):
    marker: int
    chunk_id: str
    doc_id: str
    title: str
    doc_number: str
    section: str
    text: str
    score: float


class Passage(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str
    score: float


class AskResponse(BaseModel):
    answer: str
    abstained: bool = Field(description="为 true 时表示知识库不能回答这个问题（没有找到，或文件未作规定）")
    verdict: Literal["answered", "not_specified", "not_found"] = Field(
        description="answered：引文回答了问题；not_specified：文件涉及该话题但没有规定所问内容（附相关原文）；"
                    "not_found：知识库中没有相关内容")
    citations: list[Citation]
    retrieved: list[Passage]
    tasks: list[dict[str, Any]] | None = Field(None, description="仅在 with_tasks 为 true 时出现；拒答时为空列表")


class SearchResponse(BaseModel):
    query: str
    results: list[Passage]


def where(filters: dict[str, Any] | None) -> dict[str, Any] | None:
    """API filters → the store's ``where``; lists become ``$in`` (the only operator exposed)."""
    if not filters:
        return None
    return {key: {"$in": value} if isinstance(value, list) else value for key, value in filters.items()}


def rate_limited(user: Annotated[User, Depends(require(*ANY_ROLE))], limiter: LimiterDep) -> User:
    wait = limiter.hit(user.id)
    if wait:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            f"提问过于频繁：每分钟最多 {limiter.limit} 次，请 {wait} 秒后再试",
                            headers={"Retry-After": str(wait)})
    return user


AskingUser = Annotated[User, Depends(rate_limited)]

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "未登录或令牌无效"}, 403: {"description": "权限不足"},
    422: {"description": "问题无法处理（为空、过长等）"}, 429: {"description": "提问过于频繁"},
}


@router.post("/ask", response_model=AskResponse, response_model_exclude_none=True, responses=_ERRORS,
             summary="提问（教师、培训者、管理员）")
def ask(body: AskRequest, user: AskingUser, assistant: AssistantDep, companion: CompanionDep) -> dict[str, Any]:
    history = [t.model_dump() for t in body.history]
    try:
        answer = assistant.answer(body.question, history, body.k, where(body.filters))
    except QuestionError as exc:
        raise HTTPException(HTTP_422, str(exc)) from exc
    result = contract(answer)
    if body.with_tasks:
        result["tasks"] = suggested_tasks(companion, answer)
    return result


@router.post("/search", response_model=SearchResponse, responses=_ERRORS,
             summary="检索测试：排序后的文本块及得分（教师、培训者、管理员）")
def search(body: SearchRequest, user: AskingUser, assistant: AssistantDep) -> dict[str, Any]:
    try:
        return {"query": body.query, "results": assistant.search(body.query, body.k, where(body.filters))}
    except QuestionError as exc:
        raise HTTPException(HTTP_422, str(exc)) from exc
