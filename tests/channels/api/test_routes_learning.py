"""Companion learning over the live API: quiz → answer → credit once → progress; reviews; plans; feedback."""

from __future__ import annotations

import re
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from assistant.companion import Companion
from assistant.errors import InvalidInput
from assistant.records.feedback import answer_ref
from tests.channels.api.conftest import Live

QUESTION = "国培计划的培训经费如何保障？"


@pytest.fixture
def fresh(live: Live) -> httpx.Client:
    """A brand-new teacher account, so records from other tests never leak into the numbers checked."""
    _, token = live.users.add(f"教师-{uuid.uuid4().hex[:8]}", "teacher")
    with httpx.Client(base_url=live.base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        yield client


def companion(live: Live) -> Companion:
    return live.services.companion


def teacher_id(live: Live, client: httpx.Client) -> str:
    token = client.headers["authorization"].removeprefix("Bearer ")
    user = live.users.authenticate(token)
    return companion(live).records.teachers.find_by_channel("api", str(user.id)).id


def objective_task(client: httpx.Client) -> dict:
    resp = client.post("/v1/quiz", json={"question": QUESTION})
    assert resp.status_code == 200, resp.text
    tasks = resp.json()["tasks"]
    assert tasks
    return next(t for t in tasks if t["type"] in ("single_choice", "multiple_choice", "cloze", "true_false"))


def key_for(live: Live, task_id: str) -> str | list[str]:
    task = companion(live).task(task_id)
    return list(task.keys) if task.type == "multiple_choice" else task.keys[0]


def wrong_for(live: Live, task_id: str) -> str:
    """A real answer that is wrong: another option, the other truth value, or a wrong word."""
    task = companion(live).task(task_id)
    if task.type == "true_false":
        return "正确" if task.answer == "错误" else "错误"
    return next((o for o in task.options if o not in task.keys), "这不是答案")


HIDDEN = {"answer", "rubric", "key_spans"}  # and source.text / source.quote


def assert_served_without_key(live: Live, served: dict) -> None:
    task = companion(live).task(served["id"])
    assert not HIDDEN & set(served) and not {"text", "quote"} & set(served["source"])
    assert served["prompt"] and served["source"]["title"] and task.source.text not in str(served)


def test_quiz_answer_credits_once_and_shows_in_progress(live: Live, fresh: httpx.Client) -> None:
    task = objective_task(fresh)
    assert_served_without_key(live, task)  # the key, the source text and the rubric stay on the server

    first = fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": key_for(live, task["id"])})
    assert first.status_code == 200, first.text
    one = first.json()
    assert one["correct"] is True and one["score"] == 1.0 and "原文" in one["feedback"]
    assert one["credits_awarded"] > 0 and one["balance"] == pytest.approx(one["credits_awarded"])
    assert one["practice"] is False and one["answer"] == companion(live).task(task["id"]).answer
    assert one["source"]["text"] == companion(live).task(task["id"]).source.text  # revealed once graded

    again = fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": key_for(live, task["id"])}).json()
    assert again["correct"] is True and again["credits_awarded"] == 0 and again["practice"] is True
    assert again["feedback"].startswith("（练习") and again["balance"] == pytest.approx(one["balance"])

    progress = fresh.get("/v1/me/progress").json()
    assert progress["attempts"] == 2 and progress["practice"] == 1
    assert progress["answered"] == 1 and progress["correct"] == 1 and progress["accuracy"] == 1.0
    assert progress["credits"] == pytest.approx(one["balance"]) and progress["hours"] > 0
    assert progress["streak_days"] == 1


def test_staff_see_one_teachers_progress_and_records(live: Live, fresh: httpx.Client) -> None:
    """``/v1/teachers/{who}/…`` is what ``/v1/me/…`` shows the teacher, for trainers and admins, by account
    name or teacher id; an unknown name is 404 in Chinese."""
    task = objective_task(fresh)
    assert fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": key_for(live, task["id"])}).status_code == 200
    name = live.users.authenticate(fresh.headers["authorization"].removeprefix("Bearer ")).name
    mine, own_csv = fresh.get("/v1/me/progress").json(), fresh.get("/v1/me/export").text
    for staff in ("admin", "trainer"):
        with live.client(staff) as client:
            for who in (name, teacher_id(live, fresh)):
                progress = client.get(f"/v1/teachers/{who}/progress")
                assert progress.status_code == 200, progress.text
                assert progress.json() == mine
                export = client.get(f"/v1/teachers/{who}/export")
                assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
                assert export.text == own_csv and ",答题," in own_csv
            missing = client.get("/v1/teachers/无此人/progress")
            assert missing.status_code == 404 and "未找到教师「无此人」" in missing.json()["detail"]
    assert fresh.get(f"/v1/teachers/{name}/progress").status_code == 403


def test_quiz_needs_question_or_topic_and_topic_works(fresh: httpx.Client) -> None:
    neither = fresh.post("/v1/quiz", json={})
    assert neither.status_code == 422
    assert "请提供问题" in neither.json()["detail"]
    assert fresh.post("/v1/quiz", json={"question": "  ", "topic": ""}).status_code == 422
    by_topic = fresh.post("/v1/quiz", json={"topic": "培训经费", "limit": 2})
    assert by_topic.status_code == 200 and 1 <= len(by_topic.json()["tasks"]) <= 2
    too_long = fresh.post("/v1/quiz", json={"question": "国" * 600})
    assert too_long.status_code == 422 and "问题太长" in too_long.json()["detail"]


def test_quiz_limit_and_plan_weeks_must_be_json_integers(live: Live, fresh: httpx.Client) -> None:
    before = fresh.get("/v1/me/plan").json()
    quiz = fresh.post("/v1/quiz", json={"question": QUESTION, "limit": "2"})
    weeks = fresh.put("/v1/me/plan", json={"weeks": "3"})
    assert quiz.status_code == 422 and quiz.json() == {"detail": "「limit」必须是整数"}
    assert weeks.status_code == 422 and weeks.json() == {"detail": "「weeks」必须是整数"}
    assert fresh.get("/v1/me/plan").json() == before
    assert len(fresh.post("/v1/quiz", json={"question": QUESTION, "limit": 2}).json()["tasks"]) <= 2
    assert fresh.put("/v1/me/plan", json={"weeks": 3}).status_code == 200


def test_a_quiz_on_a_follow_up_reads_it_with_the_conversation(fresh: httpx.Client) -> None:
    """第三项具体怎么搞 means nothing alone; sent with the conversation it was asked in, it is quizzed on."""
    first = fresh.post("/v1/ask", json={"question": "国培计划有哪些重点工作？"}).json()
    history = [{"role": "user", "content": "国培计划有哪些重点工作？"}, {"role": "assistant", "content": first["answer"]}]
    alone = fresh.post("/v1/quiz", json={"question": "第三项具体怎么搞？", "limit": 2})
    read = fresh.post("/v1/quiz", json={"question": "第三项具体怎么搞？", "limit": 2, "history": history})
    assert alone.status_code == read.status_code == 200
    assert alone.json()["tasks"] == [] and read.json()["tasks"]
    asked = fresh.post("/v1/ask", json={"question": "第三项具体怎么搞？", "history": history}).json()
    assert {t["source"]["chunk_id"] for t in read.json()["tasks"]} <= {c["chunk_id"] for c in asked["citations"]}


def test_unknown_task_is_404_in_chinese(fresh: httpx.Client) -> None:
    resp = fresh.post("/v1/tasks/no-such-task/answer", json={"answer": "正确"})
    assert resp.status_code == 404 and "未找到编号为 no-such-task 的学习任务" in resp.json()["detail"]


def test_trying_every_option_earns_nothing(live: Live, fresh: httpx.Client) -> None:
    """A→B→C→D used to end in full credit: a wrong first answer now locks the task."""
    task = next(t for t in fresh.post("/v1/quiz", json={"question": QUESTION}).json()["tasks"]
                if t["type"] == "single_choice")
    results = [fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": letter}).json() for letter in "ABCD"]
    right = [r for r in results if r["correct"]]
    assert len(right) == 1 and all(r["credits_awarded"] == 0 for r in results[1:])
    assert [r["practice"] for r in results] == [False, True, True, True]
    assert results[-1]["balance"] == results[0]["credits_awarded"]  # credit only if A was the key


def test_an_open_task_that_does_not_pass_can_be_rewritten_for_the_credit(live: Live, fresh: httpx.Client) -> None:
    tasks = fresh.post("/v1/quiz", json={"topic": "学分银行"}).json()["tasks"]
    task = next(t for t in tasks if t["type"] == "reflection")
    weak = fresh.post(f"/v1/tasks/{task['id']}/answer", json={
        "answer": "这条要求很重要，我们应该认真学习领会，努力做好相关工作，争取在今后的工作中取得更好的成绩。"}).json()
    assert not weak["correct"] and not weak["practice"] and "通过即可获得本题的学时学分" in weak["feedback"]
    term = re.findall(r"“([^”]+)”", "".join(weak["rubric"]))[0]
    rewrite = (f"我校青年教师多，对{term}的理解还不够。本学期我打算在教研组每月组织一次专题研讨，请骨干教师上示范课，"
               "期末通过学生评价和听课反馈检验效果。")
    passed = fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": rewrite}).json()
    assert passed["correct"] and not passed["practice"] and passed["credits_awarded"] > 0, passed["feedback"]


def test_a_reply_that_is_not_an_answer_is_422_and_not_recorded(live: Live, fresh: httpx.Client) -> None:
    task = next(t for t in fresh.post("/v1/quiz", json={"question": QUESTION}).json()["tasks"]
                if t["type"] == "single_choice")
    resp = fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": "我不知道"})
    assert resp.status_code == 422 and "选项字母" in resp.json()["detail"]
    assert "原文" not in resp.json()["detail"].replace("选项原文", "")
    assert fresh.get("/v1/me/progress").json()["attempts"] == 0
    first = fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": key_for(live, task["id"])}).json()
    assert first["practice"] is False and first["credits_awarded"] > 0


def test_an_over_long_answer_is_422_with_the_message_every_channel_gives(live: Live, fresh: httpx.Client) -> None:
    task = objective_task(fresh)
    text = fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": "我" * 5000})
    listed = fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": ["体育" * 1500, "美术" * 1500]})
    assert text.status_code == 422 and text.json()["detail"] == "作答过长：最多 4000 个字（本次 5000 个字），请精简后再提交。"
    assert listed.status_code == 422 and listed.json()["detail"].startswith("作答过长：最多 4000 个字")
    assert fresh.get("/v1/me/progress").json()["attempts"] == 0


def test_concurrent_first_attempts_earn_one_credit(live: Live, fresh: httpx.Client) -> None:
    task = objective_task(fresh)
    key = key_for(live, task["id"])
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": key}).json(),
                                range(10)))
    assert sum(not r["practice"] for r in results) == 1
    assert sum(r["credits_awarded"] > 0 for r in results) == 1
    assert len(companion(live).records.ledger.entries(teacher_id(live, fresh))) == 1


