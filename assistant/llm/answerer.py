"""Generative answers: the extractive engine decides, the model words it, the post-check keeps it honest.

``LLMAnswerer`` is one more implementation of the answerer protocol. For every question it first runs the
extractive answerer, which gives the knowledge base's decision (answered, not specified, not found), the
passages and a ready fallback. Nothing found means no model call at all. Otherwise the model is given the
passages and the decision (``assistant.llm.prompt``), and its reply goes through ``PostCheck``: supported,
cited sentences are kept and renumbered, the rest are dropped, or the whole reply is replaced by the
extractive answer. Every outcome and every fallback reason is counted (``LLMStats``) for ``/metrics``.

An answer the engine gives with a caveat (``hedged``: it is not sure the quote answers what was asked) is
the model's to judge (``judge="unsure"``, the default; ``"all"`` hands it every answered question, in the
same call): the prompt asks the model to judge first, and a checked reply that opens with "文件没有写明…"
turns the answer into not specified (``abstained``), while one that answers drops the caveat. A reply that
fails the check leaves the engine's answer as it was.

``stream`` yields the checked answer as it is written: a sentence is passed on (``Delta``) only once it is
complete and has passed its own check, so a reader never sees an unchecked claim. A reply rejected as a
whole after some sentences were shown ends in a ``Final`` with ``replaced=True``: the channel shows the
final answer instead of what it streamed.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import chain, takewhile
from typing import Any

from assistant.answering import HEDGE_NOTE, Answer, ExtractiveAnswerer, Verdict
from assistant.hits import Retrieval
from assistant.llm.client import ChatClient, LLMFailure
from assistant.llm.postcheck import PostCheck, split_sentences
from assistant.llm.postcheck import Verdict as SentenceVerdict
from assistant.llm.prompt import answer_messages, number_passages
from assistant.llm.support import SupportScorer
from assistant.question import Asks, analyse

MAX_PASSAGES = 5
_CORRECTION = "需要更正："


@dataclass
class Delta:
    text: str  # checked text to append to what was shown so far


@dataclass
class Final:
    answer: Answer
    replaced: bool = False  # what was streamed is not the final answer: show ``answer`` instead


Event = Delta | Final


class LLMStats:
    """Thread-safe counts: answers by outcome, fallbacks by reason, dropped sentences by reason, and the
    other uses of the model (follow-up rewrites, task generation) by what came of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.outcomes: Counter[str] = Counter()
        self.fallbacks: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()
        self.uses: Counter[tuple[str, str]] = Counter()
        self.seconds = 0.0

    def count(self, use: str, label: str, n: int = 1) -> None:
        with self._lock:
            self.uses[(use, label)] += n

    def record(self, outcome: str, fallback: str | None = None, dropped: list[str] | None = None,
               seconds: float = 0.0) -> None:
        with self._lock:
            self.outcomes[outcome] += 1
            if fallback:
                self.fallbacks[fallback] += 1
            self.dropped.update(dropped or [])
            self.seconds += seconds

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            uses: dict[str, dict[str, int]] = {}
            for (use, label), n in self.uses.items():
                uses.setdefault(use, {})[label] = n
            return {"outcomes": dict(self.outcomes), "fallbacks": dict(self.fallbacks),
                    "dropped": dict(self.dropped), "uses": uses, "seconds": self.seconds}


def _generation(model: str, outcome: str, fallback: str | None, dropped: list[SentenceVerdict]) -> dict[str, Any]:
    return {"mode": "llm" if outcome in ("kept", "repaired") else "extractive", "model": model,
            "outcome": outcome, "fallback": fallback,
            "dropped": [{"sentence": v.sentence.text, "reason": v.reason} for v in dropped]}


