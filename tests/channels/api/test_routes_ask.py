"""Asking over HTTP: the answer contract, including answers that say the documents do not state something."""

from __future__ import annotations

import httpx

from tests.channels.api.conftest import Live


def test_not_specified_answers_are_flagged_and_quote_the_related_rule(live: Live) -> None:
    with live.client("teacher") as client:
        out = client.post("/v1/ask", json={"question": "国培的培训补贴每人每天多少钱？"}).json()
    assert out["verdict"] == "not_specified" and out["abstained"] is True
    assert "没有写明" in out["answer"] and out["citations"], "the related rule is still quoted"


def test_answered_and_not_found_verdicts(live: Live) -> None:
    with live.client("teacher") as client:
        answered = client.post("/v1/ask", json={"question": "学校每年要拿出多少经费用于教师培训？"}).json()
        missing = client.post("/v1/ask", json={"question": "红烧肉怎么做才不腻？"}).json()
    assert answered["verdict"] == "answered" and not answered["abstained"] and "5%" in answered["answer"]
    assert missing["verdict"] == "not_found" and missing["abstained"] and missing["citations"] == []


def test_the_contract_is_in_the_openapi_schema(live: Live) -> None:
    schema = httpx.get(live.base + "/openapi.json").json()
    props = schema["components"]["schemas"]["AskResponse"]["properties"]
    assert props["verdict"]["enum"] == ["answered", "not_specified", "not_found"]
