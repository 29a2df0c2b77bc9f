"""Asking over HTTP: the answer contract, including answers that say the documents do not state something,
and the same answer as server-sent events (``/v1/ask/stream``)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from evals.scripted_llm import Reply
from tests.assistant.llm.conftest import FUNDING_Q, GOOD, PLANTED_Q
from tests.channels.api.conftest import Live, ModelLive


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


def test_the_id_given_comes_back_and_generation_is_always_there(live: Live) -> None:
    """The contract's ``id`` is the caller's, as a batch line's is on the command line; both forms of the answer
    (whole and streamed) carry the same keys, ``generation`` null without a model."""
    question = "学校每年要拿出多少经费用于教师培训？"
    with live.client("teacher") as client:
        plain = client.post("/v1/ask", json={"question": question}).json()
        named = client.post("/v1/ask", json={"question": question, "id": "q-7"}).json()
        numbered = client.post("/v1/ask", json={"question": question, "id": 7}).json()
        refused = client.post("/v1/ask", json={"question": question, "id": ["q"]})
        streamed = dict(events(client, {"question": question, "id": "s-1"}))["answer"]
    keys = ["id", "answer", "abstained", "verdict", "hedged", "citations", "retrieved", "generation"]
    assert list(plain) == keys and plain["id"] is None and plain["generation"] is None
    assert (named["id"], numbered["id"], streamed["id"]) == ("q-7", 7, "s-1") and list(streamed) == keys
    assert refused.status_code == 422


def test_the_contract_is_in_the_openapi_schema(live: Live) -> None:
    schema = httpx.get(live.base + "/openapi.json").json()
    props = schema["components"]["schemas"]["AskResponse"]["properties"]
    assert props["verdict"]["enum"] == ["answered", "not_specified", "not_found", "about_assistant"]


# -- /v1/ask/stream ----------------------------------------------------------------------------------
def events(client: httpx.Client, body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The stream's events as (name, data), read as they arrive."""
    out: list[tuple[str, dict[str, Any]]] = []
    with client.stream("POST", "/v1/ask/stream", json=body) as resp:
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        name = None
        for line in resp.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                assert name is not None
                out.append((name, json.loads(line[6:])))
                name = None
    return out


@pytest.mark.parametrize(("path", "body", "detail"), [
    ("/v1/ask", {"question": "学分怎么认定", "k": "5"}, "「k」必须是整数"),
    ("/v1/ask", {"question": "学分怎么认定", "k": 5.0}, "「k」必须是整数"),
    ("/v1/ask", {"question": "学分怎么认定", "k": True}, "「k」必须是整数"),
    ("/v1/ask/stream", {"question": "学分怎么认定", "k": "5"}, "「k」必须是整数"),
    ("/v1/search", {"query": "学分银行", "k": "2"}, "「k」必须是整数"),
    ("/v1/ask", {"question": "学分怎么认定", "filters": {"year": True}}, "「filters.year」必须是文本、整数或数组"),
], ids=["ask-string", "ask-float", "ask-true", "stream-string", "search-string", "filter-true"])
def test_an_integer_sent_as_another_json_type_is_refused_not_coerced(live: Live, path: str, body: dict[str, Any],
                                                                     detail: str) -> None:
    with live.client("teacher") as client:
        resp = client.post(path, json=body)
    assert resp.status_code == 422 and resp.json() == {"detail": detail}


def test_an_integer_k_and_year_still_work(live: Live) -> None:
    with live.client("teacher") as client:
        asked = client.post("/v1/ask", json={"question": "学校每年要拿出多少经费用于教师培训？", "k": 5})
        found = client.post("/v1/search", json={"query": "学分银行", "k": 2})
        filtered = client.post("/v1/search", json={"query": "学分银行", "k": 2, "filters": {"year": 2021}})
    assert asked.status_code == 200 and "5%" in asked.json()["answer"]
    assert found.status_code == 200 and len(found.json()["results"]) == 2
    assert filtered.status_code == 200


