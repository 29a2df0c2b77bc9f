"""Signing in and out, the home page that sends each role to its desk, and the console's own assets.

The login form takes either an API token (``guopei users add`` prints one) or, for a first visit, an
invite code with a name: redeeming it creates the account and shows its token once. Both forms carry
the CSRF token of the pre-login session; a successful sign-in replaces that session.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import FileResponse, Response

from assistant.errors import CoreError
from channels.web.console import HERE, Anyone, ConsoleRoute, Member, Visit

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
STATIC = {"console.css": "text/css; charset=utf-8", "console.js": "text/javascript; charset=utf-8"}
HOME = {"teacher": "/chat", "trainer": "/library", "admin": "/admin"}


def _next(target: str | None, role: str) -> str:
    """Only a local path is followed after login (never another site); else the role's home page."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME.get(role, "/chat")


def _insecure(visit: Visit) -> bool:
    """Plain HTTP to another machine: the browser will not keep a ``Secure`` cookie, so say so up front."""
    url = visit.request.url
    return url.scheme != "https" and url.hostname not in ("127.0.0.1", "localhost", "::1")


@router.get("/static/{name}")
def static(name: str) -> Response:
    if name not in STATIC:
        raise HTTPException(404)
    return FileResponse(HERE / "static" / name, media_type=STATIC[name],
                        headers={"Cache-Control": "public, max-age=3600"})


@router.get("/")
def home(visit: Member) -> Response:
    assert visit.user is not None
    return visit.redirect(HOME.get(visit.user.role, "/chat"))


@router.get("/login")
def login_page(visit: Anyone, next: str | None = None) -> Response:
    if visit.user is not None:
        return visit.redirect(_next(next, visit.user.role))
    return visit.render("login.html", next=next or "", insecure=_insecure(visit))


@router.post("/login")
def login(visit: Anyone, token: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=300)] = "") -> Response:
    people = visit.console.services.usecases.people
    actor = people.authenticate(token.strip()) if token.strip() else None
    if actor is None or actor.user_id is None:
        message = "请输入令牌" if not token.strip() else "令牌无效或已被吊销，请联系管理员重新获取"
        return visit.render("login.html", 401, next=next, error=message, insecure=_insecure(visit))
    user = visit.console.services.users.get(actor.user_id)
    assert user is not None
    visit.start(user)
    return visit.redirect(_next(next, user.role))


@router.post("/join")
def join(visit: Anyone, code: Annotated[str, Form(max_length=64)] = "",
         name: Annotated[str, Form(max_length=200)] = "") -> Response:
    try:
        user, token = visit.console.services.usecases.enrolment.join(code, name)
    except CoreError as exc:
        return visit.render("login.html", 422, join_error=exc.message, name=name)
    visit.start(user)
    return visit.render("welcome.html", token=token, home=HOME.get(user.role, "/chat"))


@router.post("/logout")
def logout(visit: Anyone) -> Response:
    visit.end()
    return visit.redirect("/login")
