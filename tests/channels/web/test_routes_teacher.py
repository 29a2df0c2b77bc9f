"""The teacher's desk in a real browser: cited answers, follow-ups, ratings, quizzes with credit, plan, feedback."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from assistant.companion import NotAnAnswer
from assistant.service import Assistant
from assistant.services import Services
from assistant.settings import Settings
from bots.telegram.render import feedback_ref
from channels.api.app import create_app
from evals.scripted_llm import Reply, ScriptedLLM, serving
from tests.channels.api.conftest import serve
from tests.channels.web.conftest import TRANSIENT, WAIT, Console, login, wait_for, wait_text

FUNDING = "学校每年要拿出多少经费用于教师培训？"
NOT_SPECIFIED = "国培计划的培训经费每人每天标准是多少元？"
LLM_KEY = "sk-console-test-5b1e"
WRITTEN = ["中小学、幼儿园每年要按照年度公用经费预算总额的5%来安排教师培训经费[1]。",
           "这笔经费用来保障国培计划的实施[1]。",
           "地方的重大教育发展项目也要把教师培训作为资金使用的重要方向[1]。"]


def ask(browser: WebDriver, question: str) -> None:
    count = len(browser.find_elements(By.CSS_SELECTOR, ".exchange"))
    field = wait_for(browser, "#question")
    field.send_keys(question)
    field.send_keys(Keys.CONTROL, Keys.ENTER)  # the keyboard shortcut; the button does the same
    WebDriverWait(browser, WAIT, ignored_exceptions=TRANSIENT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".exchange")) > count)


def credits(browser: WebDriver, console: Console) -> float:
    browser.get(console.url("/progress"))
    return float(wait_for(browser, "#credits").text)


def test_an_answer_cites_its_sources_and_a_marker_opens_the_quoted_span(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    ask(browser, FUNDING)
    exchange = browser.find_elements(By.CSS_SELECTOR, ".exchange")[-1]
    assert "5%" in exchange.find_element(By.CSS_SELECTOR, ".answer").text
    assert browser.switch_to.active_element == exchange.find_element(By.CSS_SELECTOR, ".answer")
    panel = exchange.find_element(By.CSS_SELECTOR, "details.citation")
    assert not panel.get_attribute("open") and not panel.find_element(By.TAG_NAME, "blockquote").is_displayed()
    exchange.find_element(By.CSS_SELECTOR, "a.marker").click()
    assert panel.get_attribute("open")
    quote = panel.find_element(By.TAG_NAME, "blockquote").text
    details = panel.find_element(By.TAG_NAME, "dl").text
    assert "预算总额的5%" in quote
    assert "教师函〔2021〕4号" in details and "强化经费保障" in details and "国家级培训计划" in details
    assert browser.switch_to.active_element == panel.find_element(By.TAG_NAME, "summary")
    assert browser.current_url.endswith("/chat")  # the answer came in place, no page load


def test_a_not_specified_answer_looks_different(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    ask(browser, FUNDING)
    ask(browser, NOT_SPECIFIED)
    answered, unstated = browser.find_elements(By.CSS_SELECTOR, ".exchange .answer")[-2:]
    assert "verdict-answered" in answered.get_attribute("class")
    assert "verdict-not_specified" in unstated.get_attribute("class")
    assert unstated.find_element(By.CSS_SELECTOR, ".badge").text == "文件未作规定"
    assert answered.value_of_css_property("background-color") != unstated.value_of_css_property("background-color")
    assert not answered.find_elements(By.CSS_SELECTOR, ".badge")


def test_a_quiz_on_a_question_the_documents_leave_open_is_on_the_related_text(browser: WebDriver, console: Console):
    """The answer quotes related text, so 「做个小测」 is offered and its tasks are on that text, with a note that the
    question itself is not stated (the same message the command line and the API give)."""
    login(browser, console, "teacher")
    ask(browser, NOT_SPECIFIED)
    unstated = browser.find_elements(By.CSS_SELECTOR, ".exchange")[-1]
    unstated.find_element(By.XPATH, ".//button[text()='做个小测']").click()
    assert wait_for(browser, "section.task")
    note = wait_for(browser, "main .hint[role=status]").text
    assert note.startswith("文件没有写明") and note.endswith("下面的题目出自回答中引用的相关原文。")
    assert "没有找到" not in browser.find_element(By.TAG_NAME, "main").text


def test_a_follow_up_is_read_against_the_conversation(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    limit = console.services.assistant.tuning.max_question_chars  # the box stops where the core does
    assert wait_for(browser, "#question").get_attribute("maxlength") == str(limit)
    ask(browser, FUNDING)
    ask(browser, "那幼儿园呢？")
    history = json.loads(browser.find_element(By.CSS_SELECTOR, "#ask input[name=history]").get_attribute("value"))
    assert [t["content"] for t in history if t["role"] == "user"][-2:] == [FUNDING, "那幼儿园呢？"]
    follow_up = browser.find_elements(By.CSS_SELECTOR, ".exchange")[-1]
    assert "经费" in follow_up.find_element(By.CSS_SELECTOR, ".answer").text
    # A quiz on the follow-up reads it the same way: tasks, not 这段内容暂时出不了题.
    follow_up.find_element(By.XPATH, ".//button[text()='做个小测']").click()
    assert wait_for(browser, "section.task")


def test_thumbs_record_anonymous_feedback(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    admin = console.services.usecases.people.authenticate(console.tokens["admin"])
    before = console.services.usecases.learning.feedback_summary(admin)["count"]
    ask(browser, FUNDING)
    exchange = browser.find_elements(By.CSS_SELECTOR, ".exchange")[-1]
    exchange.find_element(By.CSS_SELECTOR, "button[value=down]").click()
    wait_text(browser, ".exchange:last-child .rated", "已匿名记录「没用」")
    summary = console.services.usecases.learning.feedback_summary(admin)
    assert summary["count"] == before + 1
    # The passage's document and section, the key the bot files it under; not the versioned chunk id.
    teacher = console.services.usecases.people.authenticate(console.tokens["teacher"])
    key = feedback_ref(console.services.usecases.asking.ask(teacher, FUNDING, []))
    assert key.startswith("jiaoshihan-2021-4#") and "保障措施" in key
    assert any(t["target_kind"] == "answer" and t["target_ref"] == key for t in summary["by_target"])


def test_thumbs_on_an_answer_without_evidence_never_keep_the_question(browser: WebDriver, console: Console):
    """The console used to file the teacher's own question text as the rating's key."""
    login(browser, console, "teacher")
    admin = console.services.usecases.people.authenticate(console.tokens["admin"])
    question = "王小明老师家的小狗叫什么名字？"
    ask(browser, question)
    exchange = browser.find_elements(By.CSS_SELECTOR, ".exchange")[-1]
    exchange.find_element(By.CSS_SELECTOR, "button[value=up]").click()
    wait_text(browser, ".exchange:last-child .rated", "已匿名记录「有用」")
    refs = [t["target_ref"] for t in console.services.usecases.learning.feedback_summary(admin)["by_target"]]
    assert "未找到依据的回答" in refs and not any("小狗" in r for r in refs)


def test_a_quiz_answered_right_the_first_time_earns_credit(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    start = credits(browser, console)
    browser.get(console.url("/chat"))
    ask(browser, FUNDING)
    browser.find_elements(By.XPATH, "//button[text()='做个小测']")[-1].click()
    task = wait_for(browser, "section.task")
    task_id = task.get_attribute("aria-labelledby").removeprefix("t-")
    key = console.services.companion.task(task_id).to_dict()["answer"]  # the key never reaches the page
    task.find_element(By.XPATH, f".//button[@value='{key}']").click()
    result = wait_for(browser, ".result")
    assert result.text.count("回答正确") == 1 and "原文" in result.text  # the verdict once, then the source
    assert float(browser.find_element(By.ID, "credits-awarded").text) > 0
    assert credits(browser, console) > start
    # The same task again is practice: graded, no credit.
    browser.get(console.url(f"/quiz/{task_id}"))
    wait_for(browser, f"button[value='{key}']").click()
    assert "练习" in wait_for(browser, ".result .credit").text


def test_progress_plan_pick_and_drop(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    browser.get(console.url("/progress"))
    for label in ("累计学时", "累计学分", "连续学习", "待复习"):
        assert label in browser.find_element(By.CSS_SELECTOR, ".stats").text
    browser.get(console.url("/plan"))
    # A day names its document as well as its section (a section path alone does not say which document).
    # Before it, the topic's number, as the command line, the API and the bot show it.
    day = wait_for(browser, "ol.plan li").text.split("：", 1)[1]
    assert re.match(r"\[\d+\] 《关于实施中小学幼儿园教师国家级培训计划的通知》", day), day
    first = wait_for(browser, ".topics li")
    number, _, section = first.find_element(By.CSS_SELECTOR, ".topic").text.split("\n")[0].partition(" ")
    assert number == "[1]"
    first.find_element(By.CSS_SELECTOR, "button[value=pick]").click()
    wait_text(browser, ".notice", "已选入")
    actor = console.services.usecases.people.authenticate(console.tokens["teacher"])
    plan = console.services.usecases.learning.plan(actor)
    picked = next(t for t in plan.topics if t.id == plan.picked[0])
    assert picked.section == section
    item = next(li for li in browser.find_elements(By.CSS_SELECTOR, ".topics li") if section in li.text)
    item.find_element(By.CSS_SELECTOR, "button[value=drop]").click()
    wait_text(browser, ".notice", "已移除")
    assert picked.id in console.services.usecases.learning.plan(actor).dropped


def test_progress_right_after_a_wrong_answer_says_how_many_reviews_are_scheduled_and_when(
        browser: WebDriver, console: Console):
    """A wrong answer's review is due the next day: the progress page says at once how many are scheduled and
    the day the first comes, where it said only that nothing was due."""
    _, console.tokens["review-teacher"] = console.services.users.add("review-teacher", "teacher")
    login(browser, console, "review-teacher")
    browser.get(console.url("/progress"))
    assert wait_for(browser, "#reviews-note").text == \
        "目前没有需要复习的错题，也没有已安排的复习：答错的题会从第二天起安排复习。"
    actor = console.services.usecases.people.authenticate(console.tokens["review-teacher"])
    task = next(t for t in console.services.usecases.learning.quiz(actor, topic="培训经费", limit=10).tasks
                if t.type == "single_choice")
    key = console.services.companion.task(task.id).to_dict()["answer"]
    browser.get(console.url(f"/quiz/{task.id}"))
    wait_for(browser, f"button[value='{next(o for o in task.options if o != key)}']").click()
    assert "回答不正确" in wait_for(browser, ".result").text
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    tomorrow = today + timedelta(days=1)
    day = f"{'' if tomorrow.year == today.year else f'{tomorrow.year}年'}{tomorrow.month}月{tomorrow.day}日"
    browser.get(console.url("/progress"))
    assert wait_for(browser, "#reviews-note").text == f"现在没有到期的复习题；已安排 1 道，最早一道 {day} 到期。"


def test_anonymous_feedback_form(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    browser.get(console.url("/feedback"))
    wait_for(browser, "#target").send_keys("小学语文骨干教师研修班")
    browser.find_element(By.CSS_SELECTOR, "input[name=rating][value='4']").click()
    browser.find_element(By.ID, "comment").send_keys("案例很实用，联系电话 13812345678")
    browser.find_element(By.CSS_SELECTOR, "form.card button").click()
    wait_text(browser, ".notice", "已匿名提交")
    admin = console.services.usecases.people.authenticate(console.tokens["admin"])
    summary = console.services.usecases.learning.feedback_summary(admin)
    assert any(t["target_ref"] == "小学语文骨干教师研修班" and t["mean"] == 4 for t in summary["by_target"])


def test_asking_works_before_the_script_has_loaded(browser: WebDriver, console: Console):
    """Server-rendered first: with scripts off the form posts, and the page comes back with the cited answer."""
    login(browser, console, "teacher")
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        browser.get(console.url("/chat"))
        field = wait_for(browser, "#question")
        field.send_keys(FUNDING)
        browser.find_element(By.CSS_SELECTOR, "#ask button[type=submit]").click()
        exchange = wait_for(browser, ".exchange")
        assert "5%" in exchange.find_element(By.CSS_SELECTOR, ".answer").text
        panel = exchange.find_element(By.CSS_SELECTOR, "details.citation")
        panel.find_element(By.TAG_NAME, "summary").click()  # the citation opens without any script
        assert "教师函〔2021〕4号" in panel.text
        history = json.loads(browser.find_element(By.CSS_SELECTOR, "#ask input[name=history]").get_attribute("value"))
        assert history[0] == {"role": "user", "content": FUNDING}
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_a_blank_question_is_refused_with_the_same_chinese_message_as_the_bot_and_api(browser: WebDriver,
                                                                                       console: Console):
    """Three spaces used to do nothing at all: the script dropped them without a word."""
    login(browser, console, "teacher")
    browser.get(console.url("/chat"))
    field = wait_for(browser, "#question")
    field.send_keys("   ")
    field.send_keys(Keys.CONTROL, Keys.ENTER)
    error = wait_for(browser, "#log .error")
    assert error.text == "问题不能为空，请输入想了解的内容。"
    assert not browser.find_elements(By.CSS_SELECTOR, ".exchange")


def test_a_long_conversation_stays_under_the_request_cap(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    browser.get(console.url("/chat"))
    for question in [FUNDING, "那幼儿园呢？", "国培计划的目标任务是什么？", "培训者队伍怎么建设？", "那示范项目呢？",
                     "中西部骨干项目支持哪些教师？", "绩效评价怎么做？", "那经费呢？", "实施方案报给谁？", "几月底前报送？",
                     "参训教师怎么评价？", "那培训机构呢？"]:
        ask(browser, question)
    answers = browser.find_elements(By.CSS_SELECTOR, ".exchange .answer")
    assert len(answers) == 12 and not browser.find_elements(By.CSS_SELECTOR, "#log .error")
    size = len(browser.find_element(By.CSS_SELECTOR, "#ask input[name=history]").get_attribute("value").encode())
    assert size < 40 * 1024


def test_a_multiple_choice_submitted_empty_is_refused_in_chinese(browser: WebDriver, console: Console):
    login(browser, console, "teacher")
    multi = next(t for t in console.services.usecases.learning.quiz(
        console.services.usecases.people.authenticate(console.tokens["teacher"]), topic="培训经费", limit=10).tasks
        if t.type == "multiple_choice" or t.options)
    browser.get(console.url(f"/quiz/{multi.id}"))
    form = wait_for(browser, "section.task form")
    browser.execute_script("arguments[0].querySelectorAll('[name=answer]').forEach(e => e.remove());"
                           "arguments[0].submit()", form)
    error = wait_for(browser, ".error[data-status]")
    assert error.get_attribute("data-status") == "422" and "作答" in error.text


def test_a_reply_that_is_no_answer_brings_the_same_task_back_with_the_hint(browser: WebDriver, console: Console):
    """「骨干教师」 to a reflection is refused by the grader, as on the API and the command line: the page shows the
    task again with the hint and the text typed, not the error page, and nothing is recorded."""
    login(browser, console, "teacher")
    actor = console.services.usecases.people.authenticate(console.tokens["teacher"])
    learning = console.services.usecases.learning
    task = next(t for t in learning.quiz(actor, question="国培计划怎样实行分层分类精准培训？", limit=10).tasks
                if t.type == "reflection")
    before = learning.progress(actor)["attempts"]
    browser.get(console.url(f"/quiz/{task.id}"))
    wait_for(browser, "section.task textarea").send_keys("骨干教师")
    browser.find_element(By.CSS_SELECTOR, "section.task button[type=submit]").click()
    hint = wait_for(browser, f"#hint-{task.id}")
    with pytest.raises(NotAnAnswer) as refused:  # the refusal the API and the command line show
        learning.grade(actor, task.id, "骨干教师")
    assert hint.text == refused.value.message and "太简短" in hint.text
    assert not browser.find_elements(By.CSS_SELECTOR, ".error[data-status]") and "无法完成" not in browser.title
    assert task.prompt.splitlines()[0] in browser.find_element(By.CSS_SELECTOR, f"#t-{task.id}").text
    assert browser.find_element(By.CSS_SELECTOR, "section.task textarea").get_attribute("value") == "骨干教师"
    assert learning.progress(actor)["attempts"] == before
    field = browser.find_element(By.CSS_SELECTOR, "section.task textarea")
    field.clear()
    field.send_keys("我校青年教师多，以前的培训大家听一样的讲座。我准备在教研组按教龄分层分类，新教师练课堂常规，"
                    "骨干教师做课例研究，实行精准培训，期末用听课记录和学生问卷检验效果。")
    browser.find_element(By.CSS_SELECTOR, "section.task button[type=submit]").click()
    assert wait_for(browser, ".result").text


def test_a_model_written_answer_appears_while_written_and_ends_cited(browser: WebDriver, console: Console,
                                                                      tmp_path: Path):
    """With a model configured the page shows each checked sentence as it comes (server-sent events), then
    the same cited answer a form post renders; the model is the scripted OpenAI-compatible server."""
    with serving(ScriptedLLM(api_key=LLM_KEY)) as llm:
        settings = Settings(data_dir=tmp_path, llm_base_url=llm.base_url, llm_model=llm.model,
                            llm_api_key=SecretStr(LLM_KEY), llm_timeout=5.0, llm_max_retries=0)
        services = Services.from_settings(settings, assistant=Assistant(settings, console.services.assistant.store))
        token = services.users.add("teacher", "teacher")[1]
        llm.push(Reply("".join(WRITTEN), pieces=WRITTEN, piece_delay=1.0))
        with serve(create_app(services)) as base:
            login(browser, Console(base, services, {"teacher": token}), "teacher")
            browser.get(base + "/chat")
            field = wait_for(browser, "#question")
            field.send_keys(FUNDING)
            field.send_keys(Keys.CONTROL, Keys.ENTER)
            writing = WebDriverWait(browser, WAIT, poll_frequency=0.05, ignored_exceptions=TRANSIENT).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, ".exchange-live .answer"))[0]
            WebDriverWait(browser, WAIT, poll_frequency=0.05, ignored_exceptions=TRANSIENT).until(lambda d: WRITTEN[0] in writing.text)
            assert WRITTEN[-1] not in writing.text and not browser.find_elements(By.CSS_SELECTOR, ".exchange")
            exchange = wait_for(browser, ".exchange")
            assert not browser.find_elements(By.CSS_SELECTOR, ".exchange-live")
            answer = exchange.find_element(By.CSS_SELECTOR, ".answer")
            assert answer.text.replace("\n", "") == "".join(WRITTEN)
            assert browser.switch_to.active_element == answer
            exchange.find_element(By.CSS_SELECTOR, "a.marker").click()
            panel = exchange.find_element(By.CSS_SELECTOR, "details.citation")
            assert panel.get_attribute("open") and "预算总额的5%" in panel.find_element(By.TAG_NAME, "blockquote").text
            assert "教师函〔2021〕4号" in panel.text
            history = json.loads(browser.find_element(By.CSS_SELECTOR, "#ask input[name=history]").get_attribute("value"))
            assert history[-1] == {"role": "assistant", "content": "".join(WRITTEN)}
            assert not browser.find_elements(By.CSS_SELECTOR, "#log .error")
    assert [r.get("stream") for r in llm.requests] == [True]


STREAM_FETCH = """
const [question, withToken, done] = arguments;
const body = new FormData();
body.append("question", question);
body.append("history", "[]");
const headers = {"Accept": "text/event-stream", "X-Console-Fragment": "1"};
if (withToken) headers["X-CSRF-Token"] = document.querySelector('meta[name=csrf-token]').content;
fetch("/chat/stream", {method: "POST", body, headers, credentials: "same-origin"})
  .then(r => r.text().then(text => done({status: r.status, type: r.headers.get("content-type"), text})));
