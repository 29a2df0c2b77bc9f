"""A live console on 127.0.0.1 and one real headless Chromium (Debian's) driving it through chromedriver.

The server is the app ``guopei serve`` runs (``create_app``), under uvicorn in a thread, over a fresh data
directory with an account of each role. Its eval datasets directory holds a two-question ``seed`` set so
a run from the page finishes in seconds, and an 80-question one long enough to watch its progress. One browser serves every test; ``login`` clears its cookies and
signs in again, so tests do not lean on each other's sessions.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import (
    NoSuchElementException,
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from assistant.services import Services
from assistant.settings import Settings
from channels.api.app import create_app
from evals.runner import SEED_PATH
from tests.channels.api.conftest import serve

WAIT = 30.0
BACKGROUND_BYTES = 16 * 1024  # uploads over this are indexed by a background job (the test docx is)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
ROLES = {"admin": "admin", "trainer": "trainer", "teacher": "teacher"}
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--lang=zh-CN", "--window-size=1280,900")


@dataclass
class Console:
    base: str
    services: Services
    tokens: dict[str, str]

    def url(self, path: str) -> str:
        return self.base + path

    def api(self, who: str) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {self.tokens[who]}"}, timeout=60)


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    datasets = tmp_path_factory.mktemp("console-datasets")
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()
    (datasets / "seed.jsonl").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    (datasets / "seed80.jsonl").write_text("\n".join(lines[:80]) + "\n", encoding="utf-8")
    # An eval that cannot finish before a person clicks 取消 on it: the seed set forty times over.
    rounds = [json.dumps({**item, "id": f"{item['id']}-{n}"}, ensure_ascii=False)
              for n in range(40) for item in map(json.loads, lines)]
    (datasets / "seed-long.jsonl").write_text("\n".join(rounds) + "\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path_factory.mktemp("console-data"), ask_rate_per_minute=100_000,
                        upload_background_bytes=BACKGROUND_BYTES, eval_datasets_dir=datasets)
    services = Services.from_settings(settings)
    tokens = {name: services.users.add(name, role)[1] for name, role in ROLES.items()}
    with serve(create_app(services)) as base:
        yield Console(base, services, tokens)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """Debian's Chromium through Debian's chromedriver; missing either is a failure, never a skip."""
    if not CHROMIUM or not Path(CHROMEDRIVER).exists():
        pytest.fail("找不到 Debian 的 chromium 或 chromium-driver：请运行 `make system-deps`（`make test` 会自动安装）")
    os.environ["SE_OFFLINE"] = "true"  # Selenium must never try to fetch a driver or browser
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    try:
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    except WebDriverException as exc:
        pytest.fail(f"无法启动无头 Chromium：{exc.msg}")
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


# While a form posts and the page reloads, an element found on the old page can vanish between being found
# and being read; Chromium reports that as stale or as an inspector error ("Node with given id does not
# belong to the document"). Both mean "not there yet": the wait looks again, and still fails at its timeout.
TRANSIENT = (NoSuchElementException, StaleElementReferenceException, WebDriverException)


def wait_for(driver: WebDriver, css: str, timeout: float = WAIT) -> WebElement:
    return WebDriverWait(driver, timeout, ignored_exceptions=TRANSIENT).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def wait_text(driver: WebDriver, css: str, text: str, timeout: float = WAIT, poll: float = 0.5) -> WebElement:
    WebDriverWait(driver, timeout, poll_frequency=poll, ignored_exceptions=TRANSIENT).until(
        ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))
    return driver.find_element(By.CSS_SELECTOR, css)


def login(driver: WebDriver, console: Console, who: str) -> None:
    """Sign in through the login page as a person would: type the token, press Enter."""
    driver.delete_all_cookies()
    driver.get(console.url("/login"))
    field = wait_for(driver, "#token")
    field.send_keys(console.tokens[who])
    field.submit()
    WebDriverWait(driver, WAIT).until(lambda d: "/login" not in d.current_url)
    assert wait_for(driver, ".who").text.startswith(who)