def test_wrong_answers_schedule_a_review_and_mark_the_topic_weak(live: Live, fresh: httpx.Client) -> None:
    tasks = fresh.post("/v1/quiz", json={"question": QUESTION}).json()["tasks"]
    task = objective_task(fresh)
    wrong = fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": wrong_for(live, task["id"])}).json()
    assert wrong["correct"] is False and wrong["credits_awarded"] == 0 and wrong["balance"] == 0
    again = fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": wrong_for(live, task["id"])}).json()
    assert again["practice"] and fresh.get("/v1/me/progress").json()["weak_topics"] == []  # practice: no verdict
    other = next(t for t in tasks if t["type"] in ("single_choice", "multiple_choice", "cloze", "true_false")
                 and t["id"] != task["id"] and t["topic"] == task["topic"])
    fresh.post(f"/v1/tasks/{other['id']}/answer", json={"answer": wrong_for(live, other["id"])})

    tid = teacher_id(live, fresh)
    records = companion(live).records
    later = datetime.now(UTC) + timedelta(days=3)
    assert task["id"] in records.reviews.due(tid, later)
    step = records.what_next(tid, later)
    assert step.kind == "review" and step.task_id in (task["id"], other["id"])

    # Today the review is not due yet, but two tasks missed make the topic weak: the next step drills it.
    nxt = fresh.get("/v1/tasks/next").json()
    assert nxt["step"]["kind"] == "weak" and nxt["step"]["topic"] == task["topic"]
    assert nxt["tasks"]
    for served in nxt["tasks"]:
        assert_served_without_key(live, served)
    assert fresh.get("/v1/me/progress").json()["weak_topics"] == [task["topic"]]


