"""Who is calling: the bearer token checked before the body is read, and the ``require`` dependency.

The token is checked by ``TokenFirstMiddleware`` from the request headers alone, before anything reads
the body: FastAPI reads (and buffers) a request body before it resolves dependencies, so a check done only
in a dependency let anyone without a token make the server read 200 MB. Dependencies then reuse the actor
the middleware found. Which roles may do what is the core's table (``assistant.roles.PERMISSIONS``); a
route declares the action, and the use case checks it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.errors import Forbidden
from assistant.roles import Actor, allowed, refusal
from assistant.usecases.people import People
from channels.api.limits import reply

_bearer = HTTPBearer(auto_error=False, description="用 `guopei users add` 生成的令牌")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
_ACTOR_KEY = "guopei.actor"  # where TokenFirstMiddleware leaves the authenticated actor in the ASGI scope
NO_TOKEN = "未登录：请在请求头中提供 Authorization: Bearer <令牌>"
BAD_TOKEN = "令牌无效或已被吊销，请联系管理员重新获取"


def authenticate_header(people: People, authorization: str | None) -> Actor:
    """The actor an ``Authorization: Bearer …`` header names; HTTPException 401 otherwise."""
    scheme, token = get_authorization_scheme_param(authorization)
    if not authorization or scheme.lower() != "bearer" or not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NO_TOKEN, headers=_CHALLENGE)
    actor = people.authenticate(token)
    if actor is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, BAD_TOKEN, headers=_CHALLENGE)
    return actor


class TokenFirstMiddleware:
    """401 for every ``/v1`` request without a valid token, decided from the headers before the body."""

    def __init__(self, app: ASGIApp, *, people: People, prefix: str = "/v1/") -> None:
        self.app = app
        self.people = people
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            authorization = Request(scope).headers.get("authorization")
            try:
                scope[_ACTOR_KEY] = await run_in_threadpool(authenticate_header, self.people, authorization)
            except HTTPException as exc:
                await reply(send, exc.status_code, exc.detail, [(b"www-authenticate", b"Bearer")],
                            path=scope["path"])
                return
        await self.app(scope, receive, send)


def current_actor(request: Request,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Actor:
    """The actor ``TokenFirstMiddleware`` authenticated; ``credentials`` only documents the scheme in OpenAPI."""
    actor = request.scope.get(_ACTOR_KEY)
    if isinstance(actor, Actor):
        return actor
    return authenticate_header(request.app.state.services.usecases.people, request.headers.get("authorization"))


def require(action: str) -> Callable[..., Actor]:
    """A dependency admitting only the roles allowed ``action``: 401 without a valid token, 403 otherwise."""
    roles = allowed(action)

    def dependency(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.role not in roles:
            raise Forbidden(refusal(roles, actor.role), roles)
        return actor

    dependency.roles = roles  # type: ignore[attr-defined]  # lets tests and docs list a route's roles
    return dependency


Anyone = Annotated[Actor, Depends(require("ask"))]
Learner = Annotated[Actor, Depends(require("learn"))]
Staff = Annotated[Actor, Depends(require("resources.write"))]
Admin = Annotated[Actor, Depends(require("evals.run"))]
