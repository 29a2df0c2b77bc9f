"""The console's request plumbing: who is visiting, what they may see, and how pages and refusals render.

Every console route takes a ``Visit`` (the session cookie checked, the account looked up again, the
CSRF token for its forms) and, if it is not open to everyone, a role guard built from the core's
permission table — the same table the API and the use cases check, so a teacher is refused here for
exactly the actions the API refuses. Refusals are the core's typed errors; ``ConsoleRoute`` turns them
into a Chinese page with the matching status (or JSON for the page's own scripts), so handlers stay a
call into the facade and a template.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape

from assistant.errors import CoreError, Forbidden, RateLimited
from assistant.records.users import User
from assistant.roles import ROLE_LABELS, Actor, allowed, refusal
from assistant.services import Services
from assistant.usecases.people import People
from channels.web.markup import FILTERS
from channels.web.session import COOKIE, Session, Sessions, load_key

HERE = Path(__file__).resolve().parent
STATUS = {"invalid": 422, "not_found": 404, "forbidden": 403, "unauthenticated": 401, "too_large": 413,
          "unsupported": 415, "conflict": 409, "rate_limited": 429, "unavailable": 503, "cancelled": 409}
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
FRAGMENT_HEADER = "x-console-fragment"
FIELD_NAMES = {"answer": "作答", "question": "问题", "file": "文件", "title": "标题", "name": "名称", "role": "身份",
               "rating": "评分", "target": "评价对象", "comment": "意见", "kind": "类别", "topic": "主题",
               "change": "操作", "dataset": "数据集", "k": "检索条数", "channel": "渠道", "account": "账号",
               "ref": "评价对象", "offset": "起始位置", "token": "令牌", "code": "邀请码", "history": "对话记录"}
CSRF_REFUSED = "表单已过期或来源不明（缺少安全校验码），请刷新页面后重试"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_lock = threading.Lock()


class LoginRequired(Exception):
    """The page needs a signed-in account; the visitor is sent to the login page."""


@dataclass
class Console:
    """What the console keeps per app: the core's services, the session signer and the templates."""

    services: Services
    sessions: Sessions
    templates: Environment

    @classmethod
    def of(cls, services: Services) -> Console:
        templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(),
                                trim_blocks=True, lstrip_blocks=True)
        templates.filters.update(FILTERS)
        # The question box stops where the core does: a teacher should not type 2000 characters to learn 500 count.
        templates.globals.update(role_label=lambda r: ROLE_LABELS.get(r, r), may=may,
                                 max_question_chars=services.assistant.tuning.max_question_chars)
        return cls(services, Sessions(load_key(services.settings.data_dir)), templates)


def console_of(request: Request) -> Console:
    """The console of this app, built on first use from the services the app already holds."""
    state = request.app.state
    with _lock:
        if getattr(state, "console", None) is None:
            state.console = Console.of(state.services)
    return state.console  # type: ignore[no-any-return]


def may(role: str | None, action: str) -> bool:
    """Whether a role may do an action: templates use it to show only the links that will work."""
    return role is not None and role in allowed(action)


@dataclass
class Visit:
    request: Request
    console: Console
    session: Session
    fresh: bool  # the cookie must be (re)issued with this response
    user: User | None = None
    extra_cookie: dict[str, Any] = field(default_factory=dict)

    @property
    def actor(self) -> Actor | None:
        return None if self.user is None else People.console_actor(self.user)

    @property
    def csrf(self) -> str:
        return self.console.sessions.csrf(self.session)

    @property
    def wants_fragment(self) -> bool:
        return self.request.headers.get(FRAGMENT_HEADER) == "1"

    @property
    def wants_json(self) -> bool:
        return "application/json" in self.request.headers.get("accept", "")

    def start(self, user: User) -> None:
        """Sign in: a new nonce, so whatever the browser held before is no longer a session."""
        self.console.sessions.end(self.session)
        self.session = self.console.sessions.new(user.id)
        self.user = user
        self.fresh = True

    def end(self) -> None:
        self.console.sessions.end(self.session)
        self.session = self.console.sessions.new()
        self.user = None
        self.fresh = True

    def keep(self, response: Response) -> Response:
        if self.fresh:
            response.set_cookie(COOKIE, self.console.sessions.dump(self.session), max_age=self.console.sessions.max_age,
                                httponly=True, secure=True, samesite="strict", path="/")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    def fragment(self, template: str, **context: Any) -> str:
        """A template rendered for this visit, as text (a page, or a piece a script inserts)."""
        return self.console.templates.get_template(template).render(
            visit=self, user=self.user, role=self.user.role if self.user else None, csrf=self.csrf,
            path=self.request.url.path, **context)

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        page = self.fragment(template, **context)
        return self.keep(HTMLResponse(page, status_code=status_code))  # type: ignore[return-value]

    def redirect(self, url: str) -> Response:
        return self.keep(RedirectResponse(url, status_code=303))

    def json(self, body: Any, status_code: int = 200) -> Response:
        return self.keep(JSONResponse(body, status_code=status_code))