def test_reviews_right_after_a_wrong_answer_say_how_many_are_scheduled_and_when(live: Live,
                                                                                   fresh: httpx.Client) -> None:
    """Nothing is due the day of a mistake, but the review exists: the response keeps ``due`` and ``tasks``
    and adds how many are scheduled, the first due day and the sentence to show."""
    empty = fresh.get("/v1/me/reviews").json()
    assert empty == {"due": 0, "tasks": [], "upcoming": 0, "next_due": None,
                     "message": "目前没有需要复习的错题，也没有已安排的复习：答错的题会从第二天起安排复习。"}
    task = objective_task(fresh)
    assert fresh.post(f"/v1/tasks/{task['id']}/answer", json={"answer": wrong_for(live, task["id"])}).json()[
        "correct"] is False
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()
    tomorrow = today + timedelta(days=1)
    day = f"{'' if tomorrow.year == today.year else f'{tomorrow.year}年'}{tomorrow.month}月{tomorrow.day}日"
    assert fresh.get("/v1/me/reviews").json() == {
        "due": 0, "tasks": [], "upcoming": 1, "next_due": tomorrow.isoformat(),
        "message": f"现在没有到期的复习题；已安排 1 道，最早一道 {day} 到期。"}


def test_next_step_follows_the_plan(fresh: httpx.Client) -> None:
    nxt = fresh.get("/v1/tasks/next").json()
    assert nxt == {"step": {"kind": "none", "message": "还没有个人学习计划，可以先生成一份。", "task_id": None,
                            "topic": None, "item": None, "doc_id": None}, "tasks": []}
    plan = fresh.get("/v1/me/plan").json()
    nxt = fresh.get("/v1/tasks/next").json()
    assert nxt["step"]["kind"] == "plan" and nxt["step"]["topic"] == plan["items"][0]["topic_id"]
    assert nxt["step"]["item"]["date"] == plan["start"]


