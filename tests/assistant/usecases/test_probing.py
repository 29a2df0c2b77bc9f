"""Hit testing: the ranked passages carry the score parts that ranked them, and the answer they give."""

from __future__ import annotations

import pytest

from assistant.errors import Forbidden, InvalidInput
from assistant.roles import Actor
from assistant.service import Assistant
from assistant.usecases.probing import PARTS, Probing

TRAINER = Actor("api", "2", role="trainer", user_id=2)


def test_hits_explain_their_rank_and_the_answer_cites_them(embedded_assistant: Assistant):
    out = Probing(embedded_assistant).hit_test(TRAINER, "学校每年要拿出多少经费用于教师培训？", k=4)
    hits = out["hits"]
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1)) and 1 <= len(hits) <= 4
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    for hit in hits:
        assert set(PARTS) <= set(hit) and all(isinstance(hit[p], float) for p in PARTS)
    top = hits[0]
    assert top["cited"] and "5%" in top["text"] and top["doc_number"] == "教师函〔2021〕4号"
    assert 0 < top["coverage"] <= 1 and top["dense"] > 0.5
    assert out["verdict"] == "answered" and "5%" in out["answer"]
    assert {c["chunk_id"] for c in out["citations"]} == {h["chunk_id"] for h in hits if h["cited"]}


def test_only_staff_may_probe_and_an_empty_question_is_refused(embedded_assistant: Assistant):
    probing = Probing(embedded_assistant)
    with pytest.raises(Forbidden):
        probing.hit_test(Actor("api", "3", role="teacher"), "经费")
    with pytest.raises(InvalidInput, match="问题不能为空"):
        probing.hit_test(TRAINER, "   ")