"""


def test_the_stream_endpoint_speaks_server_sent_events_and_refuses_before_streaming(browser: WebDriver,
                                                                                    console: Console):
    login(browser, console, "teacher")
    browser.get(console.url("/chat"))
    wait_for(browser, "#question")
    ok = browser.execute_async_script(STREAM_FETCH, FUNDING, True)
    assert ok["status"] == 200 and ok["type"].startswith("text/event-stream")
    frames = [f for f in ok["text"].split("\n\n") if f.strip()]
    assert len(frames) == 1 and frames[0].startswith("event: answer\ndata: ")  # extractive: nothing to stream
    event = json.loads(frames[0].split("data: ", 1)[1])
    assert event["replaced"] is False and 'class="exchange"' in event["html"] and "5%" in event["html"]
    empty = browser.execute_async_script(STREAM_FETCH, "   ", True)
    assert empty["status"] == 422 and "问题不能为空" in json.loads(empty["text"])["detail"]
    forged = browser.execute_async_script(STREAM_FETCH, FUNDING, False)
    assert forged["status"] == 403 and "安全校验码" in json.loads(forged["text"])["detail"]


def test_a_true_false_task_is_answered_with_two_buttons(browser: WebDriver, console: Console):
    """Like the bot's ✔/✘ keyboard: no text box to type into, one tap grades the task."""
    login(browser, console, "teacher")
    actor = console.services.usecases.people.authenticate(console.tokens["teacher"])
    task = next(t for t in console.services.usecases.learning.quiz(actor, question=FUNDING, limit=10).tasks
                if t.type == "true_false")
    key = console.services.companion.task(task.id).to_dict()["answer"]
    browser.get(console.url(f"/quiz/{task.id}"))
    form = wait_for(browser, "section.task form")
    assert not form.find_elements(By.TAG_NAME, "textarea")
    assert [b.get_attribute("value") for b in form.find_elements(By.CSS_SELECTOR, "button.option")] == ["正确", "错误"]
    form.find_element(By.CSS_SELECTOR, f"button[value='{key}']").click()
    assert "回答正确" in wait_for(browser, ".result").text
