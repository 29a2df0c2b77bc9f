"""One OpenAI-compatible chat endpoint (DeepSeek, Qwen/DashScope, GLM, Kimi, vLLM, Ollama, llama.cpp),
through LangChain's ``ChatOpenAI``, with every way it can fail reduced to one short reason.

Callers never see the provider's exception: a timeout, a 429 after the retries, a 5xx, a refused
connection or a reply with no text each becomes ``LLMFailure(reason)``, which the answerer turns into the
extractive answer and counts in ``/metrics``. Exception texts are never logged or passed on: they can
carry request details, and the API key is a secret (``SecretStr`` from the settings, handed to the client
and nowhere else).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr

log = logging.getLogger(__name__)

# Local servers (llama.cpp, Ollama) need no key, but the client library insists on one.
NO_KEY = "not-needed"
REASONS = ("timeout", "rate_limited", "error", "empty")
REASON_TEXT = {"timeout": "模型响应超时", "rate_limited": "模型接口限流", "error": "模型接口出错",
               "empty": "模型没有返回内容"}


class LLMFailure(RuntimeError):
    """The endpoint gave no usable reply; ``reason`` is one of ``REASONS`` (a metrics label)."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(REASON_TEXT.get(reason, reason) + (f"（HTTP {status}）" if status else ""))
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    model: str
    api_key: SecretStr = field(default_factory=lambda: SecretStr(NO_KEY), repr=False)
    timeout: float = 30.0  # first byte, and each piece of a stream
    deadline: float = 90.0  # the whole generation, retries and streaming included
    max_retries: int = 2
    temperature: float = 0.2
    max_tokens: int = 800

    @classmethod
    def from_settings(cls, settings: Any) -> LLMConfig | None:
        """None unless both the endpoint and the model are set: the extractive default needs neither."""
        if not settings.llm_base_url or not settings.llm_model:
            return None
        key = settings.llm_api_key
        return cls(settings.llm_base_url.rstrip("/"), settings.llm_model,
                   key if key is not None and key.get_secret_value() else SecretStr(NO_KEY),
                   settings.llm_timeout, settings.llm_deadline, settings.llm_max_retries,
                   settings.llm_temperature, settings.llm_max_tokens)


def _timeout_errors() -> tuple[type[BaseException], ...]:
    """The read timeouts a stream can raise unwrapped: the HTTP library differs between openai releases."""
    import openai  # the client library ChatOpenAI is built on

    found: list[type[BaseException]] = [openai.APITimeoutError, TimeoutError]
    for name in ("httpx2", "httpx"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        found.append(module.TimeoutException)
    return tuple(found)


def _classify(exc: BaseException) -> LLMFailure:
    import openai

    if isinstance(exc, LLMFailure):
        return exc
    if isinstance(exc, _timeout_errors()):
        return LLMFailure("timeout")
    if isinstance(exc, openai.RateLimitError):
        return LLMFailure("rate_limited", 429)
    if isinstance(exc, openai.APIStatusError):
        return LLMFailure("error", exc.status_code)
    return LLMFailure("error")


class ChatClient:
    """``complete`` for one reply, ``stream`` for its text as it arrives; both raise only ``LLMFailure``."""

    def __init__(self, config: LLMConfig, *, json_mode: bool = False) -> None:
        from langchain_openai import ChatOpenAI

        self.config = config
        kwargs: dict[str, Any] = {"response_format": {"type": "json_object"}} if json_mode else {}
        self.chat = ChatOpenAI(
            model=config.model, base_url=config.base_url, api_key=config.api_key,
            # A plain number: each openai release wraps it in its own HTTP library's timeout type.
            timeout=config.timeout,
            max_retries=config.max_retries, temperature=config.temperature,
            # max_tokens, not max_completion_tokens: the name every compatible server understands.
            extra_body={"max_tokens": config.max_tokens}, **kwargs,
        )

    @property
    def model(self) -> str:
        return self.config.model

    def complete(self, messages: Sequence[dict[str, str]]) -> str:
        start = time.monotonic()
        try:
            reply = self.chat.invoke(list(messages))
        except Exception as exc:
            failure = _classify(exc)
            log.warning("LLM 调用失败：%s", failure.reason)
            raise failure from None
        if time.monotonic() - start > self.config.deadline:
            raise LLMFailure("timeout")
        text = reply.content if isinstance(reply.content, str) else "".join(
            p.get("text", "") if isinstance(p, dict) else str(p) for p in reply.content)
        if not text.strip():
            raise LLMFailure("empty")
        return text

    def stream(self, messages: Sequence[dict[str, str]]) -> Iterator[str]:
        """Text pieces as the server sends them; stops with ``LLMFailure("timeout")`` past the deadline."""
        start = time.monotonic()
        produced = False
        try:
            for chunk in self.chat.stream(list(messages)):
                piece = chunk.content if isinstance(chunk.content, str) else ""
                if time.monotonic() - start > self.config.deadline:
                    raise LLMFailure("timeout")
                if piece:
                    produced = True
                    yield piece
        except Exception as exc:
            failure = _classify(exc)
            log.warning("LLM 流式调用失败：%s", failure.reason)
            raise failure from None
        if not produced:
            raise LLMFailure("empty")