def test_plan_get_put_profile_pick_drop(live: Live, fresh: httpx.Client) -> None:
    first = fresh.get("/v1/me/plan")
    assert first.status_code == 200
    plan = first.json()
    assert plan["weeks"] == 4 and len(plan["items"]) == 28 and plan["topics"]
    assert fresh.get("/v1/me/plan").json() == plan  # created once, then loaded

    resp = fresh.put("/v1/me/plan", json={"stage": "新任", "subject": "语文", "school_level": "小学", "weeks": 2})
    assert resp.status_code == 200, resp.text
    plan = resp.json()
    assert plan["profile"] == {"stage": "新任", "subject": "语文", "school_level": "小学"}
    assert plan["weeks"] == 2 and len(plan["items"]) == 14
    teacher = companion(live).records.teachers.get(teacher_id(live, fresh))
    assert (teacher.stage, teacher.subject, teacher.school_level) == ("新任", "语文", "小学")

    c = plan["items"][0]["topic_id"]
    others = [t["id"] for t in plan["topics"] if t["id"] != c]
    a, b = others[-1], others[-2]
    plan = fresh.put("/v1/me/plan", json={"pick": [a, b], "drop": [c]}).json()
    assert plan["picked"] == [a, b] and plan["dropped"] == [c]
    assert [i["topic_id"] for i in plan["items"][:2]] == [a, b]
    assert c not in {i["topic_id"] for i in plan["items"]}

    # A profile change rebuilds the plan but keeps the teacher's own choices.
    plan = fresh.put("/v1/me/plan", json={"stage": "骨干"}).json()
    assert plan["profile"]["stage"] == "骨干" and plan["picked"] == [a, b] and plan["dropped"] == [c]
    plan = fresh.put("/v1/me/plan", json={"pick": [c]}).json()
    assert plan["picked"][0] == c and c not in plan["dropped"]


