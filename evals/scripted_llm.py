"""A scripted OpenAI-compatible chat server: real HTTP on 127.0.0.1, the chat-completions wire protocol.

It stands in for DeepSeek, Qwen or a llama.cpp server wherever no model can be reached (tests, offline
evals): ``POST /v1/chat/completions`` with and without ``"stream": true`` (server-sent
``chat.completion.chunk`` events ending in ``data: [DONE]``), ``GET /v1/models``, errors in the shape the
``openai`` client parses (429 with ``Retry-After``, 500), a delay before the response or before the first
token, and a bearer key check. What it replies is scripted: a queue of ``Reply`` objects for tests, else a
``responder`` called with the request body.

``PassageResponder`` is the responder evals use: it reads the numbered passages and the knowledge-base
decision out of the prompt and writes a short cited answer from the passage sentence closest to the
question, lightly reworded. Given ``faults``, a share of its answers carry one of the faults the post-check
must catch (a citation of a passage that was not given, no citations, an invented figure, an obeyed
planted instruction), chosen by a hash of the question so a run is reproducible. It is a stand-in for the
pipeline, not for a model's quality.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from corpus.text import CJK


@dataclass
class Reply:
    text: str = ""
    status: int = 200
    delay: float = 0.0  # before the response starts (headers included): a slow or hung server
    first_token_delay: float = 0.0  # streaming: after the headers, before the first piece
    piece_delay: float = 0.0  # streaming: between pieces
    retry_after: float | None = None  # seconds, sent as Retry-After-Ms with a 429
    pieces: list[str] | None = None  # how the text is cut into stream chunks (default: 4 characters each)


@dataclass
class ScriptedLLM:
    model: str = "scripted-model"
    api_key: str | None = None  # when set, requests must carry it as a bearer token
    responder: Callable[[dict[str, Any]], Reply] | None = None
    script: list[Reply] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    base_url: str = ""

    def __post_init__(self) -> None:
        self.lock = threading.Lock()

    def push(self, *replies: Reply) -> None:
        with self.lock:
            self.script.extend(replies)

    def _next(self, body: dict[str, Any]) -> Reply:
        with self.lock:
            if self.script:
                return self.script.pop(0)
        if self.responder is None:
            return Reply(status=500, text="no scripted reply")
        return self.responder(body)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self._chat, methods=["POST"]),
                                 Route("/v1/models", self._models, methods=["GET"])])

    def _authorised(self, request: Request) -> bool:
        return self.api_key is None or request.headers.get("authorization") == f"Bearer {self.api_key}"

    async def _models(self, request: Request) -> Response:
        if not self._authorised(request):
            return _error(401, "invalid api key", "invalid_request_error")
        return JSONResponse({"object": "list", "data": [{"id": self.model, "object": "model", "created": 0,
                                                          "owned_by": "scripted"}]})

    async def _chat(self, request: Request) -> Response:
        if not self._authorised(request):
            return _error(401, "invalid api key", "invalid_request_error")
        body = await request.json()
        with self.lock:
            self.requests.append(body)
            self.headers.append(dict(request.headers))
        reply = await asyncio.to_thread(self._next, body)
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status != 200:
            headers = {"retry-after-ms": str(int(reply.retry_after * 1000))} if reply.retry_after is not None else {}
            kind = "rate_limit_error" if reply.status == 429 else "server_error"
            return _error(reply.status, reply.text or kind, kind, headers)
        cid, created = f"chatcmpl-{uuid.uuid4().hex[:12]}", int(time.time())
        if not body.get("stream"):
            return JSONResponse({
                "id": cid, "object": "chat.completion", "created": created, "model": self.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": len(reply.text), "total_tokens": len(reply.text)},
            })
        return StreamingResponse(self._events(reply, cid, created), media_type="text/event-stream")

    async def _events(self, reply: Reply, cid: str, created: int) -> Any:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            payload = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": self.model,
                       "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        if reply.first_token_delay:
            await asyncio.sleep(reply.first_token_delay)
        pieces = reply.pieces if reply.pieces is not None else [reply.text[i:i + 4]
                                                                  for i in range(0, len(reply.text), 4)]
        for i, piece in enumerate(pieces):
            if i and reply.piece_delay:
                await asyncio.sleep(reply.piece_delay)
            yield chunk({"content": piece})
        yield chunk({}, "stop")
        yield "data: [DONE]\n\n"


def _error(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "code": None}}, status, headers=headers)


@contextmanager
def in_thread(app: Any, name: str, **config: Any) -> Iterator[int]:
    """Serve an ASGI ``app`` with uvicorn in a daemon thread on a free 127.0.0.1 port; yields the port."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=1, **config))
    thread = threading.Thread(target=server.run, name=f"{name}-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"{name} server did not start")
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serving(llm: ScriptedLLM) -> Iterator[ScriptedLLM]:
    """Serve ``llm`` with uvicorn in a thread on a free port; ``llm.base_url`` ends in ``/v1``."""
    with in_thread(llm.app(), "scripted-llm") as port:
        llm.base_url = f"http://127.0.0.1:{port}/v1"
        yield llm


# -- a responder that answers from the prompt's passages ---------------------------------------------------
_PASSAGE = re.compile(r"<资料 编号=\"(\d+)\"[^>]*>\n(.*?)\n</资料>", re.S)
_MISSING = re.compile(r"知识库判定：文件没有写明(.+?)。")
_QUESTION = re.compile(r"问题：(.+)$", re.S)
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
_REWORD = (("应当", "应"), ("要求", "规定"), ("进一步", ""), ("切实", ""), ("各地", "各地方"), ("并且", "并"))
FAULTS = ("wrong_citation", "no_citation", "extra_number", "instruction")


def _grams(text: str) -> set[str]:
    chars = "".join(CJK.findall(text))
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


def _reword(sentence: str) -> str:
    out = sentence.strip().rstrip("。；;")
    for a, b in _REWORD:
        out = out.replace(a, b)
    return out


@dataclass
class PassageResponder:
    faults: float = 0.0  # share of answers with one of FAULTS
    planted: str = "所有参训教师均可免费获得培训证书"  # what an obeyed planted instruction makes it say
    counts: dict[str, int] = field(default_factory=dict)
    applied: dict[str, str | None] = field(default_factory=dict)  # question as prompted -> fault given

    def fault_for(self, question: str) -> str | None:
        h = int(hashlib.sha256(question.encode()).hexdigest()[:8], 16)
        if (h % 1000) / 1000 >= self.faults:
            return None
        return FAULTS[(h // 1000) % len(FAULTS)]

    def __call__(self, body: dict[str, Any]) -> Reply:
        prompt = "\n".join(str(m.get("content", "")) for m in body.get("messages", []) if m.get("role") == "user")
        passages = [(int(n), text) for n, text in _PASSAGE.findall(prompt)]
        question = (_QUESTION.search(prompt).group(1) if _QUESTION.search(prompt) else prompt).strip()
        if not passages:
            return Reply(text="资料中没有相关内容。")
        asked = _grams(question)
        scored = [(len(asked & _grams(s)), n, s) for n, text in passages for s in _SENTENCE.findall(text)
                  if len(s.strip()) >= 8]
        scored.sort(key=lambda t: -t[0])
        best = [(n, _reword(s)) for _, n, s in scored[:2]]
        lines = [f"{s}[{n}]。" for n, s in best if s]
        missing = _MISSING.search(prompt)
        if missing:
            lines = [f"文件没有写明{missing.group(1)}。", *lines[:1]]
        fault = self.fault_for(question)
        self.counts[fault or "good"] = self.counts.get(fault or "good", 0) + 1
        self.applied[question] = fault
        if fault == "wrong_citation":
            lines[-1] = re.sub(r"\[\d+\]", f"[{len(passages) + 3}]", lines[-1])
        elif fault == "no_citation":
            lines = [re.sub(r"\[\d+\]", "", line) for line in lines]
        elif fault == "extra_number":
            lines.append(f"每位教师每年另有1280元补贴[{best[0][0] if best else 1}]。")
        elif fault == "instruction":
            lines = [f"{self.planted}。"]
        return Reply(text="".join(lines))
