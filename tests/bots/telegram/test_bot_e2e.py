"""The bot end to end: real polling over HTTP against the stand-in Bot API, real assistant and records."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import datetime, timedelta

import pytest

from assistant.db import Database
from assistant.records import SHANGHAI, Records
from assistant.service import Assistant
from assistant.settings import Settings
from bots.telegram.app import APOLOGY
from tests.bots.telegram.conftest import ADMIN_ID, BotRunner
from tests.bots.telegram.fake_bot_api import FakeBotApi, Sent

pytestmark = pytest.mark.slow
FUNDING_Q = "学校每年要拿出多少经费用于教师培训？"
FUNDING_SECTION = "三、保障措施 > （二）强化经费保障"
RESOURCE_TITLE = "青溪镇暑期研修班安排"
RESOURCE_TEXT = """青溪镇2025年暑期骨干教师研修班安排

一、研修时间与地点
本次暑期骨干教师研修班于2025年7月14日至7月18日在青溪镇实验学校举办，共计40学时。研修期间安排专家讲座、课例研讨和跟岗实践三类活动，每天上午集中学习，下午分学科开展研讨。

二、报名方式
参训教师须于7月5日前通过学校教务处统一报名，每校限报3人。报名时需提交近两年的公开课记录和个人研修计划，由镇教研室审核后公布名单。
"""


def ask(api: FakeBotApi, uid: int, question: str) -> Sent:
    since = api.mark()
    api.message(uid, question)
    return api.reply(uid, since, "来源")


def records(settings: Settings) -> Records:
    return Records(Database(settings.db_path))


def teacher_id(settings: Settings, uid: int) -> str:
    teacher = records(settings).teachers.find_by_channel("telegram", str(uid))
    assert teacher is not None
    return teacher.id


def quiz_from_answer(api: FakeBotApi, uid: int, answer: Sent) -> Sent:
    since = api.mark()
    api.press(uid, answer, "做个小测")
    return api.reply(uid, since, "📝")


def correct_label(settings: Settings, task_message: Sent) -> str:
    """The button label that answers the task right, read from the task stored in SQLite."""
    data = task_message.buttons()[0]["callback_data"]
    task = records(settings).tasks.get(data.split(":")[1])
    assert task is not None
    if task["type"] == "true_false":
        return task["answer"]
    assert task["type"] == "single_choice", task["type"]
    return "ABCDEFGH"[task["options"].index(task["answer"])]


def test_onboarding_with_buttons_stores_profile_and_schedules_reminder(
        api: FakeBotApi, bot: BotRunner, bot_settings: Settings, bot_assistant: Assistant) -> None:
    uid = 1001
    since = api.mark()
    api.message(uid, "/start")
    step = api.reply(uid, since, "发展阶段")
    for label, next_prompt in (("骨干", "学科"), ("数学", "学段"), ("初中", "提醒"), ("20:00", "设置完成")):
        since = api.mark()
        api.press(uid, step, label)
        step = api.reply(uid, since, next_prompt, method="editMessageText")
    teacher = records(bot_settings).teachers.find_by_channel("telegram", str(uid))
    assert teacher is not None
    assert (teacher.stage, teacher.subject, teacher.school_level, teacher.reminder_time) == (
        "骨干", "数学", "初中", "20:00")
    jobs = bot.application.job_queue.get_jobs_by_name(f"reminder:{uid}")
    assert len(jobs) == 1
    assert jobs[0].next_t.astimezone(SHANGHAI).strftime("%H:%M") == "20:00"
    assert all(api.callback_queries.values()), "every button tap must be answered"
    assert {c["command"] for c in api.commands} >= {"start", "plan", "next", "progress", "review", "feedback"}

    since = api.mark()
    asyncio.run_coroutine_threadsafe(jobs[0].run(bot.application), bot.loop).result(30)
    assert "/next" in api.reply(uid, since, "今日学习提醒").text

    bot.stop()  # reminders are rebuilt from the teacher records on start-up
    restarted = BotRunner(bot_settings, bot_assistant).start()
    try:
        assert len(restarted.application.job_queue.get_jobs_by_name(f"reminder:{uid}")) == 1
    finally:
        restarted.stop()


def test_question_answered_with_numbered_citation_and_anonymous_rating(api: FakeBotApi, bot: BotRunner,
                                                                       bot_settings: Settings) -> None:
    uid = 1002
    answer = ask(api, uid, FUNDING_Q)
    assert "5%" in answer.text and FUNDING_SECTION in answer.text
    assert "[1]" in answer.text and "《" in answer.text and "教师函〔2021〕4号" in answer.text
    assert any(e["type"] == "blockquote" for e in answer.entities)
    assert [b["text"] for b in answer.buttons()] == ["做个小测", "换个问题", "👍", "👎"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in answer.buttons())

    since = api.mark()
    api.press(uid, answer, "👍")
    assert "匿名" in api.wait_for(lambda s: s.method == "answerCallbackQuery", since).callback_text
    since = api.mark()
    api.press(uid, answer, "👎")  # one rating per answer
    assert "已经评价过" in api.wait_for(lambda s: s.method == "answerCallbackQuery", since).callback_text
    since = api.mark()
    api.message(uid, "/feedback 4 回答有出处，很实用")
    api.reply(uid, since, "感谢")
    agg = records(bot_settings).feedback.aggregate()
    assert agg["count"] == 2
    assert any(FUNDING_SECTION in t["target_ref"] and t["mean"] == 5 for t in agg["by_target"])
    with sqlite3.connect(bot_settings.db_path) as conn:
        rows = conn.execute("SELECT * FROM feedback").fetchall()
    teacher = records(bot_settings).teachers.find_by_channel("telegram", str(uid))  # asking alone makes none
    marks = [str(uid)] + ([teacher.id] if teacher else [])
    assert not any(m in str(v) for m in marks for row in rows for v in row)

    since = api.mark()
    api.press(uid, answer, "换个问题")
    api.reply(uid, since, "新的问题")


def test_quiz_tap_is_graded_with_source_and_credited(api: FakeBotApi, bot: BotRunner,
                                                     bot_settings: Settings) -> None:
    uid = 1003
    task_message = quiz_from_answer(api, uid, ask(api, uid, FUNDING_Q))
    since = api.mark()
    api.press(uid, task_message, correct_label(bot_settings, task_message))
    graded = api.reply(uid, since, "回答正确", method="editMessageText")
    assert "原文" in graded.text and "强化经费保障" in graded.text and "学分" in graded.text
    assert graded.reply_markup is None
    assert records(bot_settings).ledger.balance(teacher_id(bot_settings, uid))[1] > 0

    since = api.mark()
    api.press(uid, task_message, "A")  # a second tap on the same quiz is not graded again
    assert "已经作答" in api.wait_for(lambda s: s.method == "answerCallbackQuery", since).callback_text

    for command, expected in (("/progress", "学分"), ("/review", "没有需要复习"), ("/plan", "研修计划")):
        since = api.mark()
        api.message(uid, command)
        api.reply(uid, since, expected)
    since = api.mark()
    api.message(uid, "/next")
    api.reply(uid, since, "👉")
    assert api.reply(uid, since, "📝").buttons(), "/next starts a plan and sends its first task"


def test_wrong_first_tap_earns_nothing_and_a_non_answer_keeps_the_task_open(
        api: FakeBotApi, bot: BotRunner, bot_settings: Settings) -> None:
    uid = 1011
    answer = ask(api, uid, FUNDING_Q)
    task_message = quiz_from_answer(api, uid, answer)
    task = records(bot_settings).tasks.get(task_message.buttons()[0]["callback_data"].split(":")[1])
    wrong = next(label for label in ("A", "B", "C", "D") if label != correct_label(bot_settings, task_message)) \
        if task["type"] == "single_choice" else ("正确" if task["answer"] == "错误" else "错误")
    since = api.mark()
    api.press(uid, task_message, wrong)
    assert "回答不正确" in api.reply(uid, since, "原文", method="editMessageText").text
    assert records(bot_settings).ledger.entries(teacher_id(bot_settings, uid)) == []

    cloze = quiz_from_answer(api, uid, answer)  # the next task not yet done
    key = records(bot_settings).tasks.get(cloze.buttons()[0]["callback_data"].split(":")[1])
    assert key["type"] == "cloze", key["type"]
    since = api.mark()
    api.message(uid, "？")  # not an answer: a hint, nothing recorded, the task still waits
    hint = api.reply(uid, since, "还没有作答")
    assert "原文" not in hint.text
    since = api.mark()
    api.message(uid, key["answer"])
    assert "回答正确" in api.reply(uid, since, "学分").text
    progress = records(bot_settings).progress(teacher_id(bot_settings, uid))
    assert progress["attempts"] == 2 and len(records(bot_settings).ledger.entries(teacher_id(bot_settings, uid))) == 1


def test_a_new_question_typed_while_a_fill_in_waits_is_answered_not_graded(
        api: FakeBotApi, bot: BotRunner, bot_settings: Settings) -> None:
    """The teacher moves on and types the next question: it is answered with its sources, the fill-in stays
    open and the first attempt is not spent; the answer typed next is still the first attempt."""
    uid = 1013
    answer = ask(api, uid, FUNDING_Q)
    first = quiz_from_answer(api, uid, answer)
    since = api.mark()
    api.press(uid, first, correct_label(bot_settings, first))
    api.reply(uid, since, "回答正确", method="editMessageText")
    cloze = quiz_from_answer(api, uid, answer)
    key = records(bot_settings).tasks.get(cloze.buttons()[0]["callback_data"].split(":")[1])
    assert key["type"] == "cloze", key["type"]
    attempts = records(bot_settings).progress(teacher_id(bot_settings, uid))["attempts"]
    since = api.mark()
    api.message(uid, "国培计划的目标任务是什么？")
    answered = api.reply(uid, since, "来源")
    assert "你的答案" not in answered.text and "回答不正确" not in answered.text
    assert "还在等你的答案" in api.reply(uid, since, "跳过这题").text
    assert records(bot_settings).progress(teacher_id(bot_settings, uid))["attempts"] == attempts
    since = api.mark()
    api.message(uid, key["answer"])
    assert "回答正确" in api.reply(uid, since, "学分").text


def test_next_without_a_plan_offers_to_make_one(api: FakeBotApi, bot: BotRunner, bot_settings: Settings) -> None:
    """/next for a teacher without a plan says how to make one and offers a button that makes it, as /plan
    does, and then gives the first step of it."""
    uid = 1014
    since = api.mark()
    api.message(uid, "/next")
    offer = api.reply(uid, since, "还没有个人学习计划")
    assert "/plan" in offer.text
    since = api.mark()
    api.press(uid, offer, "生成研修计划")
    assert "第 1 周" in api.reply(uid, since, "个人研修计划").text
    api.reply(uid, since, "按计划第 1 周")
    assert records(bot_settings).plans.load(teacher_id(bot_settings, uid)) is not None


def test_review_right_after_a_wrong_tap_says_how_many_are_scheduled_and_when(
        api: FakeBotApi, bot: BotRunner, bot_settings: Settings) -> None:
    """The review of a wrong tap is due the next day: /review at once says it is scheduled and for when."""
    uid = 1012
    since = api.mark()
    api.message(uid, "/review")
    assert api.reply(uid, since, "没有需要复习").text == \
        "目前没有需要复习的错题，也没有已安排的复习：答错的题会从第二天起安排复习。"
    task_message = quiz_from_answer(api, uid, ask(api, uid, FUNDING_Q))
    task = records(bot_settings).tasks.get(task_message.buttons()[0]["callback_data"].split(":")[1])
    wrong = next(label for label in ("A", "B", "C", "D") if label != correct_label(bot_settings, task_message)) \
        if task["type"] == "single_choice" else ("正确" if task["answer"] == "错误" else "错误")
    since = api.mark()
    api.press(uid, task_message, wrong)
    api.reply(uid, since, "回答不正确", method="editMessageText")
    today = datetime.now(SHANGHAI).date()
    tomorrow = today + timedelta(days=1)
    day = f"{'' if tomorrow.year == today.year else f'{tomorrow.year}年'}{tomorrow.month}月{tomorrow.day}日"
    since = api.mark()
    api.message(uid, "/review")
    assert api.reply(uid, since, "复习").text == f"现在没有到期的复习题；已安排 1 道，最早一道 {day} 到期。"


def test_every_objective_task_type_through_buttons_or_a_typed_reply(api: FakeBotApi, bot: BotRunner,
                                                                     bot_settings: Settings) -> None:
    uid = 1008
    answer = ask(api, uid, FUNDING_Q)
    seen = []
    for _ in range(4):  # each 「做个小测」 brings the next task not yet done: single, cloze, true/false, multiple
        task_message = quiz_from_answer(api, uid, answer)
        task = records(bot_settings).tasks.get(task_message.buttons()[0]["callback_data"].split(":")[1])
        seen.append(task["type"])
        since = api.mark()
        if task["type"] == "cloze":
            api.message(uid, task["answer"])
            assert "回答正确" in api.reply(uid, since, "学分").text
            continue
        if task["type"] == "multiple_choice":
            for key in task["answer"]:
                api.press(uid, task_message, f"☐ {'ABCDEFGH'[task['options'].index(key)]}")
                api.reply(uid, since, "☑", method="editMessageText")
                since = api.mark()
            api.press(uid, task_message, "提交")
        else:
            api.press(uid, task_message, correct_label(bot_settings, task_message))
        assert "回答正确" in api.reply(uid, since, "学分", method="editMessageText").text
    assert sorted(seen) == ["cloze", "multiple_choice", "single_choice", "true_false"]
    progress = records(bot_settings).progress(teacher_id(bot_settings, uid))
    assert progress["attempts"] == 4 and progress["correct"] == 4 and progress["credits"] > 0


def test_trainer_upload_is_indexed_cited_and_deletable_teacher_refused(
        api: FakeBotApi, bot: BotRunner, bot_settings: Settings) -> None:
    trainer, teacher = 2001, 2002
    since = api.mark()
    api.message(ADMIN_ID, "/invite trainer")
    code = re.search(r"/bind (\S+)", api.reply(ADMIN_ID, since, "/bind").text).group(1)
    since = api.mark()
    api.message(trainer, f"/bind {code}")
    api.reply(trainer, since, "培训者")
    since = api.mark()
    api.message(teacher, f"/bind {code}")
    api.reply(teacher, since, "无效或已被使用")

    since = api.mark()
    api.document(trainer, "yanxiu.txt", RESOURCE_TEXT.encode(), caption=RESOURCE_TITLE)
    indexed = api.reply(trainer, since, "已收录")
    assert RESOURCE_TITLE in indexed.text and "文本块" in indexed.text and "资源编号" in indexed.text
    resource_id = re.search(r"res-[0-9a-f]{12}", indexed.text).group(0)
    since = api.mark()
    api.document(trainer, "setup.exe", b"MZ\x90\x00binary", caption="程序")
    api.reply(trainer, since, "不支持的文件类型")

    answer = ask(api, teacher, "青溪镇暑期骨干教师研修班在哪里举办？")
    assert f"《{RESOURCE_TITLE}》" in answer.text and "青溪镇实验学校" in answer.text

    for command in ("/resources", f"/delete {resource_id}"):
        since = api.mark()
        api.message(teacher, command)
        api.reply(teacher, since, "仅限培训者、管理员")
    since = api.mark()
    api.document(teacher, "mine.txt", b"teacher notes", caption="my file")
    api.reply(teacher, since, "仅限培训者、管理员")
    assert len(records(bot_settings).db.conn.execute("SELECT id FROM resources").fetchall()) == 1

    since = api.mark()
    api.message(trainer, "/resources")
    listed = api.reply(trainer, since, "培训资源").text
    assert resource_id in listed
    assert listed.endswith(" · 可检索") and "已就绪" not in listed  # the status as every other surface names it
    since = api.mark()
    api.message(trainer, f"/delete {resource_id}")
    api.reply(trainer, since, "已删除")


def test_pending_quiz_survives_a_restart(api: FakeBotApi, bot: BotRunner, bot_settings: Settings,
                                         bot_assistant: Assistant) -> None:
    uid = 1004
    task_message = quiz_from_answer(api, uid, ask(api, uid, FUNDING_Q))
    label = correct_label(bot_settings, task_message)
    bot.stop()
    assert (bot_settings.data_dir / "telegram-state.pickle").exists()
    restarted = BotRunner(bot_settings, bot_assistant).start()
    try:
        since = api.mark()
        api.press(uid, task_message, label)
        assert "回答正确" in api.reply(uid, since, "学分", method="editMessageText").text
        assert records(bot_settings).ledger.balance(teacher_id(bot_settings, uid))[1] > 0
    finally:
        restarted.stop()


def test_admin_grant_stats_and_eval(api: FakeBotApi, bot: BotRunner, bot_settings: Settings) -> None:
    ask(api, 3002, FUNDING_Q)
    for uid, command, expected in ((3002, "/stats", "仅限管理员"), (3002, "/grant 3001 trainer", "仅限管理员"),
                                   (ADMIN_ID, "/grant 3001 trainer", "培训者"), (3001, "/resources", "还没有")):
        since = api.mark()
        api.message(uid, command)
        api.reply(uid, since, expected)
    since = api.mark()
    api.message(ADMIN_ID, "/stats")
    stats = api.reply(ADMIN_ID, since, "使用统计").text
    assert "提问 1 次" in stats
    assert "按渠道：Telegram 机器人 1 次" in stats  # the surface the question came through, as the console shows
    since = api.mark()
    api.message(ADMIN_ID, "/eval")
    assert "前 5 条含证据" in api.reply(ADMIN_ID, since, "评测完成", timeout=120).text
    report = api.reply(ADMIN_ID, since, method="sendDocument", timeout=30)
    assert report.document is not None and report.document[0] == "report.html"
    assert b"<html" in report.document[1][:500].lower()


def test_comments_for_the_admin_and_the_trainers_own_uploads(api: FakeBotApi, bot: BotRunner,
                                                            bot_settings: Settings, bot_assistant: Assistant) -> None:
    """/comments: the newest comments, worded as the command line words them and in the core's order; a
    trainer reads only those on their own uploads, a teacher is refused."""
    from assistant.records.feedback import comment_line, comments_heading

    since = api.mark()
    api.message(ADMIN_ID, "/comments")
    api.reply(ADMIN_ID, since, "还没有匿名评语")
    trainer, teacher = 3201, 3202
    since = api.mark()
    api.message(ADMIN_ID, f"/grant {trainer} trainer")
    api.reply(ADMIN_ID, since, "培训者")
    since = api.mark()
    api.document(trainer, "songling.txt", "松岭镇2025年秋季教研安排\n\n一、集体备课\n松岭镇各校教研组每周三下午集体备课，"
                 "由教研组长主持，记录交镇教研室。".encode(), caption="松岭镇秋季教研安排")
    resource_id = re.search(r"res-[0-9a-f]{12}", api.reply(trainer, since, "资源编号").text).group(0)
    since = api.mark()
    api.message(teacher, "/feedback 2 讲座时间太紧，有事请打 13812345678")
    api.reply(teacher, since, "感谢")
    records(bot_settings).feedback.submit("answer", f"{resource_id}#一、集体备课", 4, "备课安排写得清楚",
                                          channel_kind="web")

    since = api.mark()
    api.message(ADMIN_ID, "/comments")
    shown = api.reply(ADMIN_ID, since, "匿名评语共").text.splitlines()
    titles = {d["doc_id"]: d["title"] for d in bot_assistant.documents()}
    page = {**records(bot_settings).feedback.comments(titles), "scope": "all"}
    assert shown == [f"💬 {comments_heading(page)}", *(comment_line(c) for c in page["comments"])]
    assert shown[0] == "💬 匿名评语共 2 条，最新的周在前："
    assert any(line.endswith(" · 2 分 · Telegram 机器人 · 培训项目 国培助手：讲座时间太紧，有事请打 ［已隐去］")
               for line in shown)
    assert any(line.endswith(" · 4 分 · 网页控制台 · 助手回答 《松岭镇秋季教研安排》 一、集体备课：备课安排写得清楚")
               for line in shown)
    since = api.mark()
    api.message(trainer, "/comments")
    own = api.reply(trainer, since, "匿名评语").text
    assert own.startswith("💬 对你上传的资源的匿名评语共 1 条") and "讲座时间太紧" not in own
    # The command line's options in its order: how many, how many to skip, then a target or a document.
    since = api.mark()
    api.message(ADMIN_ID, "/comments 1")
    first = api.reply(ADMIN_ID, since, "匿名评语共").text.splitlines()
    assert first == [f"💬 {comments_heading({**page, 'offset': 0, 'comments': page['comments'][:1]})}",
                     comment_line(page["comments"][0]), "更早的评语：发送 /comments 1 1"]
    since = api.mark()
    api.message(ADMIN_ID, "/comments 1 1")
    assert api.reply(ADMIN_ID, since, "匿名评语共").text.splitlines()[1:] == [comment_line(page["comments"][1])]
    since = api.mark()
    api.message(ADMIN_ID, f"/comments 5 0 {resource_id}")
    about = api.reply(ADMIN_ID, since, "匿名评语共").text
    assert "备课安排写得清楚" in about and "讲座时间太紧" not in about
    for uid, command, expected in ((teacher, "/comments", "仅限培训者、管理员"),
                                   (ADMIN_ID, "/comments 0", "条数必须是 1 到"),
                                   (ADMIN_ID, "/comments 1 -1", "起始位置必须是不小于 0 的整数")):
        since = api.mark()
        api.message(uid, command)
        api.reply(uid, since, expected)
    since = api.mark()
    api.message(trainer, f"/delete {resource_id}")
    api.reply(trainer, since, "已删除")


def test_help_and_the_command_menu_follow_the_role(api: FakeBotApi, bot: BotRunner) -> None:
    """An admin's /help lists the staff commands and their chat's menu has them; a trainer granted later gets
    the trainer's; a teacher sees only the teacher's help and the default menu."""
    for uid, seen, unseen in ((ADMIN_ID, ("管理员命令", "/stats", "/grant", "/resources"), ()),
                              (3101, ("/plan",), ("/stats", "/resources", "命令："))):
        since = api.mark()
        api.message(uid, "/help")
        text = api.reply(uid, since, "/plan").text
        assert all(s in text for s in seen) and not any(s in text for s in unseen)
    assert "stats" in {c["command"] for c in api.chat_commands.get(ADMIN_ID, [])}
    assert "stats" not in {c["command"] for c in api.commands} and 3101 not in api.chat_commands
    since = api.mark()
    api.message(ADMIN_ID, "/grant 3102 trainer")
    api.reply(ADMIN_ID, since, "培训者")
    menu = {c["command"] for c in api.chat_commands.get(3102, [])}
    assert {"resources", "delete", "jobs"} <= menu and "stats" not in menu
    since = api.mark()
    api.message(3102, "/help")
    assert "培训者命令" in api.reply(3102, since, "/resources").text


def test_errors_get_a_short_apology_never_a_traceback(api: FakeBotApi, bot: BotRunner,
                                                      bot_assistant: Assistant,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(bot_assistant, "answer", boom)
    since = api.mark()
    api.message(1005, "国培计划是什么？")
    reply = api.reply(1005, since)
    assert reply.text == APOLOGY
    since = api.mark()
    api.message(1005, "/start")
    keyboard = api.reply(1005, since, "发展阶段")
    since = api.mark()
    api.press(1005, keyboard, "", data="ob:s:99")  # a forged tap: no such stage
    assert api.wait_for(lambda s: s.method == "answerCallbackQuery", since).callback_text == APOLOGY
    assert not any("Traceback" in s.text or "exploded" in s.text or "IndexError" in (s.callback_text or "")
                   for s in api.sent)


def test_questions_are_rate_limited_per_user(api: FakeBotApi, bot_settings: Settings,
                                             bot_assistant: Assistant) -> None:
    runner = BotRunner(bot_settings.model_copy(update={"ask_rate_per_minute": 2}), bot_assistant).start()
    try:
        for _ in range(2):
            ask(api, 1006, FUNDING_Q)
        since = api.mark()
        api.message(1006, FUNDING_Q)
        api.reply(1006, since, "过于频繁")
        ask(api, 1007, FUNDING_Q)  # another teacher is unaffected
    finally:
        runner.stop()


def test_a_question_the_documents_do_not_settle_is_marked_as_such(api: FakeBotApi, bot: BotRunner) -> None:
    since = api.mark()
    api.message(1009, "国培的培训补贴每人每天多少钱？")
    reply = api.reply(1009, since, "文件未作规定")
    assert "没有写明" in reply.text and "相关原文（仅供参考）" in reply.text and "来源\n" not in reply.text
    # The related text it quotes is what the teacher was shown: the quiz is on it, and says so first.
    since = api.mark()
    api.press(1009, reply, "做个小测")
    note = api.reply(1009, since, "下面的题目出自回答中引用的相关原文")
    assert note.text.startswith("文件没有写明") and "没有找到" not in note.text
    assert api.reply(1009, since, "📝").buttons()


NOTICE = ("青山县暑期培训通知\n一、培训时间\n2025年7月10日至7月15日，共六天。\n"
          "二、培训内容\n围绕新课标开展大单元教学设计研修。\n")


def test_a_new_version_is_sent_with_replace_and_a_second_copy_is_refused(
        api: FakeBotApi, bot: BotRunner, bot_settings: Settings) -> None:
    """The reply to an upload lists both headings of the one chunk (not only 二、培训内容); the edited file
    sent again is refused, naming /replace, and sent with 「/replace 编号」 it becomes version 2 under the same
    title. A failed upload's job tells the admin why in /jobs."""
    trainer = 2101
    since = api.mark()
    api.message(ADMIN_ID, f"/grant {trainer} trainer")
    api.reply(ADMIN_ID, since, "培训者")

    since = api.mark()
    api.document(trainer, "青山县暑期培训通知.txt", NOTICE.encode("gbk"))
    indexed = api.reply(trainer, since, "已收录")
    assert "《青山县暑期培训通知》（第 1 版），共 1 个文本块" in indexed.text
    assert "· 一、培训时间\n· 二、培训内容" in indexed.text
    rid = re.search(r"res-[0-9a-f]{12}", indexed.text).group(0)
    assert f"/replace {rid}" in indexed.text

    edited = NOTICE.replace("共六天", "共五天").encode("gbk")
    since = api.mark()
    api.document(trainer, "青山县暑期培训通知v2.txt", edited)
    refused = api.reply(trainer, since, "同名资源")
    assert f"《青山县暑期培训通知》（{rid}）" in refused.text and f"/replace {rid}" in refused.text
    since = api.mark()
    api.message(trainer, "/replace")
    assert "说明中写 /replace 资源编号" in api.reply(trainer, since, "替换资源").text

    since = api.mark()
    api.document(trainer, "青山县暑期培训通知v2.txt", edited, caption=f"/replace {rid}")
    replaced = api.reply(trainer, since, "已替换")
    assert "《青山县暑期培训通知》（第 2 版）" in replaced.text and "· 一、培训时间\n· 二、培训内容" in replaced.text
    rows = records(bot_settings).db.conn.execute("SELECT id, version FROM resources WHERE title = ?",
                                                 ("青山县暑期培训通知",)).fetchall()
    assert [tuple(r) for r in rows] == [(rid, 2)]
    since = api.mark()
    api.document(trainer, "x.txt", edited, caption="/replace res-000000000000")
    api.reply(trainer, since, "找不到资源")

    since = api.mark()
    api.document(trainer, "坏.docx", b"PK\x03\x04" + b"\0" * 64, caption="坏文件")
    api.reply(trainer, since, "无法打开 Word 文档")
    since = api.mark()
    api.message(ADMIN_ID, "/jobs")
    jobs = api.reply(ADMIN_ID, since, "后台任务").text
    assert "· 失败：无法打开 Word 文档「坏.docx」：文件已加密或损坏" in jobs and "5% 失败" not in jobs, jobs
    since = api.mark()
    api.message(trainer, f"/delete {rid}")
    api.reply(trainer, since, "已删除")