def _visit(request: Request) -> Visit:
    console = console_of(request)
    session = console.sessions.load(request.cookies.get(COOKIE))
    fresh = session is None
    if session is None:
        session = console.sessions.new()
    user = None
    if session.user_id is not None:
        user = console.services.users.get(session.user_id)
        # revoked or reissued since signing in: the session ends with the token it was signed in with
        if user is None or not user.active or session.issued < user.token_issued_at:
            session, user, fresh = console.sessions.new(), None, True
    return Visit(request, console, session, fresh, user)


async def visit(request: Request) -> Visit:
    """The visit, with the CSRF token checked on every request that changes something."""
    current = _visit(request)
    if request.method not in _SAFE_METHODS:
        token = request.headers.get(CSRF_HEADER)
        if token is None:
            form = await request.form()
            value = form.get(CSRF_FIELD)
            token = value if isinstance(value, str) else None
        if not current.console.sessions.csrf_ok(current.session, token):
            raise Forbidden(CSRF_REFUSED)
    return current


Anyone = Annotated[Visit, Depends(visit)]


def signed_in(current: Anyone) -> Visit:
    if current.user is None:
        raise LoginRequired
    return current


def permitted(action: str) -> Callable[[Visit], Visit]:
    """A guard admitting the roles the core allows ``action``: the login page for strangers, 403 otherwise."""
    roles = allowed(action)

    def guard(current: Annotated[Visit, Depends(signed_in)]) -> Visit:
        assert current.user is not None
        if current.user.role not in roles:
            raise Forbidden(refusal(roles, current.user.role), roles)
        return current

    return guard


Member = Annotated[Visit, Depends(signed_in)]
Learner = Annotated[Visit, Depends(permitted("learn"))]
Staff = Annotated[Visit, Depends(permitted("resources.write"))]
Admin = Annotated[Visit, Depends(permitted("users.manage"))]


def _refuse(request: Request, status_code: int, message: str, headers: dict[str, str] | None = None) -> Response:
    current = _visit(request)
    if current.wants_json or current.wants_fragment:
        response = current.json({"detail": message}, status_code)
    else:
        response = current.render("error.html", status_code, message=message, status=status_code)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def page_not_found(request: Request) -> Response:
    """A mistyped console address is a page a person is looking at: it gets a page with a way back to the
    console, not the API's JSON. The console's own scripts, which ask for JSON, still get JSON."""
    current = _visit(request)
    if current.wants_json or current.wants_fragment:
        return current.json({"detail": f"没有这个页面：{request.url.path}"}, 404)
    return current.render("not_found.html", 404, missing=request.url.path)


class ConsoleRoute(APIRoute):
    """Routes whose refusals are pages: login redirect, the core's typed errors, unreadable form input."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                if "application/json" in request.headers.get("accept", ""):
                    return JSONResponse({"detail": "未登录或登录已过期，请重新登录"}, status_code=401)
                target = request.url.path if request.method in _SAFE_METHODS else "/"
                return RedirectResponse(f"/login?next={target}", status_code=303)
            except CoreError as exc:
                headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
                return _refuse(request, STATUS.get(exc.kind, 400), exc.message, headers)
            except RequestValidationError as exc:
                fields = "、".join(dict.fromkeys(FIELD_NAMES.get(str(e.get("loc", ("", "?"))[-1]), "其他")
                                                 for e in exc.errors()))
                return _refuse(request, 422, f"表单内容不完整或格式不对（{fields}），请检查后重试")

        return guarded
