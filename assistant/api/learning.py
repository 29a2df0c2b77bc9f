"""Companion learning over HTTP: next step, quizzes, graded answers with credit, progress, plans, feedback.

Every API user is a teacher record through the channel ``api`` (external id = the API user's id), so a
trainer or admin can study too. Handlers only translate HTTP to ``Companion`` and ``Records`` calls;
grading, crediting and planning live there, shared with the CLI and the bots.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, Field

from assistant.api.auth import ANY_ROLE, User, require
from assistant.api.deps import CompanionDep
from assistant.api.routes_ask import AskingUser
from assistant.api.views import public_task
from assistant.companion import Companion, CompanionError, NotAnAnswer
from assistant.records import Plan, Teacher
from assistant.records.teachers import validate_profile
from assistant.service import QuestionError

HTTP_422 = 422  # named here: starlette renamed the constant between versions
CHANNEL = "api"
router = APIRouter(prefix="/v1", tags=["学习"])

TopicId = Annotated[str, Field(min_length=1, max_length=300)]
_ERRORS: dict[int | str, dict[str, Any]] = {401: {"description": "未登录或令牌无效"},
                                            403: {"description": "权限不足"}}


def _me(user: Annotated[User, Depends(require(*ANY_ROLE))], companion: CompanionDep) -> Teacher:
    return companion.teacher(CHANNEL, str(user.id), user.name)


Me = Annotated[Teacher, Depends(_me)]


class QuizRequest(BaseModel):
    question: str | None = Field(None, max_length=20000, description="就这个问题的回答出题")
    topic: str | None = Field(None, max_length=20000, description="或按主题检索原文出题")
    limit: int = Field(6, ge=1, le=10, description="最多几道题")


class AnswerRequest(BaseModel):
    answer: Annotated[str, Field(max_length=4000)] | Annotated[
        list[Annotated[str, Field(max_length=500)]], Field(max_length=20)] = Field(
        description="作答：单选、填空、判断、主观题为文字；多选可为选项列表")


class PlanUpdate(BaseModel):
    stage: str | None = Field(None, max_length=64, description="发展阶段：新任、青年、骨干、名师、培训者、名校长")
    subject: str | None = Field(None, max_length=64, description="任教学科")
    school_level: str | None = Field(None, max_length=64, description="学段：幼儿园、小学、初中、高中、中职")
    weeks: int | None = Field(None, ge=1, le=52, description="计划周数；改变则重排计划")
    pick: list[TopicId] = Field(default_factory=list, max_length=50, description="优先学习的主题编号（按先后）")
    drop: list[TopicId] = Field(default_factory=list, max_length=50, description="不再安排的主题编号")


class FeedbackRequest(BaseModel):
    target_kind: Literal["answer", "training", "resource"] = Field(description="评价对象：回答、培训项目或资源")
    target_ref: str = Field(min_length=1, max_length=200, description="对象编号，如回答引用的章节、资源编号")
    rating: int = Field(ge=1, le=5, description="1–5 分")
    comment: str = Field("", max_length=1000, description="意见（可选；手机号、邮箱等会被隐去）")


class AnswerResult(BaseModel):
    correct: bool
    score: float
    feedback: str
    practice: bool = Field(description="此前已作答过本题：只批改，不计学时学分")
    credits_awarded: float
    balance: float
    hours_awarded: float
    hours_balance: float
    objective: bool
    answer: str | list[str] = Field(description="答案（开放题为参考要点），作答后才公布")
    rubric: list[str] = Field(description="评分要点（开放题），作答后才公布")
    source: dict[str, str] = Field(description="出处与原文，作答后才公布")


@router.get("/tasks/next", responses=_ERRORS, summary="下一步学习：到期复习、薄弱主题或计划当日主题，附学习任务")
def next_tasks(teacher: Me, companion: CompanionDep) -> dict[str, Any]:
    step, tasks = companion.what_next(teacher.id)
    return {"step": step.as_dict(), "tasks": [public_task(t) for t in tasks]}


@router.post("/quiz", responses={**_ERRORS, 422: {"description": "未提供问题或主题，或问题无法处理"},
                                 429: {"description": "请求过于频繁"}},
             summary="出题：就某个问题的回答或某个主题的原文生成学习任务")
def quiz(body: QuizRequest, user: AskingUser, companion: CompanionDep) -> dict[str, Any]:
    if not (body.question or "").strip() and not (body.topic or "").strip():
        raise HTTPException(HTTP_422, "请提供问题（question）或主题（topic）之一")
    try:
        tasks = companion.quiz(question=body.question or None, topic=body.topic or None, limit=body.limit)
    except QuestionError as exc:
        raise HTTPException(HTTP_422, str(exc)) from exc
    return {"tasks": [public_task(t) for t in tasks]}


@router.post("/tasks/{task_id}/answer", response_model=AnswerResult,
             responses={**_ERRORS, 404: {"description": "没有该学习任务"},
                        422: {"description": "无法识别的作答（空白、选项不存在、过短），不记录"}},
             summary="作答并评分；只有首次作答答对才记入学时学分，之后为练习；答错安排复习")
def answer(task_id: str, body: AnswerRequest, teacher: Me, companion: CompanionDep) -> dict[str, Any]:
    try:
        return companion.answer_task(teacher.id, task_id, body.answer)
    except CompanionError as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from exc
    except NotAnAnswer as exc:
        raise HTTPException(HTTP_422, str(exc)) from exc


@router.get("/me/progress", responses=_ERRORS, summary="我的学习进度：作答、正确率、连续天数、学时学分、薄弱环节")
def progress(teacher: Me, companion: CompanionDep) -> dict[str, Any]:
    return companion.progress(teacher.id)


@router.get("/me/plan", responses=_ERRORS, summary="我的研修计划（首次访问时按资料生成）")
def get_plan(teacher: Me, companion: CompanionDep) -> dict[str, Any]:
    return companion.plan(teacher.id).to_dict()


@router.put("/me/plan", responses={**_ERRORS, 422: {"description": "资料或主题无效"}},
            summary="修改资料、周数，或选入 / 移除主题；资料或周数改变时重排计划")
def put_plan(body: PlanUpdate, teacher: Me, companion: CompanionDep) -> dict[str, Any]:
    try:
        return update_plan(companion, teacher, body).to_dict()
    except ValueError as exc:
        raise HTTPException(HTTP_422, str(exc)) from exc


def update_plan(companion: Companion, teacher: Teacher, body: PlanUpdate) -> Plan:
    """Everything is validated before anything is written, so a 422 leaves profile and plan as they were."""
    profile = validate_profile(body.model_dump(include={"stage", "subject", "school_level"}, exclude_none=True))
    plan = companion.plan(teacher.id)
    known = {t.id for t in plan.topics}
    for topic_id in (*body.pick, *body.drop):
        if topic_id not in known:
            raise ValueError(f"计划中没有主题“{topic_id}”，请从可选主题中选择")
    if set(body.pick) & set(body.drop):
        raise ValueError("同一主题不能既选入又移除")
    plans = companion.records.plans
    weeks = body.weeks or plan.weeks
    if profile:
        companion.records.teachers.update_profile(teacher.id, **profile)
    if weeks != plan.weeks or any(plan.profile.get(k, "") != v for k, v in profile.items()):
        old = plan
        plan = companion.plan(teacher.id, weeks=weeks, rebuild=True)
        known = {t.id for t in plan.topics}
        for topic_id in reversed(old.picked):  # pick() puts a topic first, so replay from the last
            if topic_id in known:
                plan = plans.pick(teacher.id, topic_id)
        for topic_id in old.dropped:
            if topic_id in known:
                plan = plans.drop(teacher.id, topic_id)
    for topic_id in reversed(body.pick):
        plan = plans.pick(teacher.id, topic_id)
    for topic_id in body.drop:
        plan = plans.drop(teacher.id, topic_id)
    return plan


@router.post("/feedback", status_code=status.HTTP_201_CREATED,
             responses={**_ERRORS, 422: {"description": "评价内容无效"}},
             summary="匿名评价回答、培训或资源（不记录评价人）")
def feedback(body: FeedbackRequest, user: Annotated[User, Depends(require(*ANY_ROLE))],
             companion: CompanionDep) -> dict[str, str]:
    # ``user`` only gates access: nothing about who rated is passed to the store.
    try:
        period = companion.records.feedback.submit(body.target_kind, body.target_ref, body.rating, body.comment,
                                                   channel_kind=CHANNEL)
    except ValueError as exc:
        raise HTTPException(HTTP_422, str(exc)) from exc
    return {"period": period}


@router.get("/feedback/summary", responses=_ERRORS, summary="匿名评价汇总（仅管理员）")
def feedback_summary(user: Annotated[User, Depends(require("admin"))], companion: CompanionDep) -> dict[str, Any]:
    return companion.records.feedback.aggregate()