class LLMAnswerer:
    def __init__(self, extractive: ExtractiveAnswerer, client: ChatClient, scorer: SupportScorer,
                 stats: LLMStats | None = None, *, max_passages: int = MAX_PASSAGES, judge: str = "unsure") -> None:
        self.extractive = extractive
        self.client = client
        self.scorer = scorer
        self.stats = stats or LLMStats()
        self.max_passages = max_passages
        self.judge = judge

    def answer(self, question: str, retrieval: Retrieval) -> Answer:
        final = None
        for event in self._run(question, retrieval, streaming=False):
            if isinstance(event, Final):
                final = event.answer
        assert final is not None
        return final

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[Event]:
        return self._run(question, retrieval, streaming=True)

    def _run(self, question: str, retrieval: Retrieval, *, streaming: bool) -> Iterator[Event]:
        base = self.extractive.answer(question, retrieval)
        q = retrieval.question or analyse(question)
        # Nothing found, a document's own metadata or outline (its 文号, the headings of a part: exact, quoted
        # verbatim) or a request for new writing (declined): there is nothing for a model to add.
        if (base.verdict == Verdict.NOT_FOUND or not base.retrieved or base.structured or q.asks == Asks.DOCUMENT
                or q.compose):
            self.stats.record("skipped")
            yield Final(replace(base, generation=_generation(self.client.model, "skipped", None, [])))
            return
        passages = number_passages(base.retrieved[: self.max_passages])
        answered = base.verdict == Verdict.ANSWERED
        unsure = answered and (self.judge == "all" or (self.judge == "unsure" and base.hedged))
        check = PostCheck(self.scorer, passages, answered=answered, question=question)
        messages = answer_messages(question, passages, answered=answered, missing=base.missing,
                                   standalone=retrieval.query, unsure=unsure, confident=not base.hedged)
        # The extractive answer's notes (a hedge, a corrected premise) lead the generated answer too; the
        # hedge only while nobody has judged it: an unsure answer is the model's to settle.
        notes = takewhile(lambda line: line.startswith((HEDGE_NOTE, _CORRECTION)), base.text.split("\n"))
        prefix = "".join(f"{line}\n" for line in notes if not (unsure and line == HEDGE_NOTE))
        start, raw, verdicts, shown = time.monotonic(), "", [], ""
        try:
            if streaming:
                if prefix:
                    shown = prefix
                    yield Delta(prefix)
                checked_upto = 0
                for piece in chain(self.client.stream(messages), [None]):  # None: the reply is complete
                    raw += piece or ""
                    done, _ = split_sentences(raw + "\n") if piece is None else split_sentences(raw, final=False)
                    for sentence in done[checked_upto:]:
                        verdicts.append(check.check_sentence(sentence))
                        if verdicts[-1].reason is None:
                            text = check.piece(shown[len(prefix):], verdicts[-1])
                            shown += text
                            yield Delta(text)
                    checked_upto = len(done)
            else:
                raw = self.client.complete(messages)
                verdicts = [check.check_sentence(s) for s in split_sentences(raw + "\n")[0]]
        except LLMFailure as failure:
            yield self._fallback(base, failure.reason, [], start, bool(shown))
            return
        checked = check.finish(raw, verdicts)
        if checked.fallback:
            yield self._fallback(base, checked.fallback, checked.dropped, start, bool(shown))
            return
        self.stats.record(checked.outcome, None, [v.reason or "" for v in checked.dropped],
                          time.monotonic() - start)
        declined = unsure and checked.declined
        # A premise corrected against quotes the model found do not answer is no longer a correction.
        text = ("" if declined else prefix) + checked.text
        answer = replace(base, text=text, citations=checked.citations,
                         generation=_generation(self.client.model, checked.outcome, None, checked.dropped))
        if unsure:
            self.stats.count("judge", "not_specified" if declined else "answered")
            answer.hedged = False
            if declined:
                answer.abstained, answer.verdict, answer.missing = True, Verdict.NOT_SPECIFIED, checked.gap
        yield Final(answer, replaced=streaming and text != shown)

    def _fallback(self, base: Answer, reason: str, dropped: list[SentenceVerdict], start: float,
                  shown: bool) -> Final:
        self.stats.record("fallback", reason, [v.reason or "" for v in dropped if v.reason != "instruction"],
                          time.monotonic() - start)
        return Final(replace(base, generation=_generation(self.client.model, "fallback", reason, dropped)),
                     replaced=shown)

