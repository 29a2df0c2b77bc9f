"""Every route declares its roles: 401 without a valid token, 403 for each wrong role."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.routing import APIRoute

from assistant.roles import ROLES
from assistant.services import Services
from assistant.settings import Settings
from channels.api.app import ROUTERS, create_app
from tests.channels.api.conftest import Live, serve

ANY = ("teacher", "trainer", "admin")
STAFF = ("trainer", "admin")
ADMIN = ("admin",)
_DOCX_FIELD = {"file": ("a.txt", "青禾县研修".encode(), "text/plain")}

# (method, path, allowed roles, request kwargs)
ROUTES: list[tuple[str, str, tuple[str, ...], dict]] = [
    ("POST", "/v1/ask", ANY, {"json": {"question": "国培计划是什么？"}}),
    ("POST", "/v1/ask/stream", ANY, {"json": {"question": "国培计划是什么？"}}),
    ("POST", "/v1/search", ANY, {"json": {"query": "国培计划"}}),
    ("GET", "/v1/models", ANY, {}),
    ("GET", "/v1/models/{model_id}", ANY, {}),
    ("POST", "/v1/chat/completions", ANY, {"json": {"model": "guopei-assistant",
                                                     "messages": [{"role": "user", "content": "国培计划是什么？"}]}}),
    ("POST", "/v1/resources", STAFF, {"files": _DOCX_FIELD}),
    ("GET", "/v1/resources", STAFF, {}),
    ("GET", "/v1/resources/{resource_id}", STAFF, {}),
    ("GET", "/v1/resources/{resource_id}/chunks", STAFF, {}),
    ("GET", "/v1/resources/{resource_id}/outline", STAFF, {}),
    ("PUT", "/v1/resources/{resource_id}", STAFF, {"files": _DOCX_FIELD}),
    ("DELETE", "/v1/resources/{resource_id}", STAFF, {}),
    ("GET", "/v1/jobs", STAFF, {}),
    ("GET", "/v1/jobs/{job_id}", STAFF, {}),
    ("POST", "/v1/jobs/{job_id}/cancel", ADMIN, {}),
    ("GET", "/v1/tasks/next", ANY, {}),
    ("POST", "/v1/quiz", ANY, {"json": {"topic": "国培计划"}}),
    ("POST", "/v1/tasks/{task_id}/answer", ANY, {"json": {"answer": "正确"}}),
    ("GET", "/v1/me/progress", ANY, {}),
    ("GET", "/v1/me/reviews", ANY, {}),
    ("GET", "/v1/me/plan", ANY, {}),
    ("GET", "/v1/me/export", ANY, {}),
    ("GET", "/v1/teachers/{who}/progress", STAFF, {}),
    ("GET", "/v1/teachers/{who}/export", STAFF, {}),
    ("PUT", "/v1/me/plan", ANY, {"json": {}}),
    ("POST", "/v1/feedback", ANY, {"json": {"target_kind": "training", "target_ref": "国培示范项目", "rating": 5}}),
    ("GET", "/v1/feedback/summary", ADMIN, {}),
    ("GET", "/v1/feedback/comments", STAFF, {}),
    ("POST", "/v1/evals", ADMIN, {"json": {}}),
    ("GET", "/v1/evals/{run_id}", ADMIN, {}),
    ("GET", "/v1/evals/{run_id}/report", ADMIN, {}),
    ("GET", "/v1/stats", ADMIN, {}),
    ("POST", "/v1/invites", ADMIN, {"json": {"role": "trainer"}}),
    ("GET", "/v1/users", ADMIN, {}),
    ("GET", "/v1/exports/cohort", ADMIN, {}),
]
CASES_401 = [(m, p, kw, how) for m, p, _, kw in ROUTES for how in ("none", "bad", "revoked")]
CASES_403 = [(m, p, kw, role) for m, p, allowed, kw in ROUTES for role in ROLES if role not in allowed]


def _url(path: str) -> str:
    return (path.replace("{resource_id}", "res-000000000000").replace("{job_id}", "job-000000000000")
            .replace("{task_id}", "0000000000000000").replace("{run_id}", "ev-000000000000")
            .replace("{model_id}", "guopei-assistant").replace("{who}", "teacher"))


def _message(resp: httpx.Response) -> str:
    """The Chinese message of an error: ``detail``, or OpenAI's ``error.message`` on its compatible paths."""
    body = resp.json()
    return str(body["detail"] if "detail" in body else body["error"]["message"])


