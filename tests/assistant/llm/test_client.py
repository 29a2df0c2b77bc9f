"""The chat client against the scripted server over real HTTP: replies, streams, and every failure mode
reduced to one reason, with the API key never leaking into logs, errors or reprs."""

from __future__ import annotations

import logging
import time

import pytest
from pydantic import SecretStr

from assistant.llm.client import ChatClient, LLMConfig, LLMFailure
from evals.scripted_llm import Reply, ScriptedLLM
from tests.assistant.llm.conftest import API_KEY

HI = [{"role": "user", "content": "你好"}]


def client(llm: ScriptedLLM, **kw: object) -> ChatClient:
    values: dict[str, object] = {"timeout": 1.0, "max_retries": 0}
    values.update(kw)
    return ChatClient(LLMConfig(llm.base_url, llm.model, SecretStr(API_KEY), **values))  # type: ignore[arg-type]


def test_reply_and_stream(llm: ScriptedLLM) -> None:
    c = client(llm)
    llm.push(Reply("经费按5%安排[1]。"), Reply("经费按5%安排[1]。", pieces=["经费", "按5%", "安排[1]。"]))
    assert c.complete(HI) == "经费按5%安排[1]。"
    assert list(c.stream(HI)) == ["经费", "按5%", "安排[1]。"]
    first, second = llm.requests
    assert first["stream"] is False and second["stream"] is True
    assert first["model"] == llm.model and first["max_tokens"] == 800 and first["messages"] == HI


def test_429_is_retried_after_the_server_says(llm: ScriptedLLM) -> None:
    llm.push(Reply(status=429, retry_after=0.3), Reply("好的[1]。"))
    start = time.monotonic()
    assert client(llm, max_retries=1).complete(HI) == "好的[1]。"
    assert time.monotonic() - start >= 0.3 and len(llm.requests) == 2


@pytest.mark.parametrize(("replies", "reason", "status"), [
    ([Reply(status=429, retry_after=0.01)] * 2, "rate_limited", 429),
    ([Reply(status=500)] * 2, "error", 500),
    ([Reply(status=503)] * 2, "error", 503),
    ([Reply("迟到的回答", delay=1.5)] * 2, "timeout", None),
    ([Reply("")] * 2, "empty", None),
])
def test_failures_become_one_reason_after_the_retries(llm: ScriptedLLM, replies: list[Reply], reason: str,
                                                      status: int | None) -> None:
    llm.push(*replies)
    with pytest.raises(LLMFailure) as info:
        client(llm, max_retries=1).complete(HI)
    assert (info.value.reason, info.value.status) == (reason, status)
    assert len(llm.requests) == (1 if reason == "empty" else 2)


def test_slow_first_token_within_the_timeout_streams(llm: ScriptedLLM) -> None:
    llm.push(Reply("慢一点也没关系[1]。", first_token_delay=0.6))
    start = time.monotonic()
    pieces = list(client(llm, timeout=1.5).stream(HI))
    assert "".join(pieces) == "慢一点也没关系[1]。" and time.monotonic() - start >= 0.6


def test_slow_first_token_past_the_timeout_fails(llm: ScriptedLLM) -> None:
    llm.push(Reply("太慢了", first_token_delay=2.0))
    with pytest.raises(LLMFailure) as info:
        list(client(llm, timeout=0.5).stream(HI))
    assert info.value.reason == "timeout"


def test_a_stream_past_the_deadline_fails(llm: ScriptedLLM) -> None:
    llm.push(Reply("一点一点地说下去" * 4, piece_delay=0.2))
    with pytest.raises(LLMFailure) as info:
        list(client(llm, timeout=1.0, deadline=0.5).stream(HI))
    assert info.value.reason == "timeout"


def test_unreachable_endpoint_is_an_error(llm: ScriptedLLM) -> None:
    config = LLMConfig("http://127.0.0.1:9/v1", "m", SecretStr(API_KEY), timeout=0.5, max_retries=0)
    with pytest.raises(LLMFailure) as info:
        ChatClient(config).complete(HI)
    assert info.value.reason in ("error", "timeout")


def test_wrong_key_is_an_error_without_the_key_anywhere(llm: ScriptedLLM, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "sk-wrong-" + API_KEY[::-1]
    config = LLMConfig(llm.base_url, llm.model, SecretStr(wrong), timeout=1.0, max_retries=0)
    with pytest.raises(LLMFailure) as info:
        ChatClient(config).complete(HI)
    assert info.value.status == 401
    llm.push(Reply(status=500))
    with pytest.raises(LLMFailure) as again:
        client(llm).complete(HI)
    for text in (str(info.value), repr(info.value), str(again.value), repr(config), caplog.text):
        assert API_KEY not in text and wrong not in text


def test_settings_without_endpoint_or_model_mean_no_model() -> None:
    from assistant.settings import Settings

    assert LLMConfig.from_settings(Settings(llm_base_url="http://x/v1")) is None
    assert LLMConfig.from_settings(Settings(llm_model="m")) is None
    config = LLMConfig.from_settings(Settings(llm_base_url="http://x/v1/", llm_model="m"))
    assert config is not None and config.base_url == "http://x/v1"
    assert config.api_key.get_secret_value() == "not-needed"  # local servers take any key
    shown = repr(Settings(llm_api_key=SecretStr(API_KEY)))
    assert API_KEY not in shown
