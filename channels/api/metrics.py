"""Prometheus metrics: request counts by route template and status, latency, and the index size.

Each app gets its own registry, so several apps in one process (tests, a future admin app) never clash
over metric names. Routes are labelled by their template (``/v1/resources/{resource_id}``), and anything
that matched no route is ``unmatched``: label values must not grow with what clients send.
"""

from __future__ import annotations

import time

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.service import Assistant


def _route_label(app: FastAPI, scope: Scope) -> str:
    route = scope.get("route")
    if route is not None and getattr(route, "path", None):
        return str(route.path)
    for candidate in app.router.routes:
        match, _ = candidate.matches(scope)
        if match == Match.FULL and getattr(candidate, "path", None):
            return str(candidate.path)
    return "unmatched"


class _Measure:
    """Pure ASGI (not BaseHTTPMiddleware): no task group around the app, so body-limit errors raised
    while reading an upload reach their handler unwrapped, and streaming responses are not buffered."""

    def __init__(self, app: ASGIApp, *, owner: FastAPI, requests: Counter, latency: Histogram) -> None:
        self.app = app
        self.owner = owner
        self.requests = requests
        self.latency = latency

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        finally:
            route = _route_label(self.owner, scope)
            self.requests.labels(scope["method"], route, str(status)).inc()
            self.latency.labels(scope["method"], route).observe(time.perf_counter() - start)


def install_metrics(app: FastAPI, assistant: Assistant) -> CollectorRegistry:
    registry = CollectorRegistry()
    requests = Counter("guopei_http_requests", "HTTP 请求数", ["method", "route", "status"], registry=registry)
    latency = Histogram("guopei_http_request_duration_seconds", "HTTP 请求耗时（秒）", ["method", "route"],
                        registry=registry,
                        buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
    chunks = Gauge("guopei_index_chunks", "知识库中的文本块数", registry=registry)
    chunks.set_function(lambda: float(assistant.store.count()))
    llm = getattr(assistant, "llm", None)
    if llm is not None:  # answers, fallbacks and dropped sentences by reason; never the key or the URL
        from assistant.llm.metrics import LLMCollector
        registry.register(LLMCollector(llm.stats, llm.model))

    app.add_middleware(_Measure, owner=app, requests=requests, latency=latency)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return registry
