"""An answer as a stream of checked text, for every channel that can show text as it arrives.

With a generative answerer the events are its checked sentences (``Delta``) and then the final answer
(``Final``); with the extractive one there is nothing to stream and the only event is the final answer.
Channels (SSE on the API, the OpenAI-compatible endpoint, the Telegram bot) consume the same events.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from assistant.answering import Answer, Answerer
from assistant.hits import Retrieval
from assistant.llm.answerer import Delta, Event, Final
from corpus.text import HAN

__all__ = ["Delta", "Event", "Final", "answer_events"]

_MEANINGFUL = re.compile(f"[{HAN}A-Za-z]")


class _Asking(Protocol):
    answerer: Answerer

    def answer(self, question: str, history: Sequence[dict[str, Any]] | None = None, k: int | None = None,
               where: dict[str, Any] | None = None) -> Answer: ...

    def retrieve(self, question: str, history: Sequence[dict[str, Any]] | None = None, k: int | None = None,
                 where: dict[str, Any] | None = None) -> Retrieval: ...


def answer_events(assistant: _Asking, question: str, history: Sequence[dict[str, Any]] | None = None,
                  k: int | None = None, where: dict[str, Any] | None = None) -> Iterator[Event]:
    """Checked pieces of the answer, then the answer; raises ``QuestionError`` like ``Assistant.answer``."""
    stream = getattr(assistant.answerer, "stream", None)
    if stream is None or not _MEANINGFUL.search(question or ""):
        yield Final(assistant.answer(question, history, k, where))
        return
    retrieval = assistant.retrieve(question, history, k, where)  # validates the question first
    yield from stream(question.strip(), retrieval)
