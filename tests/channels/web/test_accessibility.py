"""The three main pages (teacher chat, trainer resources, admin overview) at desktop and 375-px widths:
axe-core run in the same Chromium finds no critical (nor serious) violation, nothing overflows a phone screen, the
keyboard reaches the content first, and a screenshot of each is taken.

axe-core comes from the ``axe-selenium-python`` package (its bundled ``axe.min.js``), so nothing is
fetched. Screenshots go to ``$GUOPEI_CONSOLE_SCREENSHOTS`` when set (``docs/console`` for the README),
else to the test's temporary directory.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.channels.web.conftest import TRANSIENT, WAIT, Console, login, wait_for
from tests.channels.web.test_routes_trainer import table_docx, workshop_title

PAGES = {"teacher": "/chat", "trainer": "/library", "admin": "/admin"}
WIDTHS = {"desktop": (1280, 900), "phone": (375, 812)}
MAX_SHOT_HEIGHT = 2200


def prepare(browser: WebDriver, console: Console, who: str) -> None:
    """Each page as it looks in use: an answered question with an open citation, an uploaded resource that
    a teacher has rated with a comment (read by its trainer on the resources page, by the admin on the
    overview)."""
    if who in ("trainer", "admin"):
        with console.api("trainer") as api:
            found = [r for r in api.get("/v1/resources").json() if r["title"] == workshop_title()]
            if not found:
                files = {"file": ("工作坊研修安排.docx", table_docx(),
                                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}
                reply = api.post("/v1/resources", files=files)
                assert reply.status_code in (201, 202), reply.text
                if reply.status_code == 202:  # indexed by a background job: wait for it
                    WebDriverWait(api, WAIT, ignored_exceptions=TRANSIENT).until(
                        lambda c: c.get(reply.json()["status_url"]).json()["status"] == "done")
                found = [reply.json()]
        rid = found[0]["id"]
        if not console.services.records.feedback.comments(target=rid)["total"]:
            with console.api("teacher") as api:
                rated = api.post("/v1/feedback", json={"target_kind": "resource", "target_ref": rid, "rating": 4,
                                                       "comment": "分组研讨的安排很具体，希望附上研讨记录表"})
                assert rated.status_code == 201, rated.text
    browser.get(console.url(PAGES[who]))
    if who == "teacher":
        field = wait_for(browser, "#question")
        field.send_keys("学校每年要拿出多少经费用于教师培训？", Keys.CONTROL, Keys.ENTER)
        wait_for(browser, ".exchange a.marker").click()
        WebDriverWait(browser, WAIT, ignored_exceptions=TRANSIENT).until(lambda d: d.find_element(By.CSS_SELECTOR, "details.citation")
                                           .get_attribute("open"))


def screenshot(browser: WebDriver, path: Path) -> None:
    """The whole page (up to a readable height), not only the window."""
    metrics = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": metrics["width"], "height": min(metrics["height"], MAX_SHOT_HEIGHT), "scale": 1}
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "clip": clip,
                                                              "captureBeyondViewport": True})
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("who", list(PAGES))
def test_main_pages_are_accessible_and_fit_a_phone(browser: WebDriver, console: Console, who: str, width: str,
                                                   tmp_path: Path):
    w, h = WIDTHS[width]
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": width == "phone"})
    try:
        login(browser, console, who)
        prepare(browser, console, who)
        overflow = browser.execute_script("return document.documentElement.scrollWidth")
        assert overflow <= w, f"{PAGES[who]} 在 {w}px 宽时出现横向滚动（内容宽 {overflow}px）"
        axe = Axe(browser)
        axe.inject()
        results = axe.run()
        grave = [f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} 处)" for v in results["violations"]
                 if v["impact"] in ("critical", "serious")]
        assert not grave, f"{PAGES[who]} 有严重无障碍问题：{grave}"
        out = Path(os.environ.get("GUOPEI_CONSOLE_SCREENSHOTS") or tmp_path)
        out.mkdir(parents=True, exist_ok=True)
        screenshot(browser, out / f"{who}-{width}.png")
        assert (out / f"{who}-{width}.png").stat().st_size > 10_000
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_the_keyboard_reaches_the_content_first(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    browser.get(console.url("/chat"))
    wait_for(browser, "#question")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "跳到正文"
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    browser.switch_to.active_element.send_keys(Keys.TAB)
    # From the main content, the next stop is a control of the page, not the navigation again.
    assert browser.switch_to.active_element.tag_name in ("textarea", "a", "button", "summary")


def test_the_login_page_is_accessible(browser: WebDriver, console: Console):
    browser.delete_all_cookies()
    browser.get(console.url("/login"))
    wait_for(browser, "#token")
    axe = Axe(browser)
    axe.inject()
    grave = [f"{v['impact']} {v['id']}: {v['help']}" for v in axe.run()["violations"]
             if v["impact"] in ("critical", "serious")]
    assert not grave, f"登录页有严重无障碍问题：{grave}"
