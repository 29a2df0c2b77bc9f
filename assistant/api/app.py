"""The HTTP service: ``create_app`` wires settings, the assistant, users and routers into one FastAPI app.

The bundled corpus is indexed in a background thread at startup, so ``/healthz`` answers at once (the
process is up) while ``/readyz`` says 503 until the knowledge base can actually answer. Routers live in
their own modules and are only included here; later features (learning) add a router, not code here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant.api import evals, learning, routes_ask, routes_resources
from assistant.api.auth import TokenFirstMiddleware, UserStore
from assistant.api.limits import BodyLimitMiddleware, validation_error
from assistant.api.metrics import install_metrics
from assistant.api.ratelimit import RateLimiter
from assistant.companion import Companion
from assistant.db import Database
from assistant.records import Records
from assistant.resources import ResourceService
from assistant.service import Assistant
from assistant.settings import Settings, get_settings
from evals.runner import DATASETS_DIR

log = logging.getLogger(__name__)

ROUTERS = (routes_ask.router, routes_resources.router, learning.router, evals.router)


class _Readiness:
    def __init__(self) -> None:
        self.indexed = threading.Event()
        self.error: str | None = None


def _index_bundled(assistant: Assistant, state: _Readiness) -> None:
    try:
        assistant.ensure_indexed()
    except Exception as exc:  # reported by /readyz; the process itself stays up
        log.exception("内置语料索引失败")
        state.error = str(exc) or type(exc).__name__
    else:
        state.indexed.set()


def create_app(settings: Settings | None = None, assistant: Assistant | None = None,
               datasets_dir: Path | None = None) -> FastAPI:
    """``datasets_dir`` is where ``POST /v1/evals`` looks up dataset names (default: ``evals/datasets``)."""
    settings = settings or (assistant.settings if assistant else get_settings())
    assistant = assistant or Assistant.from_settings(settings)
    readiness = _Readiness()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=_index_bundled, args=(assistant, readiness), name="index-bundled",
                         daemon=True).start()
        yield

    app = FastAPI(
        title="国培助手 API",
        version="1",
        description="国培计划政策与培训资源知识库：问答、检索测试、培训者资源管理。除健康检查外均需 Bearer 令牌。",
        lifespan=lifespan,
    )
    db = Database(settings.db_path)
    app.state.settings = settings
    app.state.assistant = assistant
    app.state.db = db
    app.state.users = UserStore(db)
    app.state.limiter = RateLimiter(settings.ask_rate_per_minute)
    app.state.resources = ResourceService(assistant, db, background_bytes=settings.upload_background_bytes)
    app.state.companion = Companion(assistant, Records(db, settings.credit_hours_per_task, settings.credits_per_hour))
    app.state.evals = evals.EvalRuns(settings.data_dir / "evals", datasets_dir or DATASETS_DIR)
    app.state.readiness = readiness

    for router in ROUTERS:
        app.include_router(router)
    # The last added runs first: metrics see every answer, the token is checked before the body is read.
    app.add_middleware(BodyLimitMiddleware, upload_max_bytes=settings.upload_max_bytes,
                       json_max_bytes=settings.json_max_bytes)
    app.add_middleware(TokenFirstMiddleware, users=app.state.users)
    install_metrics(app, assistant)
    app.add_exception_handler(RequestValidationError, validation_error)

    @app.get("/healthz", tags=["运维"], summary="进程存活检查")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["运维"], summary="就绪检查：知识库可访问且内置语料已索引",
             responses={503: {"description": "尚未就绪"}})
    def readyz() -> Any:
        try:
            chunks = assistant.store.count()
        except Exception as exc:
            return JSONResponse({"status": "unavailable", "detail": f"知识库无法访问：{exc}"}, status_code=503)
        if readiness.error:
            return JSONResponse({"status": "failed", "detail": f"内置语料索引失败：{readiness.error}"},
                                status_code=503)
        if not readiness.indexed.is_set():
            return JSONResponse({"status": "indexing", "detail": "正在建立内置语料索引，请稍候"}, status_code=503)
        return {"status": "ready", "chunks": chunks}

    return app
