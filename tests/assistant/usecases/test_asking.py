"""Streamed asking through the facade: checked pieces then the same answer ``ask`` gives, counted once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import InvalidInput, RateLimited
from assistant.llm.streaming import Delta
from assistant.roles import Actor
from assistant.service import Assistant
from assistant.services import Services
from assistant.settings import Settings
from assistant.usecases.asking import Answered, Asking
from evals.scripted_llm import Reply, ScriptedLLM, serving
from tests.assistant.llm.conftest import API_KEY, FUNDING_Q, llm_assistant

pytestmark = pytest.mark.slow
TEACHER = Actor("telegram", "31", role="teacher")
FOUR = ["中小学、幼儿园每年要按照年度公用经费预算总额的5%来安排教师培训经费[1]。",
        "这笔经费用来保障国培计划的实施[1]。",
        "地方的重大教育发展项目也要把教师培训作为资金使用的重要方向[1]。",
        "国家级培训计划资金要严格按照规定使用并加强监管[1]。"]


@pytest.fixture
def llm() -> Iterator[ScriptedLLM]:
    with serving(ScriptedLLM(api_key=API_KEY)) as server:
        yield server


def asking(tmp_path: Path, assistant: Assistant, **extra: object) -> Asking:
    return Services.from_settings(Settings(data_dir=tmp_path / "records", **extra),
                                  assistant=assistant).usecases.asking


def questions(facade: Asking) -> int:
    return facade.usage.summary()["questions"]


def test_streamed_pieces_add_up_to_the_answer_ask_gives(tmp_path: Path, embedded_assistant: Assistant,
                                                        llm: ScriptedLLM) -> None:
    facade = asking(tmp_path, llm_assistant(embedded_assistant, llm))
    llm.push(Reply("".join(FOUR), pieces=FOUR))
    events = list(facade.ask_stream(TEACHER, FUNDING_Q))
    assert [type(e) for e in events] == [Delta] * 4 + [Answered]
    final = events[-1]
    assert isinstance(final, Answered) and not final.replaced
    assert "".join(e.text for e in events if isinstance(e, Delta)) == final.answer["answer"] == "".join(FOUR)
    assert final.rest == ""
    llm.push(Reply("".join(FOUR)))
    whole = facade.ask(TEACHER, FUNDING_Q)
    assert whole == final.answer and whole["generation"]["outcome"] == "kept"
    assert llm.requests[0]["stream"] is True and not llm.requests[1].get("stream")
    assert questions(facade) == 2  # counted once for the streamed question, once for the whole one


def test_extractive_stream_is_one_answer_and_refusals_come_before_any_work(
        tmp_path: Path, embedded_assistant: Assistant) -> None:
    facade = asking(tmp_path, embedded_assistant, ask_rate_per_minute=2)
    events = list(facade.ask_stream(TEACHER, FUNDING_Q))
    assert len(events) == 1 and isinstance(events[0], Answered) and not events[0].replaced
    assert events[0].rest == events[0].answer["answer"]  # nothing was streamed: all of it is still to show
    expected = embedded_assistant.ask(FUNDING_Q)
    assert {k: events[0].answer[k] for k in expected} == expected and events[0].answer["generation"] is None
    with pytest.raises(InvalidInput, match="问题不能为空"):
        facade.ask_stream(TEACHER, "   ")  # no iteration needed: the call itself refuses
    with pytest.raises(RateLimited):  # raised by the call itself, before a piece is produced
        facade.ask_stream(TEACHER, FUNDING_Q)
    assert questions(facade) == 1


def test_with_tasks_the_streamed_answer_is_the_one_ask_gives(tmp_path: Path, embedded_assistant: Assistant) -> None:
    facade = asking(tmp_path, embedded_assistant)
    history = [{"role": "user", "content": "国培计划是什么？"}]
    *pieces, last = list(facade.ask_stream(TEACHER, FUNDING_Q, history, with_tasks=True))
    asked = facade.ask(TEACHER, FUNDING_Q, history, with_tasks=True)
    assert isinstance(last, Answered) and last.answer == asked and last.answer["tasks"]
    assert "".join(p.text for p in pieces) + last.rest == asked["answer"]


def test_a_greeting_marks_the_teacher_active_without_counting_as_a_question(
        tmp_path: Path, embedded_assistant: Assistant) -> None:
    """The admin's question and abstention counts are about questions for the documents: 你好 and 谢谢 are
    replied to (about_assistant, abstained) but would otherwise read as unanswered questions."""
    facade = asking(tmp_path, embedded_assistant)
    assert facade.ask(TEACHER, "你好")["verdict"] == "about_assistant"
    assert facade.ask(TEACHER, "谢谢")["verdict"] == "about_assistant"
    summary = facade.usage.summary()
    assert (summary["questions"], summary["abstentions"], summary["active_teachers"]) == (0, 0, 1)
    facade.ask(TEACHER, FUNDING_Q)
    assert facade.usage.summary()["questions"] == 1