@pytest.mark.parametrize(("body", "message"), [
    ({"stage": "老教师"}, "发展阶段“老教师”无效"),
    ({"school_level": "大学"}, "任教学段“大学”无效"),
    ({"pick": ["没有这个主题"]}, "计划中没有主题“没有这个主题”"),
])
def test_plan_validation_is_422_in_chinese_and_changes_nothing(live: Live, fresh: httpx.Client, body: dict,
                                                                message: str) -> None:
    before = fresh.get("/v1/me/plan").json()
    resp = fresh.put("/v1/me/plan", json={**body, "weeks": 3})
    assert resp.status_code == 422 and message in resp.json()["detail"]
    assert fresh.get("/v1/me/plan").json() == before
    assert companion(live).records.teachers.get(teacher_id(live, fresh)).stage == ""


def test_feedback_is_stored_without_any_user_id(live: Live, fresh: httpx.Client) -> None:
    marker = f"示范项目-{uuid.uuid4().hex[:6]}"
    assert fresh.get("/v1/me/plan").status_code == 200  # the rater has a teacher record (a plan) to hide
    resp = fresh.post("/v1/feedback", json={"target_kind": "training", "target_ref": marker, "rating": 4,
                                            "comment": "很实用，联系我 13812345678"})
    assert resp.status_code == 201, resp.text
    assert set(resp.json()) == {"period"} and "-W" in resp.json()["period"]

    tid = teacher_id(live, fresh)
    token = fresh.headers["authorization"].removeprefix("Bearer ")
    user = live.users.authenticate(token)
    conn = sqlite3.connect(live.services.settings.db_path)
    conn.row_factory = sqlite3.Row
    try:
        columns = {r["name"] for r in conn.execute("PRAGMA table_info(feedback)")}
        rows = [dict(r) for r in conn.execute("SELECT * FROM feedback WHERE target_ref = ?", (marker,))]
    finally:
        conn.close()
    assert columns.isdisjoint({"teacher_id", "user_id", "external_id", "created_at"})
    assert len(rows) == 1
    row = rows[0]
    assert row["rating"] == 4 and row["channel_kind"] == "api" and "13812345678" not in row["comment"]
    values = " ".join(str(v) for v in row.values())
    assert tid not in values and user.name not in values and row["id"] != str(user.id)

    bad = fresh.post("/v1/feedback", json={"target_kind": "training", "target_ref": tid, "rating": 3})
    assert bad.status_code == 422 and "不能是个人" in bad.json()["detail"]
    assert fresh.post("/v1/feedback", json={"target_kind": "teacher", "target_ref": "x", "rating": 3}
                      ).status_code == 422
    assert fresh.post("/v1/feedback", json={"target_kind": "answer", "target_ref": "x", "rating": 6}
                      ).status_code == 422


def test_feedback_summary_is_admin_only(live: Live, fresh: httpx.Client) -> None:
    marker = f"资源-{uuid.uuid4().hex[:6]}"
    for rating in (5, 2):
        assert fresh.post("/v1/feedback", json={"target_kind": "resource", "target_ref": marker,
                                                "rating": rating}).status_code == 201
    assert fresh.get("/v1/feedback/summary").status_code == 403
    with live.client("trainer") as trainer:
        assert trainer.get("/v1/feedback/summary").status_code == 403
    with live.client("admin") as admin:
        summary = admin.get("/v1/feedback/summary").json()
    assert summary["count"] >= 2 and "resource" in summary["by_kind"]
    mine = [t for t in summary["by_target"] if t["target_ref"] == marker]
    assert mine == [{"target_kind": "resource", "target_ref": marker, "target_label": marker, "count": 2, "mean": 3.5}]


