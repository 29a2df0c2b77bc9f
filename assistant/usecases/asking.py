"""Asking and hit testing: the question use cases every channel offers.

Rate limits, usage counting, metadata filters and the tasks suggested with an answer are decided here,
once, so a question asked over the API, in Telegram or at the command line is treated the same — whether
the answer is returned whole (``ask``) or as checked pieces while it is written (``ask_stream``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.answering import Answer, Verdict
from assistant.contract import AnswerContract
from assistant.errors import RateLimited
from assistant.llm.streaming import Delta, Final, answer_events
from assistant.ratelimit import RateLimiter
from assistant.records.usage import UsageStats
from assistant.roles import Actor, require
from assistant.service import Assistant, validate_question
from assistant.usecases.learning import Learning


def where(filters: dict[str, Any] | None) -> dict[str, Any] | None:
    """Filters as people give them → the store's ``where``: a list means "one of" (``$in``)."""
    if not filters:
        return None
    return {key: {"$in": list(value)} if isinstance(value, list | tuple) else value
            for key, value in filters.items()}


@dataclass
class Answered:
    """The end of a streamed answer: the answer in the JSON contract, as ``Asking.ask`` returns it.

    ``replaced`` says the streamed pieces are not this answer (a generation rejected after some of it was
    shown): a channel must show ``answer`` instead of what it streamed, not after it. Otherwise ``rest`` is
    the text still to show after the pieces: all of an extractive answer (nothing of it was streamed), the
    tail a fallback added, or nothing. A channel that renders the whole answer at the end may ignore it; one
    that only appends text (server-sent pieces, OpenAI chunks) sends it.
    """

    answer: dict[str, Any]
    replaced: bool = False
    rest: str = ""


StreamEvent = Delta | Answered


class Asking:
    def __init__(self, assistant: Assistant, limiter: RateLimiter, usage: UsageStats, learning: Learning) -> None:
        self.assistant = assistant
        self.limiter = limiter
        self.usage = usage
        self.learning = learning

    def throttle(self, actor: Actor) -> None:
        """Raise ``RateLimited`` when this account asked too often in the last minute."""
        if actor.local:
            return
        wait = self.limiter.hit(actor.key)
        if wait:
            raise RateLimited(f"提问过于频繁：每分钟最多 {self.limiter.limit} 次，请 {wait} 秒后再试", wait)

    def ask(self, actor: Actor, question: str, history: Sequence[dict[str, Any]] | None = None, *,
            k: int | None = None, filters: dict[str, Any] | None = None, with_tasks: bool = False,
            request_id: str | int | None = None) -> dict[str, Any]:
        """The answer in the JSON contract; ``with_tasks`` adds up to two tasks on what was just answered;
        ``request_id`` is the caller's id for the question, returned as the answer's ``id``."""
        require(actor, "ask")
        self.throttle(actor)
        answer = self.assistant.answer(question, self.assistant.history_window(history), k, where(filters))
        return self._answered(actor, answer, with_tasks, request_id)

    def ask_stream(self, actor: Actor, question: str, history: Sequence[dict[str, Any]] | None = None, *,
                   k: int | None = None, filters: dict[str, Any] | None = None, with_tasks: bool = False,
                   request_id: str | int | None = None) -> Iterator[StreamEvent]:
        """``ask`` as it is written: checked pieces (``Delta``), then the whole answer (``Answered``).

        Permission, rate limit and the question itself are checked on the call, before any work, so a
        channel can still refuse with a status of its own; what fails later is raised by the iterator. With
        the extractive answerer the only event is ``Answered`` (its text in ``rest``). Blocking throughout: an
        async channel iterates it off its event loop.
        """
        require(actor, "ask")
        self.throttle(actor)
        validate_question(question, self.assistant.tuning.max_question_chars)
        events = answer_events(self.assistant, question, self.assistant.history_window(history), k,
                               where(filters))
        return self._stream(actor, events, with_tasks, request_id)

    def _stream(self, actor: Actor, events: Iterator[Delta | Final], with_tasks: bool,
                request_id: str | int | None) -> Iterator[StreamEvent]:
        shown = ""
        for event in events:
            if isinstance(event, Delta):
                shown += event.text
                yield event
                continue
            text = event.answer.text
            replaced = event.replaced or not text.startswith(shown)
            yield Answered(self._answered(actor, event.answer, with_tasks, request_id), replaced,
                           "" if replaced else text[len(shown):])
            return

    def _answered(self, actor: Actor, answer: Answer, with_tasks: bool,
                  request_id: str | int | None = None) -> dict[str, Any]:
        if answer.verdict is Verdict.ABOUT_ASSISTANT:
            self.usage.seen(actor.channel, actor.external_id, via=actor.surface)
        else:
            self.usage.question(actor.channel, actor.external_id, answer.abstained, via=actor.surface)
        out: dict[str, Any] = AnswerContract.of(answer, request_id).model_dump()
        if with_tasks:
            out["tasks"] = [t.as_dict() for t in self.learning.suggested(answer)]
        return out

    def search(self, actor: Actor, query: str, *, k: int | None = None,
               filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        require(actor, "ask")
        self.throttle(actor)
        return self.assistant.search(query, k, where(filters))

    def history_window(self, history: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """What a channel should keep of a conversation: exactly what the next question may use."""
        return self.assistant.history_window(history)
