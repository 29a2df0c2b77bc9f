"""Hit testing: what a question would retrieve, why each passage ranked where it did, and the answer.

Trainers check a new or replaced resource by asking a question only it can answer and reading the
ranking. The score parts come from the retriever's own hit records (dense cosine, BM25, idf-weighted
term coverage, section-heading match, rank fusion, best sentence), so what is shown is exactly what
ranked the passages — one retrieval feeds both the list and the answer.
"""

from __future__ import annotations

from typing import Any

from assistant.contract import AnswerContract
from assistant.roles import Actor, require
from assistant.service import Assistant

PARTS = ("dense", "lexical", "coverage", "heading", "sentence", "fused")


class Probing:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def hit_test(self, actor: Actor, question: str, *, k: int | None = None) -> dict[str, Any]:
        """The answer in the JSON contract plus ``hits``: each retrieved passage with its score parts."""
        require(actor, "resources.read")
        answer = self.assistant.answer(question, None, k)
        out: dict[str, Any] = AnswerContract.of(answer).model_dump()
        cited = {c.chunk_id for c in answer.citations}
        out["hits"] = [{**hit.as_dict(), "rank": rank, "cited": hit.id in cited,
                        "doc_number": str(hit.metadata.get("doc_number", "")),
                        **{part: round(float(getattr(hit, part)), 4) for part in PARTS}}
                       for rank, hit in enumerate(answer.retrieved, start=1)]
        out["strength"] = round(answer.strength, 4)
        return out