def test_the_feedback_summary_names_a_rated_answer_by_its_documents_title(live: Live, fresh: httpx.Client) -> None:
    """An answer rated under its key (the cited document's id and section) is listed with the document's
    title, so the admin need not look up what ``jiaoshihan-2021-4`` is; the key itself is kept beside it."""
    answer = fresh.post("/v1/ask", json={"question": QUESTION}).json()
    key = answer_ref(answer)
    assert key.startswith(f"{answer['citations'][0]['doc_id']}#")
    assert fresh.post("/v1/feedback", json={"target_kind": "answer", "target_ref": key, "rating": 5}
                      ).status_code == 201
    with live.client("admin") as admin:
        summary = admin.get("/v1/feedback/summary").json()
    [rated] = [t for t in summary["by_target"] if t["target_kind"] == "answer" and t["target_ref"] == key]
    first = answer["citations"][0]
    assert rated["target_label"] == f"《{first['title']}》 {first['section']}"
    assert first["doc_id"] not in rated["target_label"]


def test_comments_are_read_by_an_admin_in_full_and_by_a_trainer_on_their_own_uploads(
        live: Live, fresh: httpx.Client) -> None:
    """``GET /v1/feedback/comments``: the written comments with rating, what was rated (by title), channel
    kind and week, in the core's order; a trainer sees those on their own uploads only, a teacher none."""
    text = f"柏林镇{uuid.uuid4().hex[:6]}教研组每周二下午开展集体备课。"
    with live.client("trainer") as trainer:
        up = trainer.post("/v1/resources", files={"file": ("柏林教研.txt", text.encode(), "text/plain")},
                          data={"title": "柏林镇教研安排"})
    assert up.status_code == 201, up.text
    rid = up.json()["id"]
    for body in ({"target_kind": "resource", "target_ref": rid, "rating": 5, "comment": "很实用"},
                 {"target_kind": "answer", "target_ref": f"{rid}#柏林镇教研安排", "rating": 2,
                  "comment": "没说地点，请联系 13812345678"},
                 {"target_kind": "resource", "target_ref": rid, "rating": 4}):
        assert fresh.post("/v1/feedback", json=body).status_code == 201
    with live.client("admin") as admin:
        page = admin.get("/v1/feedback/comments", params={"target": rid}).json()
        everything = admin.get("/v1/feedback/comments", params={"limit": 100}).json()
        assert admin.get("/v1/feedback/comments", params={"limit": 0}).status_code == 422
    core = live.services.usecases
    admin_actor = core.people.authenticate(live.tokens["admin"])
    assert page == core.learning.feedback_comments(admin_actor, target=rid)
    assert (page["total"], page["scope"], page["limit"]) == (2, "all", 10)
    assert {(c["rating"], c["comment"], c["target_label"], c["channel_label"]) for c in page["comments"]} == {
        (5, "很实用", "《柏林镇教研安排》", "HTTP API"),
        (2, "没说地点，请联系 ［已隐去］", "《柏林镇教研安排》", "HTTP API")}
    assert all(re.fullmatch(r"\d{4} 年第 \d{1,2} 周", c["week_label"]) for c in page["comments"])
    periods = [c["period"] for c in everything["comments"]]
    assert periods == sorted(periods, reverse=True) and everything["total"] >= 2

    with live.client("trainer") as trainer, live.client("trainer2") as other:
        own = trainer.get("/v1/feedback/comments", params={"limit": 100}).json()
        theirs = other.get("/v1/feedback/comments", params={"target": rid}).json()
    assert own["scope"] == "own" and {"很实用", "没说地点，请联系 ［已隐去］"} <= {c["comment"] for c in own["comments"]}
    assert all(c["target_ref"].startswith("res-") for c in own["comments"])
    assert theirs == {"total": 0, "offset": 0, "limit": 10, "scope": "own", "comments": []}
    assert fresh.get("/v1/feedback/comments").status_code == 403


