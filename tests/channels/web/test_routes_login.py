"""Signing in by token and by invite, sessions, CSRF, and role refusals — in a real browser."""

from __future__ import annotations

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from assistant.roles import Actor
from tests.channels.web.conftest import Console, login, wait_for

HOMES = {"teacher": "/chat", "trainer": "/library", "admin": "/admin"}


@pytest.mark.parametrize("who", ["teacher", "trainer", "admin"])
def test_each_role_signs_in_and_lands_on_its_desk(browser: WebDriver, console: Console, who: str):
    login(browser, console, who)
    assert browser.current_url.endswith(HOMES[who])
    cookie = browser.get_cookie("guopei_console")
    assert cookie and cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert browser.execute_script("return document.cookie") == ""  # scripts cannot read the session


def test_a_wrong_token_is_refused_with_a_message(browser: WebDriver, console: Console):
    browser.delete_all_cookies()
    browser.get(console.url("/chat"))
    assert "/login?next=/chat" in browser.current_url
    field = wait_for(browser, "#token")
    field.send_keys("not-a-token", Keys.ENTER)
    assert "令牌无效" in wait_for(browser, "#token-error").text
    assert browser.get_cookie("guopei_console") is not None
    browser.get(console.url("/progress"))
    assert "/login" in browser.current_url


def test_an_invite_code_creates_the_account_and_shows_its_token_once(browser: WebDriver, console: Console):
    admin = Actor("api", "1", role="admin")
    code = console.services.usecases.people.invite(admin, "trainer")
    browser.delete_all_cookies()
    browser.get(console.url("/login"))
    wait_for(browser, "#code").send_keys(code)
    name = browser.find_element(By.ID, "name")
    name.send_keys("李培训")
    name.submit()
    token = wait_for(browser, "#new-token").text
    assert console.services.usecases.people.authenticate(token).role == "trainer"
    browser.find_element(By.LINK_TEXT, "进入控制台").click()
    assert wait_for(browser, "h1").text == "培训资源"
    # The code worked once: a second use is refused on the login page.
    browser.delete_all_cookies()
    browser.get(console.url("/login"))
    wait_for(browser, "#code").send_keys(code)
    browser.find_element(By.ID, "name").send_keys("另一个人", Keys.ENTER)
    assert "邀请码无效或已被使用" in wait_for(browser, "#join-error").text


def test_signing_out_ends_the_session(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    stolen = browser.get_cookie("guopei_console")["value"]
    browser.find_element(By.CSS_SELECTOR, ".logout button").click()
    wait_for(browser, "#token")
    with httpx.Client(base_url=console.base, cookies={"guopei_console": stolen}, follow_redirects=False) as client:
        assert client.get("/chat").status_code == 303


@pytest.mark.parametrize("path", ["/library", "/probe", "/admin", "/admin/people", "/admin/evals"])
def test_a_teacher_is_refused_on_trainer_and_admin_pages(browser: WebDriver, console: Console, path: str):
    login(browser, console, "teacher")
    browser.get(console.url(path))
    error = wait_for(browser, ".error[data-status]")
    assert error.get_attribute("data-status") == "403" and "权限不足" in error.text
    nav = browser.find_element(By.CSS_SELECTOR, "nav").text
    assert "资源" not in nav and "评测" not in nav  # no link to what would be refused


def test_a_teacher_is_refused_by_the_api_too(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    status = browser.execute_script(
        "return fetch('/v1/resources').then(r => r.status)")  # the console cookie is no API credential
    assert status == 401
    # A valid session and CSRF token do not turn a teacher's post to a trainer's form into an upload.
    status = browser.execute_script(
        "const body = new FormData(); body.append('file', new File(['教师不能上传'], 'x.txt'));"
        "return fetch('/library/files', {method: 'POST', body: body, headers: {'X-CSRF-Token':"
        " document.querySelector('meta[name=csrf-token]').content}}).then(r => r.status)")
    assert status == 403
    with console.api("trainer") as api:
        assert all(r["filename"] != "x.txt" for r in api.get("/v1/resources").json())
    with console.api("teacher") as api:
        assert api.get("/v1/resources").status_code == 403
        assert api.post("/v1/evals", json={"dataset": "seed"}).status_code == 403
        assert api.get("/v1/stats").status_code == 403


def test_a_form_posted_without_the_csrf_token_is_refused(browser: WebDriver, console: Console):
    login(browser, console, "admin")
    before = len(console.services.users.list())
    # The same form the page shows, with its hidden CSRF field removed before it is sent.
    browser.get(console.url("/admin/people"))
    browser.execute_script("document.querySelectorAll('input[name=csrf]').forEach(e => e.remove())")
    name = wait_for(browser, "#new-name")
    name.send_keys("无校验码")
    name.submit()
    error = wait_for(browser, ".error[data-status]")
    assert error.get_attribute("data-status") == "403" and "安全校验码" in error.text
    # A wrong token is refused the same way, and a script post without the header too.
    status = browser.execute_script(
        "return fetch('/admin/invites', {method: 'POST', headers: {'X-CSRF-Token': 'forged'},"
        " body: new URLSearchParams({role: 'admin'})}).then(r => r.status)")
    assert status == 403
    assert len(console.services.users.list()) == before
