"""The teacher's desk: chat with cited answers, quick quizzes with credit, progress, plan and feedback.

Every page works as a plain form post first; the console script only makes the chat stay on one page
(it posts the same form and inserts the answer fragment the server renders) and, where a model writes
the answer, shows it while it is written: ``/chat/stream`` answers the same form with server-sent events,
the checked pieces (``delta``) and then that same fragment (``answer``). The conversation so far travels
with the form as JSON, trimmed by the core's own ``history_window``, so a follow-up is read against the
same turns on every channel.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from itertools import chain
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from assistant.companion import NotAnAnswer
from assistant.errors import CoreError, InvalidInput
from assistant.learning.grading import without_verdict
from assistant.learning.tasks import FALSE, TRUE
from assistant.records.feedback import answer_ref
from assistant.usecases.asking import Answered, StreamEvent
from assistant.usecases.learning import can_quiz
from channels.api.streams import sse
from channels.web.console import ConsoleRoute, Learner, Visit

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
Text = Annotated[str, Form(max_length=20000)]
RATINGS = {"up": 5, "down": 1}
# A true/false task is answered with a tap, as in the bot: a text box invited replies the grader then refuses.
VERDICTS = (TRUE, FALSE)
# How much of each answer rides along in the page's conversation field: enough to read a follow-up
# against, small enough that a long conversation stays far below the request body cap (64 KB).
ANSWER_KEPT = 600
FEEDBACK_KINDS = {"training": "培训项目", "resource": "培训资源", "answer": "助手回答"}
STREAM_FAILED = "回答未能完成，请稍后重新提问"
log = logging.getLogger(__name__)


def _history(raw: str) -> list[dict[str, Any]]:
    """The posted conversation; anything that is not a list of role/content turns is dropped, not trusted."""
    try:
        turns = json.loads(raw or "[]")
    except json.JSONDecodeError:
        return []
    if not isinstance(turns, list):
        return []
    return [{"role": t["role"], "content": t["content"]} for t in turns
            if isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)]


def _exchange(visit: Visit, question: str, history: list[dict[str, Any]]) -> dict[str, Any]:
    assert visit.actor is not None
    return _exchange_of(visit, question, history,
                        visit.console.services.usecases.asking.ask(visit.actor, question, history))


def _exchange_of(visit: Visit, question: str, history: list[dict[str, Any]], answer: dict[str, Any]
                 ) -> dict[str, Any]:
    asking = visit.console.services.usecases.asking
    turns = asking.history_window([*history, {"role": "user", "content": question},
                                   {"role": "assistant", "content": answer["answer"][:ANSWER_KEPT]}])
    return {"id": f"a{secrets.token_hex(4)}", "question": question, "answer": answer,
            "markers": {c["marker"] for c in answer["citations"]}, "history": json.dumps(turns, ensure_ascii=False),
            "ref": answer_ref(answer),  # what 👍/👎 rate: the same key as the bot's, never the question
            "can_quiz": can_quiz(answer),  # 「做个小测」: where the answer or the related text it shows was cited
            # what the question was read with: a quiz on a follow-up must read it the same way
            "asked_after": json.dumps(asking.history_window(history), ensure_ascii=False)}


@router.get("/chat")
def chat_page(visit: Learner) -> Response:
    return visit.render("chat.html", exchanges=[], history="[]")


@router.post("/chat")
async def chat(visit: Learner, question: Text = "", history: Annotated[str, Form(max_length=40000)] = "[]"
               ) -> Response:
    turns = _history(history)
    exchange = await run_in_threadpool(_exchange, visit, question, turns)
    if visit.wants_fragment:
        return visit.render("_exchange.html", x=exchange)
    return visit.render("chat.html", exchanges=[exchange], history=exchange["history"])


def _first(visit: Visit, question: str, history: list[dict[str, Any]]
           ) -> tuple[StreamEvent, Iterator[StreamEvent]]:
    """The stream and its first event: a refusal or a rejected question is raised here, before the
    response starts, so it is answered like any other (a status and a Chinese message)."""
    assert visit.actor is not None
    events = visit.console.services.usecases.asking.ask_stream(visit.actor, question, history)
    return next(events), events


def _events(visit: Visit, question: str, history: list[dict[str, Any]], events: Iterator[StreamEvent]
            ) -> Iterator[str]:
    try:
        for event in events:
            if isinstance(event, Answered):
                exchange = _exchange_of(visit, question, history, event.answer)
                yield sse("answer", {"html": visit.fragment("_exchange.html", x=exchange),
                                     "replaced": event.replaced})
            else:
                yield sse("delta", {"text": event.text})
    except CoreError as exc:
        yield sse("error", {"detail": exc.message})
    except Exception:  # after the response started there is no status left to set: say so in the stream
        log.exception("流式回答中途出错")
        yield sse("error", {"detail": STREAM_FAILED})


@router.post("/chat/stream")
async def chat_stream(visit: Learner, question: Text = "",
                      history: Annotated[str, Form(max_length=40000)] = "[]") -> Response:
    """The chat form answered as server-sent events while the answer is written (see the module doc)."""
    turns = _history(history)
    first, events = await run_in_threadpool(_first, visit, question, turns)
    body = _events(visit, question, turns, chain([first], events))
    return visit.keep(StreamingResponse(body, media_type="text/event-stream",
                                        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}))


@router.post("/chat/rate")
def rate(visit: Learner, ref: Annotated[str, Form(min_length=1, max_length=200)],
         rating: Annotated[str, Form(max_length=8)]) -> Response:
    """👍/👎 on an answer: anonymous feedback on what it cited (the answer's first passage)."""
    assert visit.actor is not None
    if rating not in RATINGS:
        raise InvalidInput("评价只能是有用或没用")
    visit.console.services.usecases.learning.feedback(visit.actor, "answer", ref, RATINGS[rating])
    message = "感谢反馈：已匿名记录" + ("「有用」" if rating == "up" else "「没用」")
    if visit.wants_fragment:
        return visit.json({"detail": message})
    return visit.render("done.html", message=message, back="/chat")


@router.post("/quiz")
def quiz(visit: Learner, question: Text = "", topic: Text = "",
         history: Annotated[str, Form(max_length=40000)] = "[]") -> Response:
    assert visit.actor is not None
    offered = visit.console.services.usecases.learning.quiz(visit.actor, question=question or None,
                                                            topic=topic or None, limit=4, history=_history(history))
    return visit.render("quiz.html", tasks=[t.as_dict() for t in offered.tasks], source=question or topic,
                        message=offered.message, verdicts=VERDICTS)


@router.get("/quiz/{task_id}")
def quiz_task(task_id: str, visit: Learner) -> Response:
    assert visit.actor is not None
    task = visit.console.services.usecases.learning.task(visit.actor, task_id)
    return visit.render("quiz.html", tasks=[task.as_dict()], source="", verdicts=VERDICTS)


@router.post("/quiz/{task_id}")
def answer(task_id: str, visit: Learner, answer: Annotated[list[str], Form(max_length=20)]) -> Response:
    """Grade a reply. One that is no answer yet (a word for a reflection, a copy of the source) is recorded
    nowhere, as on the API and the command line: the same task comes back with the core's hint and the text
    the teacher wrote, so they revise it in place instead of landing on an error page without the task."""
    assert visit.actor is not None
    response: str | list[str] = answer if len(answer) > 1 else answer[0]
    learning = visit.console.services.usecases.learning
    task = learning.task(visit.actor, task_id)
    try:
        result = learning.grade(visit.actor, task_id, response)
    except NotAnAnswer as exc:
        return visit.render("quiz.html", 422, tasks=[task.as_dict()], source="", verdicts=VERDICTS,
                            hint=exc.message, given=answer)
    return visit.render("graded.html", task=task.as_dict(), result=result, given=answer,
                        feedback=without_verdict(result["feedback"]),
                        progress=learning.progress(visit.actor))


@router.get("/progress")
def progress(visit: Learner) -> Response:
    assert visit.actor is not None
    learning = visit.console.services.usecases.learning
    learning.teacher(visit.actor)  # a first visit starts the record, as a first question would
    return visit.render("progress.html", progress=learning.progress(visit.actor),
                        reviews=learning.reviews(visit.actor))


@router.get("/plan")
def plan(visit: Learner) -> Response:
    assert visit.actor is not None
    return visit.render("plan.html", plan=visit.console.services.usecases.learning.plan(visit.actor).to_dict())


@router.post("/plan")
def change_plan(visit: Learner, topic: Annotated[str, Form(min_length=1, max_length=300)],
                change: Annotated[str, Form(max_length=8)]) -> Response:
    assert visit.actor is not None
    if change not in ("pick", "drop"):
        raise InvalidInput("只能选入或移除主题")
    learning = visit.console.services.usecases.learning
    plan = learning.update_plan(visit.actor, pick=(topic,) if change == "pick" else (),
                                drop=(topic,) if change == "drop" else ())
    message = "已选入该主题，将优先安排" if change == "pick" else "已移除该主题，不再安排"
    return visit.render("plan.html", plan=plan.to_dict(), message=message)


@router.get("/feedback")
def feedback_page(visit: Learner) -> Response:
    return visit.render("feedback.html", kinds=FEEDBACK_KINDS)


@router.post("/feedback")
def feedback(visit: Learner, kind: Annotated[str, Form(max_length=20)],
             target: Annotated[str, Form(min_length=1, max_length=200)],
             rating: Annotated[int, Form(ge=1, le=5)], comment: Annotated[str, Form(max_length=1000)] = ""
             ) -> Response:
    assert visit.actor is not None
    if kind not in FEEDBACK_KINDS:
        raise InvalidInput("请选择评价对象：培训项目、培训资源或助手回答")
    visit.console.services.usecases.learning.feedback(visit.actor, kind, target, rating, comment)
    return visit.render("feedback.html", kinds=FEEDBACK_KINDS, message="已匿名提交，谢谢！评价中不会记录你的身份。")