def test_staff_read_a_named_teachers_progress_and_records_a_teacher_is_refused(
        api: FakeBotApi, bot: BotRunner, bot_settings: Settings) -> None:
    """/progress 王老师 from an admin read the admin's own empty record; the name after the command names the
    teacher, as --user does on the command line and /v1/teachers/{who} on the API."""
    from assistant.records.users import UserStore

    user = UserStore(Database(bot_settings.db_path)).add("王老师", "teacher")[0]
    learner = records(bot_settings).teachers.get_or_create_by_channel("api", str(user.id), "王老师")
    records(bot_settings).ledger.add(learner.id, 3, 0.3, "集中培训", "training", "p1")
    since = api.mark()
    api.message(ADMIN_ID, "/progress 王老师")
    shown = api.reply(ADMIN_ID, since, "学习进度").text
    assert "「王老师」" in shown and "0.3 学分" in shown
    since = api.mark()
    api.message(ADMIN_ID, "/export 王老师")
    sent = api.reply(ADMIN_ID, since, method="sendDocument")
    assert "「王老师」的学习记录" in sent.text and "集中培训" in sent.document[1].decode("utf-8-sig")
    since = api.mark()
    api.message(ADMIN_ID, "/progress 无此人")
    api.reply(ADMIN_ID, since, "未找到教师「无此人」")
    since = api.mark()
    api.message(4101, "/progress 王老师")  # a teacher naming anyone is refused, in the API's words
    assert "--user" not in api.reply(4101, since, "权限不足：该操作仅限培训者、管理员，当前身份为教师").text
    since = api.mark()
    api.message(4101, "/progress")
    assert "「" not in api.reply(4101, since, "学习进度").text
