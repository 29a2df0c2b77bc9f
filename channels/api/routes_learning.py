"""Companion learning over HTTP: next step, quizzes, graded answers with credit, progress, plans, feedback.

Every API user is a teacher record through the channel ``api`` (external id = the API user's id), so a
trainer or admin can study too; ``/v1/me/…`` is one's own record, ``/v1/teachers/{who}/…`` a teacher's as
staff read it (named as ``usecases.learners`` reads names, like the command line's ``--user``). Handlers only
translate HTTP to ``usecases.learning``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from assistant.records import SUBJECTS
from assistant.records.feedback import COMMENTS_LIMIT, MAX_COMMENTS_LIMIT
from assistant.roles import Actor
from assistant.tuning import HISTORY_MESSAGES
from channels.api.auth import Learner, require
from channels.api.bodies import RequestBody
from channels.api.deps import Core
from channels.api.errors import csv_response, responses
from channels.api.routes_ask import Turn

router = APIRouter(prefix="/v1", tags=["学习"])
LearnerReader = Annotated[Actor, Depends(require("learners.read"))]  # staff reading one teacher's records
TopicId = Annotated[str, Field(min_length=1, max_length=300)]


class QuizRequest(RequestBody):
    question: str | None = Field(None, max_length=20000, description="就这个问题的回答出题")
    topic: str | None = Field(None, max_length=20000, description="或按主题检索原文出题")
    limit: int = Field(6, ge=1, le=10, strict=True, description="最多几道题")
    history: list[Turn] = Field(default_factory=list, max_length=HISTORY_MESSAGES,
                                description="提问时的此前对话：据追问的回答出题时，追问按它理解，与提问时一样")


class AnswerRequest(RequestBody):
    # No length of its own: the core refuses a reply over 4000 characters with the same message on every
    # channel (422 here); the request body limit still bounds what is read.
    answer: str | Annotated[list[str], Field(max_length=20)] = Field(
        description="作答：单选、填空、判断、主观题为文字（最多 4000 个字）；多选可为选项列表")


class PlanUpdate(RequestBody):
    stage: str | None = Field(None, max_length=64, description="发展阶段：新任、青年、骨干、名师、培训者、名校长")
    subject: str | None = Field(None, max_length=64, description="任教学科：" + "、".join(SUBJECTS))
    school_level: str | None = Field(None, max_length=64, description="学段：幼儿园、小学、初中、高中、中职")
    weeks: int | None = Field(None, ge=1, le=52, strict=True, description="计划周数；改变则重排计划")
    pick: list[TopicId] = Field(default_factory=list, max_length=50,
                                description="优先学习的主题（按先后）：主题 id、在 topics 中的序号（从 1 起）或标题中的词")
    drop: list[TopicId] = Field(default_factory=list, max_length=50,
                                description="不再安排的主题：主题 id、在 topics 中的序号（从 1 起）或标题中的词")


class FeedbackRequest(RequestBody):
    target_kind: Literal["answer", "training", "resource"] = Field(description="评价对象：回答、培训项目或资源")
    target_ref: str = Field(min_length=1, max_length=200, description="对象编号，如回答引用的章节、资源编号")
    # strict: JSON true would otherwise count as one star
    rating: int = Field(ge=1, le=5, strict=True, description="1–5 分")
    comment: str = Field("", max_length=1000, description="意见（可选；手机号、邮箱等会被隐去）")


class FeedbackComment(BaseModel):
    rating: int = Field(description="1–5 分")
    comment: str = Field(description="评语（手机号、座机号、邮箱、身份证号和 11 位以上的长数字已替换为「［已隐去］」）")
    target_kind: str
    target_kind_label: str = Field(description="评价对象类型的中文名")
    target_ref: str = Field(description="评价对象的键：所引文件编号#章节、资源编号或培训名称")
    target_label: str = Field(description="评价对象：所引文件的标题与章节，或资源标题")
    channel_kind: str | None = Field(description="提交渠道的类别（web、telegram……），不是任何人的标识")
    channel_label: str
    period: str = Field(description="所在周（北京时间，ISO 周）；不存更精确的时间")
    week_label: str


class CommentsPage(BaseModel):
    total: int = Field(description="符合条件的评语总数")
    offset: int
    limit: int
    scope: Literal["all", "own"] = Field(description="all：全部评语（管理员）；own：对本人上传资源的评语（培训者）")
    comments: list[FeedbackComment] = Field(description="最新的周在前；同一周内的先后与提交顺序无关")


class AnswerResult(BaseModel):
    correct: bool
    score: float
    feedback: str
    practice: bool = Field(description="本题此前已定（客观题已作答过，开放题已通过）：只批改，不计学时学分")
    credits_awarded: float
    balance: float
    hours_awarded: float
    hours_balance: float
    objective: bool
    answer: str | list[str] = Field(description="答案（开放题为参考要点），作答后才公布")
    rubric: list[str] = Field(description="评分要点（开放题），作答后才公布")
    source: dict[str, str] = Field(description="出处与原文，作答后才公布")


@router.get("/tasks/next", responses=responses(), summary="下一步学习：到期复习、薄弱主题或计划当日主题，附学习任务")
def next_tasks(actor: Learner, core: Core) -> dict[str, Any]:
    out = core.learning.next_step(actor)
    return {"step": out["step"], "tasks": [t.as_dict() for t in out["tasks"]]}


@router.post("/quiz", responses=responses(422, 429),
             summary="出题：就某个问题的回答或某个主题的原文生成学习任务；message 说明没有题目的原因，或题目出自文件未写明之问的相关原文")
def quiz(body: QuizRequest, actor: Learner, core: Core) -> dict[str, Any]:
    return core.learning.quiz(actor, question=body.question, topic=body.topic, limit=body.limit,
                              history=[t.model_dump() for t in body.history]).as_dict()


@router.post("/tasks/{task_id}/answer", response_model=AnswerResult, responses=responses(404, 422),
             summary="作答并评分；客观题只有首次作答答对才记入学时学分，开放题未通过可修改再交、通过时记入；之后为练习；答错安排复习")
def answer(task_id: str, body: AnswerRequest, actor: Learner, core: Core) -> dict[str, Any]:
    return core.learning.grade(actor, task_id, body.answer)


@router.get("/me/progress", responses=responses(), summary="我的学习进度：作答、正确率、连续天数、学时学分、薄弱环节")
def progress(actor: Learner, core: Core) -> dict[str, Any]:
    return core.learning.progress(actor)


@router.get("/me/reviews", responses=responses(),
            summary="到期的错题复习（最久未复习的在前）；另有已安排未到期的题数 upcoming、最早到期日 next_due 与提示 message")
def reviews(actor: Learner, core: Core) -> dict[str, Any]:
    out = core.learning.reviews(actor)
    return {**out, "tasks": [t.as_dict() for t in out["tasks"]]}


@router.get("/me/plan", responses=responses(), summary="我的研修计划（首次访问时按资料生成）")
def get_plan(actor: Learner, core: Core) -> dict[str, Any]:
    return core.learning.plan(actor).to_dict()


@router.put("/me/plan", responses=responses(422), summary="修改资料、周数，或选入 / 移除主题；资料或周数改变时重排计划")
def put_plan(body: PlanUpdate, actor: Learner, core: Core) -> dict[str, Any]:
    return core.learning.update_plan(actor, stage=body.stage, subject=body.subject, school_level=body.school_level,
                                     weeks=body.weeks, pick=tuple(body.pick), drop=tuple(body.drop)).to_dict()


@router.get("/me/export", response_class=Response,
            responses={**responses(), 200: {"content": {"text/csv": {}}, "description": "学习记录与学分账本（CSV）"}},
            summary="导出我的学习记录与学分账本（CSV）")
def export(actor: Learner, core: Core) -> Response:
    return csv_response(core.learning.export_csv(actor, actor), "records.csv")


@router.get("/teachers/{who}/progress", responses=responses(404),
            summary="某位教师的学习进度（培训者、管理员）：who 为账号名或教师编号（全体导出中的「教师编号」）")
def teacher_progress(who: str, actor: LearnerReader, core: Core) -> dict[str, Any]:
    return core.learning.progress(core.learners.reading(actor, who))


@router.get("/teachers/{who}/export", response_class=Response,
            responses={**responses(404), 200: {"content": {"text/csv": {}}, "description": "学习记录与学分账本（CSV）"}},
            summary="导出某位教师的学习记录与学分账本（CSV；培训者、管理员）：who 为账号名或教师编号")
def teacher_export(who: str, actor: LearnerReader, core: Core) -> Response:
    return csv_response(core.learning.export_csv(actor, core.learners.reading(actor, who)), "records.csv")


@router.post("/feedback", status_code=status.HTTP_201_CREATED, responses=responses(422),
             summary="匿名评价回答、培训或资源（不记录评价人）")
def feedback(body: FeedbackRequest, actor: Annotated[Actor, Depends(require("feedback.submit"))],
             core: Core) -> dict[str, str]:
    return {"period": core.learning.feedback(actor, body.target_kind, body.target_ref, body.rating, body.comment)}


@router.get("/feedback/summary", responses=responses(), summary="匿名评价汇总（仅管理员）；by_target 中每个对象另有 target_label：所引文件的标题与章节")
def feedback_summary(actor: Annotated[Actor, Depends(require("feedback.summary"))], core: Core) -> dict[str, Any]:
    return core.learning.feedback_summary(actor)


@router.get("/feedback/comments", response_model=CommentsPage, responses=responses(422),
            summary="匿名评语（管理员看全部，培训者看对本人上传资源的评价）：最新的周在前，"
                    "附评分、评价对象、渠道类别与所在周，不含评价人")
def feedback_comments(actor: Annotated[Actor, Depends(require("feedback.comments"))], core: Core,
                      limit: Annotated[int, Query(description=f"最多几条（1–{MAX_COMMENTS_LIMIT}）",
                                                  json_schema_extra={"minimum": 1, "maximum": MAX_COMMENTS_LIMIT})]
                      = COMMENTS_LIMIT,
                      offset: Annotated[int, Query(description="跳过前几条（翻页）", json_schema_extra={"minimum": 0})]
                      = 0,
                      target: Annotated[str | None, Query(max_length=200, description=(
                          "只看某个评价对象（汇总中的 target_ref）或某份文件（文件编号）的评价"))] = None,
                      ) -> dict[str, Any]:
    """The range of ``limit`` and ``offset`` is the core's to check, not FastAPI's: an out-of-range value is
    refused (422) in the words the command line and the bot use for the same input ("条数必须是 1 到 100 之间的
    整数"), not in a wording of the API's own. The bounds stay in the OpenAPI schema for clients to read."""
    return core.learning.feedback_comments(actor, limit=limit, offset=offset, target=target)