def _roles_of(route: APIRoute) -> tuple[str, ...] | None:
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        roles = getattr(dep.call, "roles", None)
        if roles:
            return tuple(roles)
        stack.extend(dep.dependencies)
    return None


def test_route_table_covers_every_v1_route_with_declared_roles(live: Live) -> None:
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    declared = {(m, r.path): _roles_of(r) for r in routes for m in r.methods}
    assert declared == {(m, p): roles for m, p, roles, _ in ROUTES}
    spec = live.app.openapi()["paths"]
    assert {(m.upper(), p) for p, ops in spec.items() if p.startswith("/v1") for m in ops} == set(declared)


@pytest.fixture(scope="module")
def revoked_token(live: Live) -> str:
    _, token = live.users.add("gone", "admin")
    live.users.revoke("gone")
    return token


@pytest.mark.parametrize(("method", "path", "kwargs", "how"), CASES_401)
def test_401(live: Live, revoked_token: str, method: str, path: str, kwargs: dict, how: str) -> None:
    headers = {"none": {}, "bad": {"Authorization": "Bearer not-a-token"},
               "revoked": {"Authorization": f"Bearer {revoked_token}"}}[how]
    resp = httpx.request(method, live.base + _url(path), headers=headers, timeout=30, **kwargs)
    assert resp.status_code == 401, resp.text
    assert resp.headers["www-authenticate"] == "Bearer"
    assert re.search(r"[\u4e00-\u9fff]", _message(resp))


@pytest.mark.parametrize(("method", "path", "kwargs", "role"), CASES_403)
def test_403_for_each_wrong_role(live: Live, method: str, path: str, kwargs: dict, role: str) -> None:
    with live.client(role) as client:
        resp = client.request(method, _url(path), **kwargs)
    assert resp.status_code == 403, resp.text
    assert "权限不足" in _message(resp)


def test_trainer_cannot_touch_another_trainers_resource(live: Live) -> None:
    with live.client("trainer") as owner, live.client("trainer2") as other, live.client("admin") as admin:
        rid = owner.post("/v1/resources", files={"file": ("x.txt", "松岭镇教研组每周三下午集体备课。".encode(),
                                                          "text/plain")}).json()["id"]
        assert other.put(f"/v1/resources/{rid}", files=_DOCX_FIELD).status_code == 403
        assert other.delete(f"/v1/resources/{rid}").status_code == 403
        assert admin.delete(f"/v1/resources/{rid}").status_code == 200
        assert admin.delete(f"/v1/resources/{rid}").status_code == 404


def test_health_ready_metrics(live: Live) -> None:
    with live.client("teacher") as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/readyz").json()["status"] == "ready"
        client.post("/v1/ask", json={"question": "国培计划的培训经费如何保障？"})
        text = client.get("/metrics").text
    assert 'guopei_http_requests_total{method="POST",route="/v1/ask",status="200"}' in text
    assert "guopei_http_request_duration_seconds_bucket" in text
    chunks = float(re.search(r"^guopei_index_chunks (\S+)$", text, re.MULTILINE).group(1))
    assert chunks == live.assistant.store.count() > 0
    assert live.app.openapi()["paths"] and httpx.get(live.base + "/docs").status_code == 200


def test_ask_rate_limit_gives_429_with_retry_after(live: Live, api_settings: Settings) -> None:
    settings = api_settings.model_copy(update={"ask_rate_per_minute": 2})
    app = create_app(Services.from_settings(settings, assistant=live.assistant), start=False)
    app.state.services.readiness.indexed.set()
    with serve(app) as base:
        headers = {"Authorization": f"Bearer {live.tokens['teacher']}"}
        codes = [httpx.post(base + "/v1/ask", json={"question": "国培计划是什么？"}, headers=headers,
                            timeout=30) for _ in range(3)]
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert int(codes[2].headers["retry-after"]) >= 1
    assert "提问过于频繁" in codes[2].json()["detail"]


def test_question_error_is_422_in_chinese(live: Live) -> None:
    with live.client("teacher") as client:
        empty = client.post("/v1/ask", json={"question": "   "})
        long = client.post("/v1/ask", json={"question": "国" * 600})
    assert empty.status_code == 422 and "问题不能为空" in empty.json()["detail"]
    assert long.status_code == 422 and "问题太长" in long.json()["detail"]
