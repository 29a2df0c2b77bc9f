"""The admin's desk in a real browser: eval runs with live progress, report and trend; people; stats."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select, WebDriverWait

from assistant.evalruns import EvalBackend, EvalRuns, EvalSpec
from tests.channels.web.conftest import TRANSIENT, Console, login, wait_for, wait_text
from tests.channels.web.test_routes_teacher import FUNDING, ask

# Installed before any page script runs, and kept in sessionStorage across the page's own reload when the
# run ends: every state and progress value the page shows while the run is going.
WATCH = """
new MutationObserver(() => {
  const state = document.getElementById('run-state'), bar = document.getElementById('run-progress');
  if (!state || !bar) return;
  const seen = JSON.parse(sessionStorage.getItem('seen') || '[]');
  const last = seen[seen.length - 1];
  if (!last || last[0] !== state.textContent || last[1] !== bar.value) {
    seen.push([state.textContent, bar.value]);
    sessionStorage.setItem('seen', JSON.stringify(seen));
  }
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


class HeldBackend:
    """The real eval backend, held halfway through a run until the test has seen the page show it.

    A run over the small console datasets can finish between two of the page's polls, so whether the bar is
    ever seen between 0 and 1 would depend on the machine's speed; holding the run makes it certain.
    """

    def __init__(self, inner: EvalBackend) -> None:
        self.inner = inner
        self.datasets_dir, self.runs_dir = inner.datasets_dir, inner.runs_dir
        self.halfway = threading.Event()
        self.release = threading.Event()

    def check(self, path: Path) -> int:
        return self.inner.check(path)

    def documents_for(self, path: Path) -> list[str]:
        return self.inner.documents_for(path)

    def run(self, spec: EvalSpec, out_dir: Path, *, settings: Any, live: Any,
            progress: Callable[[int, int], None]) -> dict[str, Any]:
        def held(done: int, total: int) -> None:
            progress(done, total)
            if done == total // 2 and not self.release.is_set():
                self.halfway.set()
                self.release.wait(timeout=60)

        return self.inner.run(spec, out_dir, settings=settings, live=live, progress=held)


@contextmanager
def held_runs(evals: EvalRuns) -> Iterator[HeldBackend]:
    original = evals.backend
    evals._backend = held = HeldBackend(original)
    try:
        yield held
    finally:
        held.release.set()
        evals._backend = original


def run_eval(browser: WebDriver, console: Console, dataset: str = "seed",
             midway: Callable[[], None] = lambda: None) -> tuple[str, list]:
    """Start a run from the page, call ``midway`` once it is going; returns its id and the states the page
    showed on the way."""
    browser.get(console.url("/admin/evals"))
    watch = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    browser.execute_script("sessionStorage.removeItem('seen')")
    try:
        Select(wait_for(browser, "#dataset")).select_by_value(dataset)
        browser.find_element(By.CSS_SELECTOR, "form.row-form button").click()
        # A short run can end, and the page reload itself, between finding #run and reading it: read both in
        # one wait that tolerates the reload.
        run_id = WebDriverWait(browser, 30, ignored_exceptions=TRANSIENT).until(
            lambda d: d.find_element(By.ID, "run").get_attribute("data-run"))
        midway()
        WebDriverWait(browser, 120, ignored_exceptions=TRANSIENT).until(lambda d: d.find_elements(By.ID, "report"))
        seen = browser.execute_script("return JSON.parse(sessionStorage.getItem('seen') || '[]')")
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": watch["identifier"]})
    return run_id, seen


def test_an_eval_started_from_the_page_shows_progress_report_and_trend(browser: WebDriver, console: Console):
    login(browser, console, "admin")
    with held_runs(console.services.evals) as held:
        def halfway_shown() -> None:
            assert held.halfway.wait(timeout=60), "the run never reached its halfway point"
            WebDriverWait(browser, 30, ignored_exceptions=TRANSIENT).until(
                lambda d: "已评测" in d.find_element(By.ID, "run-state").text
                and 0 < float(d.find_element(By.ID, "run-progress").get_attribute("value")) < 1)
            held.release.set()

        first, seen = run_eval(browser, console, "seed80", midway=halfway_shown)
    progress = [value for text, value in seen if "已评测" in text]
    assert progress and any(0 < value < 1 for value in progress), seen  # the bar moved while it ran
    assert progress == sorted(progress)
    assert "已完成" in browser.find_element(By.ID, "run-state").text
    assert browser.find_element(By.ID, "run-progress").get_attribute("value") == "1"
    browser.switch_to.frame(browser.find_element(By.ID, "report"))
    assert "国培助手评测报告" in wait_for(browser, "body").text
    browser.switch_to.default_content()
    second, _ = run_eval(browser, console)
    assert second != first
    chart = browser.find_element(By.CSS_SELECTOR, "svg.trend")
    assert chart.get_attribute("role") == "img"
    assert len(chart.find_elements(By.CSS_SELECTOR, "polyline")) >= 2  # one line per metric
    # Runs of two datasets are two trends, not one line: the newest run's is shown, the other can be chosen.
    rows = browser.find_elements(By.CSS_SELECTOR, "#trend-table tbody tr")
    assert len(rows) == 1 and "%" in rows[0].text
    assert browser.find_element(By.ID, "trend-shown").text.endswith("· seed，最近 1 次")
    choice = Select(browser.find_element(By.ID, "series"))
    assert sorted(o.text for o in choice.options) == ["实时知识库·全部 · seed", "实时知识库·全部 · seed80"]
    choice.select_by_visible_text("实时知识库·全部 · seed80")
    browser.find_element(By.CSS_SELECTOR, "#trend-series button").click()
    WebDriverWait(browser, 30, ignored_exceptions=TRANSIENT).until(
        lambda d: "seed80" in d.find_element(By.ID, "trend-shown").text)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#trend-table tbody tr")) == 1
    listed = browser.find_element(By.XPATH, "//h2[text()='历次评测']/..").text
    assert first in listed and second in listed
    assert listed.count("实时知识库·全部") >= 2, "each run says which knowledge base and split it measured"
    assert "时间为北京时间" in listed
    with console.api("admin") as api:  # the page's run is the API's run: same job, same summary
        assert api.get(f"/v1/evals/{second}").json()["status"] == "done"


def test_people_accounts_invites_and_revocation(browser: WebDriver, console: Console):
    login(browser, console, "admin")
    browser.get(console.url("/admin/people"))
    wait_for(browser, "#new-name").send_keys("赵老师")
    Select(browser.find_element(By.ID, "new-role")).select_by_value("teacher")
    browser.find_element(By.XPATH, "//button[text()='创建并生成令牌']").click()
    token = wait_for(browser, "#new-token").text
    assert console.services.usecases.people.authenticate(token).name == "赵老师"
    Select(browser.find_element(By.ID, "invite-role")).select_by_value("admin")
    browser.find_element(By.XPATH, "//button[text()='生成邀请码']").click()
    assert len(wait_for(browser, "#invite-code").text) >= 12
    # 赵老师 signs in, then the admin revokes the token: the session ends with it.
    console.tokens["赵老师"] = token
    login(browser, console, "赵老师")
    teacher_cookie = browser.get_cookie("guopei_console")
    login(browser, console, "admin")
    browser.get(console.url("/admin/people"))
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#users tbody tr") if "赵老师" in r.text)
    row.find_element(By.XPATH, ".//button[text()='吊销']").click()
    browser.switch_to.alert.accept()
    wait_text(browser, ".notice", "已吊销")
    browser.delete_all_cookies()
    browser.get(console.url("/login"))
    browser.add_cookie({k: teacher_cookie[k] for k in ("name", "value", "path", "secure", "httpOnly")})
    browser.get(console.url("/chat"))
    assert "/login" in browser.current_url
    # Reissued, the account works again with a new token; the old session stays ended.
    browser.delete_all_cookies()
    login(browser, console, "admin")
    browser.get(console.url("/admin/people"))
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#users tbody tr") if "赵老师" in r.text)
    row.find_element(By.XPATH, ".//button[text()='重新发放']").click()
    browser.switch_to.alert.accept()
    fresh = wait_for(browser, "#new-token").text
    assert fresh != token and console.services.usecases.people.authenticate(fresh).name == "赵老师"
    browser.delete_all_cookies()
    browser.get(console.url("/login"))
    browser.add_cookie({k: teacher_cookie[k] for k in ("name", "value", "path", "secure", "httpOnly")})
    browser.get(console.url("/chat"))
    assert "/login" in browser.current_url


def test_overview_shows_usage_knowledge_base_and_feedback(browser: WebDriver, console: Console):
    with console.api("teacher") as api:
        api.post("/v1/ask", json={"question": "学校每年要拿出多少经费用于教师培训？"})
        api.post("/v1/feedback", json={"target_kind": "training", "target_ref": "骨干教师研修班", "rating": 5})
    login(browser, console, "admin")
    assert int(wait_for(browser, "#questions").text) >= 1
    page = browser.find_element(By.ID, "main").text
    assert "教师函〔2021〕4号" in page and "可检索文本块" in page
    assert "骨干教师研修班" in page


def test_a_rated_answer_is_listed_by_its_documents_title_not_its_id(browser: WebDriver, console: Console):
    """A 👍 in the chat is filed under the cited document's id and section; the admin's table of ratings
    names the document by its title instead of showing ``jiaoshihan-2021-4#…``."""
    login(browser, console, "teacher")
    browser.get(console.url("/chat"))
    ask(browser, FUNDING)
    browser.find_elements(By.CSS_SELECTOR, ".exchange")[-1].find_element(By.CSS_SELECTOR, "button[value=up]").click()
    wait_text(browser, ".exchange:last-child .rated", "已匿名记录「有用」")
    login(browser, console, "admin")
    ratings = wait_for(browser, "section[aria-labelledby=fb-h]").text
    assert "助手回答 · 《教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知》 三、保障措施" in ratings
    assert "jiaoshihan-2021-4" not in ratings


def comment_rows(browser: WebDriver) -> list[list[str]]:
    """The comments table as the admin reads it, cell by cell."""
    table = wait_for(browser, "#comments-table")
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]


def core_rows(page: dict[str, Any]) -> list[list[str]]:
    """The same comments as the core lists them, in the table's columns."""
    return [[c["week_label"], f"{c['rating']} 分", c["channel_label"], f"{c['target_kind_label']} · {c['target_label']}",
             c["comment"]] for c in page["comments"]]


def test_the_overview_lists_the_comments_newest_week_first_escaped_and_paged(browser: WebDriver, console: Console):
    """The admin reads what teachers wrote, in the core's order (newest week first), with rating, channel kind,
    what was rated and the week; text that looks like markup is shown as text; a target in the ratings
    table opens its comments, and the older ones are a page away."""
    from datetime import UTC, datetime

    feedback = console.services.records.feedback
    feedback.submit("training", "班主任研修班", 2, "<script>document.title='x'</script><b>太赶</b>",
                    channel_kind="telegram", now=datetime(2020, 1, 8, tzinfo=UTC))
    for n in range(11):
        feedback.submit("training", "乡村教师访名校", 4, f"跟岗收获{n}，联系 13812345678", channel_kind="web")
    with console.api("teacher") as api:
        assert api.post("/v1/feedback", json={"target_kind": "training", "target_ref": "乡村教师访名校", "rating": 5,
                                              "comment": "讲得清楚"}).status_code == 201
    admin = console.services.usecases.people.authenticate(console.tokens["admin"])
    login(browser, console, "admin")
    assert comment_rows(browser) == core_rows(console.services.usecases.learning.feedback_comments(admin))
    heading = browser.find_element(By.ID, "cm-h").text
    assert heading == "匿名评语" and "不记评价人" in browser.find_element(By.ID, "cm-count").text

    link = browser.find_element(By.XPATH, "//section[@aria-labelledby='fb-h']//a[text()='乡村教师访名校']")
    link.click()
    wait_text(browser, "#cm-target", "只看对「乡村教师访名校」的评语")
    rows = comment_rows(browser)
    assert len(rows) == 10 and all(r[3] == "培训项目 · 乡村教师访名校" for r in rows)
    assert any(r[4] == "讲得清楚" for r in rows + core_rows(console.services.usecases.learning.feedback_comments(
        admin, offset=10, target="乡村教师访名校")))
    assert all("13812345678" not in r[4] for r in rows)
    browser.find_element(By.LINK_TEXT, "较早的评语 →").click()
    wait_text(browser, "#cm-count", "第 11–12 条")
    assert comment_rows(browser) == core_rows(console.services.usecases.learning.feedback_comments(
        admin, offset=10, target="乡村教师访名校"))

    browser.find_element(By.LINK_TEXT, "看全部评语").click()
    WebDriverWait(browser, 30, ignored_exceptions=TRANSIENT).until(
        lambda d: not d.find_elements(By.ID, "cm-target"))
    browser.get(console.url("/admin?target=" + "班主任研修班"))
    [row] = comment_rows(browser)
    assert row == ["2020 年第 2 周", "2 分", "Telegram 机器人", "培训项目 · 班主任研修班",
                   "<script>document.title='x'</script><b>太赶</b>"]
    assert browser.title != "x" and not browser.find_elements(By.CSS_SELECTOR, "#comments-table b")


def test_a_question_asked_in_the_console_counts_under_web_and_the_overview_says_so(browser: WebDriver,
                                                                                     console: Console):
    """The console signs in with an API account, but a question asked on its chat page came through the web:
    usage counts it under web (not api) and the admin's overview names each surface in Chinese."""
    before = console.services.usage.summary()["by_channel"]
    login(browser, console, "teacher")
    browser.get(console.url("/chat"))
    ask(browser, FUNDING)
    after = console.services.usage.summary()["by_channel"]

    def questions(by_channel: dict[str, dict[str, int]], channel: str) -> int:
        return by_channel.get(channel, {}).get("questions", 0)

    assert questions(after, "web") == questions(before, "web") + 1
    assert questions(after, "api") == questions(before, "api")
    with console.api("teacher") as api:
        api.post("/v1/ask", json={"question": FUNDING})
    login(browser, console, "admin")
    channels = wait_for(browser, "#by-channel").text
    assert f"网页控制台 {questions(after, 'web')} 次" in channels and "HTTP API" in channels
    assert "web" not in channels and "api" not in channels


def test_an_admin_cancels_a_running_eval_from_the_overview(browser: WebDriver, console: Console):
    admin = console.services.usecases.people.authenticate(console.tokens["admin"])
    run = console.services.usecases.admin.start_eval(admin, EvalSpec(("seed-long",)))
    login(browser, console, "admin")
    item = wait_for(browser, f".active-jobs li[data-job='job-{run['id']}']")
    item.find_element(By.XPATH, ".//button[text()='取消']").click()
    browser.switch_to.alert.accept()
    wait_text(browser, ".notice", "取消")
    WebDriverWait(browser, 60, ignored_exceptions=TRANSIENT).until(
        lambda d: console.services.usecases.admin.eval_status(admin, run["id"])["status"] == "cancelled")
    browser.get(console.url(f"/admin/evals/{run['id']}"))
    assert "已取消" in wait_for(browser, "#run-state").text and not browser.find_elements(By.ID, "report")


def test_an_accounts_creation_day_is_the_beijing_day(browser: WebDriver, console: Console):
    """An account made at 01:24 Beijing time (17:24 UTC the day before) was listed under the UTC day, while
    the command line, the eval runs and the learning records all say Beijing time."""
    import sqlite3

    console.services.users.add("夜班老师", "teacher")
    with sqlite3.connect(console.services.settings.db_path) as conn:
        conn.execute("UPDATE users SET created_at = '2026-03-01T17:24:50Z' WHERE name = '夜班老师'")
    login(browser, console, "admin")
    browser.get(console.url("/admin/people"))
    row = next(r for r in wait_for(browser, "#users").find_elements(By.CSS_SELECTOR, "tbody tr") if "夜班老师" in r.text)
    assert "2026-03-02" in row.text and "2026-03-01" not in row.text
