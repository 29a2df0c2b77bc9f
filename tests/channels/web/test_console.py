"""The console's own answers outside its routes: a mistyped address is a Chinese page, the API keeps JSON.

The server is the app ``guopei serve`` runs (``create_app``) on 127.0.0.1, over a fresh data directory;
no page here needs the knowledge base, so the bundled corpus is not indexed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from assistant.services import Services
from assistant.settings import Settings
from channels.api.app import create_app
from channels.web.session import COOKIE
from tests.channels.api.conftest import serve

HTML = {"accept": "text/html,application/xhtml+xml"}


@dataclass
class Server:
    base: str
    token: str  # a teacher's


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    services = Services.from_settings(Settings(data_dir=tmp_path_factory.mktemp("console-pages")))
    token = services.users.add("teacher", "teacher")[1]
    try:
        with serve(create_app(services, start=False), ready_path="/healthz") as base:
            yield Server(base, token)
    finally:
        services.close()


@pytest.mark.parametrize("path", ["/no-such-page", "/libary", "/admin/peopel", "/static/nope.css"])
def test_a_mistyped_console_address_is_a_chinese_page_with_a_way_home(server: Server, path: str) -> None:
    with httpx.Client(base_url=server.base, headers=HTML) as client:
        page = client.get(path)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "页面不存在" in page.text and f"没有这个页面：{path}" in page.text
    assert '<a href="/">回到控制台首页</a>' in page.text


def test_a_signed_in_visitor_gets_the_page_too(server: Server) -> None:
    # The session cookie is Secure, which httpx keeps off plain http even to 127.0.0.1; it is sent by hand.
    with httpx.Client(base_url=server.base, headers=HTML) as client:
        login = client.get("/login")
        signed_in = client.post("/login", data={"token": server.token, "csrf": _csrf(login.text)},
                                headers={"cookie": f"{COOKIE}={login.cookies[COOKIE]}"})
        assert signed_in.status_code == 303
        page = client.get("/chatt", headers={"cookie": f"{COOKIE}={signed_in.cookies[COOKIE]}"})
    assert page.status_code == 404 and "页面不存在" in page.text and "teacher（" in page.text


def test_the_console_scripts_asking_for_json_still_get_json(server: Server) -> None:
    with httpx.Client(base_url=server.base) as client:
        reply = client.get("/no-such-page", headers={"accept": "application/json"})
    assert reply.status_code == 404 and reply.json() == {"detail": "没有这个页面：/no-such-page"}


def test_an_unknown_api_path_keeps_its_json_404(server: Server) -> None:
    with httpx.Client(base_url=server.base, headers={**HTML, "Authorization": f"Bearer {server.token}"}) as client:
        unknown = client.get("/v1/no-such-route")
        bare = client.get("/v1")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "没有这个接口：GET /v1/no-such-route（接口列表见 /docs）"}
    assert bare.status_code == 404 and bare.json() == {"detail": "没有这个接口：GET /v1（接口列表见 /docs）"}


def _csrf(page: str) -> str:
    """The CSRF token a console page carries for its session."""
    marker = 'name="csrf-token" content="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]
