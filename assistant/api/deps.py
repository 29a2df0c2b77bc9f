"""Shared per-app objects, looked up from ``request.app.state`` so routers stay free of globals."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.api.ratelimit import RateLimiter
from assistant.companion import Companion
from assistant.resources import ResourceService
from assistant.service import Assistant


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


def get_resources(request: Request) -> ResourceService:
    return request.app.state.resources


def get_limiter(request: Request) -> RateLimiter:
    return request.app.state.limiter


def get_companion(request: Request) -> Companion:
    return request.app.state.companion


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
ResourcesDep = Annotated[ResourceService, Depends(get_resources)]
LimiterDep = Annotated[RateLimiter, Depends(get_limiter)]
CompanionDep = Annotated[Companion, Depends(get_companion)]
