"""The HTTP service: ``create_app(services)`` puts routers, middleware and error mapping over the core.

Starting the app starts the core's serving side (``Services.start``): jobs left by a previous process are
resumed or failed, queued jobs run, and the bundled corpus is indexed in the background — so ``/healthz``
answers at once (the process is up) while ``/readyz`` says 503 until the knowledge base can answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from assistant.services import Services
from channels.api import errors, routes_admin, routes_ask, routes_learning, routes_openai, routes_resources
from channels.api.auth import TokenFirstMiddleware
from channels.api.limits import BodyLimitMiddleware
from channels.api.metrics import install_metrics
from channels.web import UPLOAD_PATHS
from channels.web import router as console
from channels.web.console import page_not_found

ROUTERS = (routes_ask.router, routes_openai.router, routes_resources.router, routes_learning.router,
           routes_admin.router)


def create_app(services: Services, *, start: bool = True) -> FastAPI:
    """``start=False`` leaves the core's background side to the caller (several apps over one core)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if start:
            services.start()
        yield
        if start:
            services.close()

    app = FastAPI(
        title="国培助手 API",
        version="1",
        description="国培计划政策与培训资源知识库：问答、检索测试、培训者资源管理。除健康检查外均需 Bearer 令牌。",
        lifespan=lifespan,
    )
    app.state.services = services
    settings = services.settings
    for router in ROUTERS:
        app.include_router(router)
    app.include_router(console)  # the web console at /, over the same use cases and accounts
    # The last added runs first: metrics see every answer, the token is checked before the body is read.
    app.add_middleware(BodyLimitMiddleware, upload_max_bytes=settings.upload_max_bytes,
                       json_max_bytes=settings.json_max_bytes, upload_prefix=("/v1/resources", *UPLOAD_PATHS))
    app.add_middleware(TokenFirstMiddleware, people=services.usecases.people)
    install_metrics(app, services.assistant)
    # the core's typed errors, validation and Starlette's own refusals, all in Chinese; a mistyped console
    # address gets the console's page
    errors.install(app, page_not_found=page_not_found)

    @app.get("/healthz", tags=["运维"], summary="进程存活检查")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["运维"], summary="就绪检查：知识库可访问且内置语料已索引",
             responses={503: {"description": "尚未就绪"}})
    def readyz() -> Any:
        readiness = services.readiness
        try:
            chunks = services.assistant.store.count()
        except Exception as exc:
            return JSONResponse({"status": "unavailable", "detail": f"知识库无法访问：{exc}"}, status_code=503)
        if readiness.error:
            return JSONResponse({"status": "failed", "detail": f"内置语料索引失败：{readiness.error}"},
                                status_code=503)
        if not readiness.indexed.is_set():
            return JSONResponse({"status": "indexing", "detail": "正在建立内置语料索引，请稍候"}, status_code=503)
        return {"status": "ready", "chunks": chunks}

    return app
