"""Who is calling: bearer tokens mapped to users with one of three roles, and the ``require`` dependency.

The token is checked by ``TokenFirstMiddleware`` from the request headers alone, before anything reads
the body: FastAPI reads (and buffers) a request body before it resolves dependencies, so a check done only
in a dependency let anyone without a token make the server read 200 MB. Dependencies then reuse the user
the middleware found.

Tokens are 32 random bytes (``secrets.token_urlsafe``), so guessing is hopeless and a salted SHA-256 is
enough to keep a leaked database from handing out working tokens; the slow KDFs exist for low-entropy
passwords, which these are not. A token is shown once, at creation, and never stored in the clear.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.api.limits import reply
from assistant.db import Database

Role = Literal["teacher", "trainer", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
ROLE_LABELS = {"teacher": "教师", "trainer": "培训者", "admin": "管理员"}
# What a teacher may do, trainers and admins may do too: routes list roles explicitly anyway.
ANY_ROLE: tuple[Role, ...] = ("teacher", "trainer", "admin")
STAFF: tuple[Role, ...] = ("trainer", "admin")


class UserError(ValueError):
    """A user-management request that cannot be carried out; the message is shown as is."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    created_at: str
    revoked_at: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "role": self.role, "created_at": self.created_at,
                "revoked_at": self.revoked_at}


def _hash(salt: str, token: str) -> str:
    return hashlib.sha256(f"{salt}:{token}".encode()).hexdigest()


def _user(row: sqlite3.Row) -> User:
    return User(row["id"], row["name"], row["role"], row["created_at"], row["revoked_at"])


class UserStore:
    """The ``users`` table; the only place that sees token hashes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, name: str, role: str) -> tuple[User, str]:
        """Create a user and return it with its token — the only time the token exists in the clear."""
        name = (name or "").strip()
        if not name:
            raise UserError("用户名不能为空")
        if role not in ROLES:
            raise UserError(f"角色“{role}”无效，应为 teacher（教师）、trainer（培训者）或 admin（管理员）之一")
        token = secrets.token_urlsafe(32)
        salt = secrets.token_hex(16)
        try:
            with self.db.transaction() as conn:
                cur = conn.execute(
                    "INSERT INTO users (name, role, token_salt, token_hash) VALUES (?, ?, ?, ?)",
                    (name, role, salt, _hash(salt, token)),
                )
                row = conn.execute("SELECT * FROM users WHERE id = ?", (cur.lastrowid,)).fetchone()
        except sqlite3.IntegrityError as exc:
            raise UserError(f"用户“{name}”已存在") from exc
        return _user(row), token

    def list(self) -> list[User]:
        return [_user(r) for r in self.db.conn.execute("SELECT * FROM users ORDER BY id")]

    def get(self, user_id: int) -> User | None:
        row = self.db.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return _user(row) if row else None

    def revoke(self, name: str) -> User:
        with self.db.transaction() as conn:
            row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise UserError(f"找不到用户“{name}”")
            if row["revoked_at"] is None:
                conn.execute("UPDATE users SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                             (row["id"],))
            row = conn.execute("SELECT * FROM users WHERE id = ?", (row["id"],)).fetchone()
        return _user(row)

    def authenticate(self, token: str | None) -> User | None:
        """The active user holding ``token``.

        Salted hashes cannot be looked up by value, so every active user is compared in constant time;
        a deployment has hundreds of users, not millions, and one SHA-256 each is microseconds.
        """
        if not token or len(token) > 256:
            return None
        found: User | None = None
        for row in self.db.conn.execute("SELECT * FROM users WHERE revoked_at IS NULL"):
            if hmac.compare_digest(_hash(row["token_salt"], token), row["token_hash"]):
                found = _user(row)
        return found


_bearer = HTTPBearer(auto_error=False, description="用 `guopei users add` 生成的令牌")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
_USER_KEY = "guopei.user"  # where TokenFirstMiddleware leaves the authenticated user in the ASGI scope
NO_TOKEN = "未登录：请在请求头中提供 Authorization: Bearer <令牌>"
BAD_TOKEN = "令牌无效或已被吊销，请联系管理员重新获取"


def authenticate_header(users: UserStore, authorization: str | None) -> User:
    """The user an ``Authorization: Bearer …`` header names; HTTPException 401 otherwise."""
    scheme, token = get_authorization_scheme_param(authorization)
    if not authorization or scheme.lower() != "bearer" or not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NO_TOKEN, headers=_CHALLENGE)
    user = users.authenticate(token)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, BAD_TOKEN, headers=_CHALLENGE)
    return user


class TokenFirstMiddleware:
    """401 for every ``/v1`` request without a valid token, decided from the headers before the body."""

    def __init__(self, app: ASGIApp, *, users: UserStore, prefix: str = "/v1/") -> None:
        self.app = app
        self.users = users
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            authorization = Request(scope).headers.get("authorization")
            try:
                scope[_USER_KEY] = await run_in_threadpool(authenticate_header, self.users, authorization)
            except HTTPException as exc:
                await reply(send, exc.status_code, exc.detail, [(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)


def current_user(request: Request,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> User:
    """The user ``TokenFirstMiddleware`` authenticated; ``credentials`` only documents the scheme in OpenAPI."""
    user = request.scope.get(_USER_KEY)
    if isinstance(user, User):
        return user
    return authenticate_header(request.app.state.users, request.headers.get("authorization"))


def require(*roles: Role) -> Callable[..., User]:
    """A dependency admitting only ``roles``: 401 without a valid token, 403 with the wrong role."""
    allowed = tuple(roles) or ANY_ROLE

    def dependency(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in allowed:
            need = "、".join(ROLE_LABELS[r] for r in allowed)
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"权限不足：该操作仅限{need}，当前身份为{ROLE_LABELS.get(user.role, user.role)}")
        return user

    dependency.roles = allowed  # type: ignore[attr-defined]  # lets tests and docs list a route's roles
    return dependency