def test_ask_with_tasks_and_plain_ask_unchanged(live: Live, fresh: httpx.Client) -> None:
    plain = fresh.post("/v1/ask", json={"question": QUESTION}).json()
    assert set(plain) == {"id", "answer", "abstained", "verdict", "hedged", "citations", "retrieved", "generation"}

    resp = fresh.post("/v1/ask", json={"question": QUESTION, "with_tasks": True})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["answer"] == plain["answer"] and not body["abstained"]
    types = [t["type"] for t in body["tasks"]]
    assert 1 <= len(types) <= 2 and types[0] in ("single_choice", "multiple_choice", "cloze", "true_false")
    assert types[1:] in ([], ["reflection"])
    for served in body["tasks"]:
        assert_served_without_key(live, served)
    # The suggested task is a real, gradable task.
    graded = fresh.post(f"/v1/tasks/{body['tasks'][0]['id']}/answer",
                        json={"answer": key_for(live, body["tasks"][0]["id"])}).json()
    assert graded["correct"] is True

    abstained = fresh.post("/v1/ask", json={"question": "红烧肉怎么做才不腻？", "with_tasks": True})
    out = abstained.json()
    assert abstained.status_code == 200 and out["abstained"] is True and out["tasks"] == []


def test_a_quiz_on_a_question_the_documents_leave_open_is_on_the_related_text(fresh: httpx.Client) -> None:
    """Related text was cited, so there are tasks on it, and the message says why they are not on the question."""
    question = "学分银行里的学分能保存几年？"
    answer = fresh.post("/v1/ask", json={"question": question}).json()
    assert answer["verdict"] == "not_specified" and answer["citations"]
    body = fresh.post("/v1/quiz", json={"question": question}).json()
    assert body["tasks"] and {t["source"]["chunk_id"] for t in body["tasks"]} <= {
        c["chunk_id"] for c in answer["citations"]}
    assert body["message"].startswith("文件没有写明") and "相关原文" in body["message"]
    with_tasks = fresh.post("/v1/ask", json={"question": question, "with_tasks": True}).json()
    assert with_tasks["tasks"]
    nothing = fresh.post("/v1/quiz", json={"question": "红烧肉怎么做才不腻？"}).json()
    assert nothing == {"tasks": [], "message": "知识库中没有找到与之相关的内容，暂时无法出题。"}
    assert fresh.post("/v1/quiz", json={"question": QUESTION}).json()["message"] == ""


def test_every_role_is_a_teacher_record_of_its_own(live: Live) -> None:
    ids = set()
    for who in ("teacher", "trainer", "admin"):
        with live.client(who) as client:
            assert client.get("/v1/me/plan").status_code == 200  # a plan starts a record; reading progress does not
            ids.add(teacher_id(live, client))
    assert len(ids) == 3 and all(i.startswith("t_") for i in ids)


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"limit": -3}, {"offset": -1},
                                    {"limit": 0, "offset": -1}])
def test_out_of_range_comment_options_are_refused_in_the_cores_words(live: Live, params: dict[str, int]) -> None:
    """``limit=0`` was refused in a wording of the API's own (「limit」不能小于 1) while the command line and the
    bot said the core's 条数必须是 1 到 100 之间的整数: the same input now gets the core's words, still a 422."""
    admin_actor = live.services.usecases.people.authenticate(live.tokens["admin"])
    with pytest.raises(InvalidInput) as refused:
        live.services.usecases.learning.feedback_comments(admin_actor, **params)
    with live.client("admin") as admin:
        resp = admin.get("/v1/feedback/comments", params=params)
    assert (resp.status_code, resp.json()["detail"]) == (422, refused.value.message)
    assert resp.json()["detail"].startswith(("条数必须是 1 到 100 之间的整数", "起始位置必须是不小于 0 的整数"))
