"""Streaming a question: refusals before the first event, pieces that add up to the answer of ``ask``,
and one usage count per answer, however it was delivered."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import InvalidInput, RateLimited
from assistant.llm.streaming import Delta
from assistant.roles import Actor
from assistant.service import Assistant
from assistant.services import Services
from assistant.settings import Settings
from assistant.usecases.asking import Answered

TEACHER = Actor("api", "7", role="teacher", user_id=7)
QUESTION = "学校每年要拿出多少经费用于教师培训？"


def _services(assistant: Assistant, data_dir: Path, rate: int = 100) -> Services:
    settings = Settings(data_dir=data_dir, ask_rate_per_minute=rate)
    return Services.from_settings(settings, assistant=Assistant(settings, assistant.store))


def test_stream_is_the_answer_of_ask_in_pieces(embedded_assistant: Assistant, tmp_path: Path) -> None:
    services = _services(embedded_assistant, tmp_path)
    asking = services.usecases.asking
    history = [{"role": "user", "content": "国培计划是什么？"}]
    events = list(asking.stream(TEACHER, QUESTION, history, with_tasks=True))
    *pieces, last = events
    assert pieces and all(isinstance(p, Delta) for p in pieces) and isinstance(last, Answered)
    asked = asking.ask(TEACHER, QUESTION, history, with_tasks=True)
    assert last.out == asked and not last.replaced and last.out["tasks"]
    assert "".join(p.text for p in pieces) == asked["answer"]
    assert services.usage.summary()["questions"] == 2  # the stream and the ask, once each


def test_refusals_come_before_the_first_event(embedded_assistant: Assistant, tmp_path: Path) -> None:
    asking = _services(embedded_assistant, tmp_path, rate=1).usecases.asking
    with pytest.raises(InvalidInput, match="问题不能为空"):
        asking.stream(TEACHER, "   ")  # no iteration needed: the call itself refuses
    with pytest.raises(RateLimited):
        asking.stream(TEACHER, QUESTION)  # the empty question above used this minute's one question