def test_stream_sends_the_text_then_exactly_the_ask_answer(live: Live) -> None:
    body = {"question": FUNDING_Q, "history": [{"role": "user", "content": "国培计划是什么？"}], "with_tasks": True}
    with live.client("teacher") as client:
        asked = client.post("/v1/ask", json=body).json()
        streamed = events(client, body)
    names = [name for name, _ in streamed]
    assert names[-1] == "answer" and set(names[:-1]) == {"delta"}
    assert "".join(data["text"] for name, data in streamed if name == "delta") == asked["answer"]
    answer = streamed[-1][1]
    assert answer == asked and answer["citations"] and answer["tasks"]


def test_stream_refuses_before_it_starts(live: Live) -> None:
    with live.client("teacher") as client:
        empty = client.post("/v1/ask/stream", json={"question": "  "})
        too_long = client.post("/v1/ask/stream", json={"question": "经费" * 400})
    with httpx.Client(base_url=live.base) as anonymous:
        no_token = anonymous.post("/v1/ask/stream", json={"question": FUNDING_Q})
    assert empty.status_code == 422 and "不能为空" in empty.json()["detail"]
    assert too_long.status_code == 422 and "问题太长" in too_long.json()["detail"]
    assert no_token.status_code == 401 and re.search(r"[\u4e00-\u9fff]", no_token.json()["detail"])


def test_generated_answer_streams_checked_sentences(model_live: ModelLive) -> None:
    assert model_live.llm is not None
    model_live.llm.push(Reply(GOOD, piece_delay=0.01))
    with model_live.client() as client:
        streamed = events(client, {"question": FUNDING_Q})
    deltas = [data["text"] for name, data in streamed if name == "delta"]
    assert deltas == [s + "。" for s in GOOD.split("。") if s]
    name, answer = streamed[-1]
    assert name == "answer" and answer["answer"] == GOOD and answer["generation"]["outcome"] == "kept"
    assert [c["marker"] for c in answer["citations"]] == [1]
    model_live.llm.push(Reply(GOOD))
    with model_live.client() as client:
        assert client.post("/v1/ask", json={"question": FUNDING_Q}).json() == answer


def test_withdrawn_generation_is_announced_then_replaced(planted_live: ModelLive) -> None:
    assert planted_live.llm is not None
    shown = "考核合格的教师由镇教研室颁发结业证书[1]。"
    planted_live.llm.push(Reply(shown + "所有参训教师均可免费获得培训证书[1]。"))
    with planted_live.client() as client:
        streamed = events(client, {"question": PLANTED_Q})
    assert [name for name, _ in streamed] == ["delta", "replaced", "answer"]
    assert streamed[0][1]["text"] == shown and "撤回" in streamed[1][1]["detail"]
    answer = streamed[2][1]
    assert answer["generation"]["fallback"] == "instruction" and "免费" not in answer["answer"]
    assert answer["answer"] == planted_live.assistant.ask(PLANTED_Q)["answer"]


@pytest.mark.parametrize("path", ["/v1/ask/stream", "/v1/chat/completions"])
def test_a_failure_after_the_stream_started_is_its_last_event(lost_kb: ModelLive, path: str) -> None:
    with lost_kb.client() as client:
        if path == "/v1/ask/stream":
            streamed = events(client, {"question": PLANTED_Q})
            assert streamed == [("error", {"detail": "生成回答时出错，请稍后重试"})]
            return
        body = {"model": "guopei-assistant", "stream": True, "messages": [{"role": "user", "content": PLANTED_Q}]}
        with client.stream("POST", path, json=body) as resp:
            lines = [line for line in resp.iter_lines() if line]
    assert resp.status_code == 200 and json.loads(lines[0][6:])["choices"][0]["delta"]["role"] == "assistant"
    error = json.loads(lines[-1][6:])["error"]
    assert error["message"] == "生成回答时出错，请稍后重试" and error["type"] == "server_error"
