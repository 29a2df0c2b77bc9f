"""The same action behaves the same on every surface: each use case run through the CLI, the HTTP API and the
Telegram bot over one database and one knowledge base, with the results compared.

Each surface is driven the way a person drives it (a ``guopei`` subprocess, HTTP requests to a real server,
messages through the stand-in Bot API) and its output is read back into the same plain shape: for the bot
that means reading the text a teacher sees. A surface that does not offer a use case is left out (the bot
has no hit testing, grades only tasks it served itself, and has no user list or cohort export).

The tests run in file order over one database and build on each other, as a cohort would: the plan, then
a review due on the same task for the command-line, API and bot teacher, then what each surface says
about it. Who acts: the API's teacher and admin accounts (tokens), the command line as the operator or,
with ``--as``, as the API's teacher account, and two Telegram users (a teacher and a configured admin).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.labels import STATUS_LABELS, feedback_kind_label, job_kind_label, status_label
from assistant.service import Assistant
from assistant.services import Services
from assistant.settings import Settings
from channels.api.app import create_app
from evals.runner import SEED_PATH
from tests.bots.telegram.conftest import TOKEN, BotRunner
from tests.bots.telegram.fake_bot_api import FakeBotApi, running
from tests.bots.telegram.wire import Sent
from tests.channels.api.conftest import serve
from tests.conftest import unique_name

pytestmark = pytest.mark.slow
GUOPEI = [sys.executable, "-m", "channels.cli"]
BOT_USER = 4242  # a teacher
BOT_ADMIN = 4343  # an admin by configuration (GUOPEI_TELEGRAM_ADMIN_IDS)
TEACHER = "surface-teacher"  # the API account that ``guopei --as`` also acts as


@dataclass
class Surfaces:
    services: Services
    api_base: str
    token: str
    admin_token: str
    bot: FakeBotApi
    env: dict[str, str]
    datasets: Path

    def run_cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Output decoded as written (no newline translation: a CSV's CRLF line ends are part of the file)."""
        out = subprocess.run([*GUOPEI, *args], env=self.env, capture_output=True, timeout=300)
        return subprocess.CompletedProcess(out.args, out.returncode, out.stdout.decode("utf-8"),
                                           out.stderr.decode("utf-8"))

    def cli(self, *args: str) -> Any:
        out = self.run_cli(*args, "--json")
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def cli_text(self, *args: str) -> str:
        out = self.run_cli(*args)
        assert out.returncode == 0, out.stderr
        return out.stdout

    def cli_refused(self, *args: str) -> str:
        """The one line a refused command prints (exit code 2, no traceback)."""
        out = self.run_cli(*args)
        assert out.returncode == 2 and out.stdout == "", (out.returncode, out.stdout, out.stderr)
        return out.stderr.strip()

    def request(self, method: str, path: str, body: dict[str, Any] | None = None, *, admin: bool = False,
                **kwargs: Any) -> httpx.Response:
        token = self.admin_token if admin else self.token
        with httpx.Client(base_url=self.api_base, headers={"Authorization": f"Bearer {token}"},
                          timeout=60) as client:
            return client.request(method, path, json=body, **kwargs)

    def http(self, method: str, path: str, body: dict[str, Any] | None = None, *, admin: bool = False) -> Any:
        resp = self.request(method, path, body, admin=admin)
        assert resp.status_code in (200, 201, 202), resp.text
        return resp.json()

    def exchange(self, text: str, done: Callable[[Sent], bool], uid: int = BOT_USER, timeout: float = 30.0
                 ) -> list[Sent]:
        """Send ``text`` as Telegram user ``uid``; every message sent to them up to the one ``done`` accepts."""
        since = self.bot.mark()
        self.bot.message(uid, text)
        last = self.bot.wait_for(lambda s: s.chat_id == uid and s.method in ("sendMessage", "sendDocument")
                                 and done(s), since, timeout)
        return [s for s in self.bot.sent[since:] if s.method in ("sendMessage", "sendDocument")
                and s.chat_id == uid and s.message_id is not None and s.message_id <= (last.message_id or 0)]

    def chat(self, text: str, done: Callable[[Sent], bool], uid: int = BOT_USER) -> str:
        """Send ``text`` as a bot user; the text of every reply up to the one ``done`` accepts."""
        return "\n\n".join(s.text for s in self.exchange(text, done, uid) if s.method == "sendMessage")


@pytest.fixture(scope="module")
def surfaces(tmp_path_factory: pytest.TempPathFactory, chroma_server_url: str) -> Iterator[Surfaces]:
    data = tmp_path_factory.mktemp("surfaces")
    datasets = tmp_path_factory.mktemp("surface-datasets")
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()
    unanswerable = next(line for line in lines if '"answerable": false' in line)
    (datasets / "small.jsonl").write_text("\n".join([*lines[:3], unanswerable]) + "\n", encoding="utf-8")
    collection = unique_name("surfaces")
    with running(TOKEN) as bot_api:
        settings = Settings(data_dir=data, chroma_url=chroma_server_url, knowledge_base=collection,
                            ask_rate_per_minute=100_000, telegram_token=TOKEN,
                            telegram_api_base_url=bot_api.base_url, telegram_admin_ids=[BOT_ADMIN],
                            eval_datasets_dir=datasets)
        assistant = Assistant.from_settings(settings)
        assistant.ensure_indexed()
        services = Services.from_settings(settings, assistant=assistant)
        token = services.users.add(TEACHER, "teacher")[1]
        admin_token = services.users.add("surface-admin", "admin")[1]
        env = {**os.environ, "GUOPEI_DATA_DIR": str(data), "GUOPEI_CHROMA_URL": chroma_server_url,
               "GUOPEI_KNOWLEDGE_BASE": collection, "GUOPEI_EVAL_DATASETS_DIR": str(datasets)}
        env.pop("GUOPEI_AS", None)
        bot = BotRunner(settings, assistant).start()
        try:
            with serve(create_app(services)) as base:
                yield Surfaces(services, base, token, admin_token, bot_api, env, datasets)
        finally:
            bot.stop()


# -- reading each surface back into one shape ------------------------------------------------------------

def _source(c: dict[str, Any]) -> str:
    number = f"（{c['doc_number']}）" if c.get("doc_number") else ""
    return f"[{c['marker']}] 《{c['title']}》{number} {c.get('section') or ''}".rstrip()


def answer_shape(out: dict[str, Any]) -> dict[str, Any]:
    return {"verdict": out["verdict"], "answer": out["answer"], "sources": [_source(c) for c in out["citations"]]}


def bot_answer_shape(text: str) -> dict[str, Any]:
    verdict = "not_specified" if text.startswith("ℹ️ 文件未作规定") else "answered" if "\n\n来源\n\n" in text \
        else "about_assistant" if "\n\n知识库中的文件\n\n" in text else "not_found"
    body = text.removeprefix("ℹ️ 文件未作规定\n")
    answer = re.split(r"\n\n(?:来源|相关原文（仅供参考）|知识库中的文件)\n\n", body)[0]
    return {"verdict": verdict, "answer": answer,
            "sources": [line for line in text.splitlines() if re.match(r"^\[\d+\] 《", line)]}


def plan_shape(plan: dict[str, Any]) -> dict[str, Any]:
    upcoming = [i for i in plan["items"] if not i["done"]][:7]
    return {"weeks": plan["weeks"], "start": plan["start"], "done": len(plan["items"]) - len(
        [i for i in plan["items"] if not i["done"]]), "total": len(plan["items"]),
        "upcoming": [(i["date"], i["week"], f"[{i['number']}] 《{i['short_title']}》{i['section']}") for i in upcoming]}


def bot_plan_shape(text: str) -> dict[str, Any]:
    head = re.search(r"（(\d+) 周，从 (\S+) 开始，已完成 (\d+)/(\d+)）", text)
    assert head, text
    upcoming = [(m[1], int(m[2]), m[3]) for m in re.finditer(r"^(\S+) 第 (\d+) 周 · (.+)$", text, re.M)]
    return {"weeks": int(head[1]), "start": head[2], "done": int(head[3]), "total": int(head[4]),
            "upcoming": upcoming}


PROGRESS = ("hours", "credits", "answered", "correct", "attempts", "practice", "streak_days", "due_reviews")


def bot_progress_shape(text: str) -> dict[str, Any]:
    m = re.search(r"累计：([\d.]+) 学时，([\d.]+) 学分\n已作答 (\d+) 题，答对 (\d+) 题.*\n共作答 (\d+) 次，其中练习 (\d+) 次\n"
                  r"连续学习 (\d+) 天；待复习 (\d+) 题", text)
    assert m, text
    return dict(zip(PROGRESS, (float(m[1]), float(m[2]), *(int(g) for g in m.groups()[2:])), strict=True))


# -- the use cases ----------------------------------------------------------------------------------------

QUESTIONS = {
    "answered": "学校每年要拿出多少经费用于教师培训？",
    "not_specified": "国培的培训补贴每人每天多少钱？",
    "not_found": "红烧肉怎么做才不腻？",
    "about_assistant": "你好",
}


@pytest.mark.parametrize("verdict", sorted(QUESTIONS))
def test_ask(surfaces: Surfaces, verdict: str) -> None:
    question = QUESTIONS[verdict]
    cli, api = surfaces.cli("ask", question), surfaces.http("POST", "/v1/ask", {"question": question})
    results = {
        "cli": answer_shape(cli),
        "api": answer_shape(api),
        "bot": bot_answer_shape(surfaces.chat(question, lambda s: bool(s.buttons()))),
    }
    assert results["api"]["verdict"] == verdict
    assert results["cli"] == results["api"] == results["bot"]
    # The same contract fields: the API used to leave out id and generation, which ask --json prints.
    assert list(api) == list(cli) and list(cli)[:2] == ["id", "answer"] and "generation" in cli
    assert cli["id"] is None and api["id"] is None


def test_search(surfaces: Surfaces) -> None:
    query = "学分银行"
    cli = surfaces.cli("search", query, "-k", "5")["results"]
    api = surfaces.http("POST", "/v1/search", {"query": query, "k": 5})["results"]
    assert [(h["chunk_id"], round(h["score"], 4)) for h in cli] == [(h["chunk_id"], round(h["score"], 4)) for h in api]
    assert len(api) == 5


def test_plan(surfaces: Surfaces) -> None:
    results = {
        "cli": plan_shape(surfaces.cli("plan", "--user", "cli-teacher")),
        "api": plan_shape(surfaces.http("GET", "/v1/me/plan")),
        "bot": bot_plan_shape(surfaces.chat("/plan", lambda s: "个人研修计划" in s.text)),
    }
    assert results["api"]["total"] == 28 and len(results["api"]["upcoming"]) == 7
    assert results["cli"] == results["api"] == results["bot"]


def test_progress(surfaces: Surfaces) -> None:
    """After the plan above and nothing else: the same empty record, however it is asked for."""
    results = {
        "cli": {k: surfaces.cli("progress", "--user", "cli-teacher")[k] for k in PROGRESS},
        "api": {k: surfaces.http("GET", "/v1/me/progress")[k] for k in PROGRESS},
        "bot": bot_progress_shape(surfaces.chat("/progress", lambda s: "学习进度" in s.text)),
    }
    assert results["api"]["attempts"] == 0
    assert results["cli"] == results["api"] == results["bot"]


def test_a_profile_change_re_ranks_the_plan_alike(surfaces: Surfaces) -> None:
    """Each surface's teacher has done the first day of the plan above and then says they are a 骨干 teacher of
    小学语文 in the surface's own way (the command line's options, the API's PUT, the bot's /start buttons):
    the same re-ranked plan on each, from the same start, with the day done kept."""
    before = surfaces.http("GET", "/v1/me/plan")
    for teacher_id in _teacher_ids(surfaces).values():
        plan = surfaces.services.records.plans.load(teacher_id)
        assert plan is not None and surfaces.services.records.plans.mark_done(teacher_id, plan.items[0].topic_id)
    cli = surfaces.cli("plan", "--user", "cli-teacher", "--stage", "骨干", "--subject", "语文", "--level", "小学")
    api = surfaces.http("PUT", "/v1/me/plan", {"stage": "骨干", "subject": "语文", "school_level": "小学"})
    step = surfaces.exchange("/start", lambda s: "发展阶段" in s.text)[-1]
    for label, prompt in (("骨干", "学科"), ("语文", "学段"), ("小学", "提醒")):
        since = surfaces.bot.mark()
        surfaces.bot.press(BOT_USER, step, label)
        step = surfaces.bot.reply(BOT_USER, since, prompt, method="editMessageText")
    results = {"cli": plan_shape(cli), "api": plan_shape(api),
               "bot": bot_plan_shape(surfaces.chat("/plan", lambda s: "个人研修计划" in s.text))}
    assert api["profile"] == {"stage": "骨干", "subject": "语文", "school_level": "小学"}
    assert (results["api"]["start"], results["api"]["done"]) == (before["start"], 1)
    assert api["items"][0] == {**before["items"][0], "done": True}
    assert results["cli"] == results["api"] == results["bot"]


# -- refusals: the same typed error, the same words --------------------------------------------------------

REFUSED = {  # action → (CLI as the API's teacher account, API request, bot command)
    "invite": (("invite", "trainer"), ("POST", "/v1/invites", {"role": "trainer"}), "/invite trainer"),
    "stats": (("stats",), ("GET", "/v1/stats", None), "/stats"),
    "resources": (("resources", "list"), ("GET", "/v1/resources", None), "/resources"),
    "comments": (("comments",), ("GET", "/v1/feedback/comments", None), "/comments"),
}


@pytest.mark.parametrize("action", sorted(REFUSED))
def test_teacher_refused_alike(surfaces: Surfaces, action: str) -> None:
    """A teacher asking for an admin's or trainer's action: the core's Forbidden, worded once, on every surface
    (the bot adds how to become a trainer there, on a line of its own)."""
    cli_args, (method, path, body), command = REFUSED[action]
    cli = surfaces.cli_refused("--as", TEACHER, *cli_args)
    resp = surfaces.request(method, path, body)
    assert resp.status_code == 403, resp.text
    bot = surfaces.chat(command, lambda s: "权限不足" in s.text)
    assert cli.startswith("权限不足：") and "当前身份为教师" in cli
    assert cli == resp.json()["detail"] == bot.splitlines()[0]


# -- reviews, next step, grading and balance ---------------------------------------------------------------

def _teacher_ids(surfaces: Surfaces) -> dict[str, str]:
    """The teacher record behind each surface's learner (created if a test runs on its own)."""
    api_user = surfaces.services.users.by_name(TEACHER)
    assert api_user is not None
    teacher = surfaces.services.companion.teacher
    return {"cli": teacher("cli", "cli-teacher").id, "api": teacher("api", str(api_user.id)).id,
            "bot": teacher("telegram", str(BOT_USER)).id}


def _task_ids(messages: list[Sent]) -> list[str]:
    """Task ids from the answer buttons the bot attached (``qa:<task id>:<option>``), in order sent."""
    ids = [b["callback_data"].split(":")[1] for m in messages for b in m.buttons()
           if b.get("callback_data", "").startswith(("qa:", "qm:", "qx:"))]
    return list(dict.fromkeys(ids))


def test_reviews_next_grade_and_balance(surfaces: Surfaces) -> None:
    """A task missed three days ago is due for review for each surface's teacher; every surface lists it,
    offers it as the next step, grades the right option alike and then reports the same balance."""
    served = surfaces.http("POST", "/v1/quiz", {"topic": "学分银行", "limit": 6})["tasks"]
    task = surfaces.services.companion.task(next(t for t in served if t["type"] == "single_choice")["id"])
    missed = datetime.now(UTC) - timedelta(days=3)
    for teacher_id in _teacher_ids(surfaces).values():
        surfaces.services.records.reviews.record(teacher_id, task.id, False, now=missed)

    cli = surfaces.cli("review", "--user", "cli-teacher")
    api = surfaces.http("GET", "/v1/me/reviews")
    bot_msgs = surfaces.exchange("/review", lambda s: bool(s.buttons()))
    due = re.search(r"有 (\d+) 道错题到了复习时间", bot_msgs[0].text)
    assert due, bot_msgs[0].text
    reviews = {"cli": (cli["due"], [t["id"] for t in cli["tasks"]]),
               "api": (api["due"], [t["id"] for t in api["tasks"]]),
               "bot": (int(due[1]), _task_ids(bot_msgs))}
    assert reviews["api"] == (1, [task.id])
    assert reviews["cli"] == reviews["api"] == reviews["bot"]

    cli = surfaces.cli("next", "--user", "cli-teacher")
    api = surfaces.http("GET", "/v1/tasks/next")
    bot_msgs = surfaces.exchange("/next", lambda s: bool(s.buttons()))
    steps = {"cli": (cli["step"]["message"], [t["id"] for t in cli["tasks"]]),
             "api": (api["step"]["message"], [t["id"] for t in api["tasks"]]),
             "bot": (bot_msgs[0].text.removeprefix("👉 "), _task_ids(bot_msgs))}
    assert api["step"]["kind"] == "review" and steps["api"][1] == [task.id]
    assert steps["cli"] == steps["api"] == steps["bot"]

    right = task.options.index(task.keys[0])
    cli = surfaces.cli("grade", task.id, task.options[right], "--user", "cli-teacher")
    api = surfaces.http("POST", f"/v1/tasks/{task.id}/answer", {"answer": task.options[right]})
    since = surfaces.bot.mark()
    surfaces.bot.press(BOT_USER, bot_msgs[-1], "ABCDEFGH"[right])
    graded = surfaces.bot.wait_for(lambda s: s.method == "editMessageText" and "回答" in s.text, since).text
    credit = re.search(r"本题记入 ([\d.]+) 学分，累计 ([\d.]+) 学分", graded)
    assert credit, graded
    grades = {"cli": (cli["correct"], cli["credits_awarded"], cli["balance"]),
              "api": (api["correct"], api["credits_awarded"], api["balance"]),
              "bot": ("回答正确" in graded, float(credit[1]), float(credit[2]))}
    assert grades["api"][0] is True and grades["api"][1] > 0
    assert grades["cli"] == grades["api"] == grades["bot"]

    balances = {"cli": surfaces.cli("balance", "--user", "cli-teacher"),
                "api": {k: surfaces.http("GET", "/v1/me/progress")[k] for k in ("hours", "credits")},
                "bot": {k: bot_progress_shape(surfaces.chat("/progress", lambda s: "学习进度" in s.text))[k]
                        for k in ("hours", "credits")}}
    assert balances["api"]["credits"] == grades["api"][2]
    assert balances["cli"] == balances["api"] == balances["bot"]


def test_a_review_not_yet_due_is_told_alike(surfaces: Surfaces) -> None:
    """After the review above was answered right it comes back in three days: nothing is due, and every
    surface says how many reviews are scheduled and the day the first is due, in the same words."""
    api = surfaces.http("GET", "/v1/me/reviews")
    assert (api["due"], api["tasks"], api["upcoming"]) == (0, [], 1)
    results = {"cli": surfaces.cli_text("review", "--user", "cli-teacher").strip(),
               "api": api["message"],
               "bot": surfaces.chat("/review", lambda s: "复习" in s.text)}
    assert results["api"].startswith("现在没有到期的复习题；已安排 1 道，最早一道 ")
    assert results["cli"] == results["api"] == results["bot"]


# -- exports ------------------------------------------------------------------------------------------------

PERSONAL = ("教师编号", "姓名", "时间（北京时间）")  # who and when: the only cells that differ by surface


def records_shape(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), text[:40]
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    return [{k: v for k, v in row.items() if k not in PERSONAL} for row in rows]


def test_exports(surfaces: Surfaces) -> None:
    """Each teacher's own records export as the same CSV after the same study; the cohort export is the same
    file from the command line and the API."""
    cli = surfaces.cli_text("export", "csv", "--user", "cli-teacher")
    api = surfaces.request("GET", "/v1/me/export")
    assert api.status_code == 200 and api.headers["content-type"].startswith("text/csv")
    doc = surfaces.exchange("/export", lambda s: s.method == "sendDocument")[-1]
    assert doc.document is not None and doc.document[0].endswith(".csv")
    results = {"cli": records_shape(cli), "api": records_shape(api.text),
               "bot": records_shape(doc.document[1].decode("utf-8"))}
    assert any(row["记录类型"] for row in results["api"]) and len(results["api"]) >= 2  # an attempt and its credit
    assert results["cli"] == results["api"] == results["bot"]

    cohort_cli = surfaces.cli_text("export", "csv")
    cohort_api = surfaces.request("GET", "/v1/exports/cohort", admin=True)
    assert cohort_api.status_code == 200
    assert cohort_cli == cohort_api.text and len(cohort_api.text.splitlines()) >= 4  # header + three teachers
    assert surfaces.request("GET", "/v1/exports/cohort").status_code == 403


# -- feedback, usage and knowledge-base stats ---------------------------------------------------------------

def bot_stats_shape(text: str) -> dict[str, Any]:
    usage = re.search(r"提问 (\d+) 次，其中未直接作答（知识库中没有依据或文件未作规定） (\d+) 次.*\n近 (\d+) 天提过问的账号 (\d+) 个，"
                      r"累计提过问的账号 (\d+) 个，有学习记录的教师（做过小测或制定过研修计划） (\d+) 人", text)
    fb = re.search(r"匿名评价 (\d+) 条，平均 (\S+) 分（(.*)）", text)
    kb = re.search(r"知识库：(\d+) 份文件，(\d+) 个文本块", text)
    assert usage and fb and kb, text
    kinds = {m[1]: (int(m[2]), float(m[3])) for m in re.finditer(r"(\w+) (\d+) 条，均分 ([\d.]+)", fb[3])}
    by_channel = re.search(r"^按渠道：(.+)$", text, re.M)
    assert by_channel, text
    return {"usage": tuple(int(g) for g in usage.groups()),
            "by_channel": {m[1]: int(m[2]) for m in re.finditer(r"([^，]+) (\d+) 次", by_channel[1])},
            "feedback": (int(fb[1]), None if fb[2] == "—" else float(fb[2]), kinds),
            "kb": (int(kb[1]), int(kb[2]))}


def stats_shape(usage: dict[str, Any], fb: dict[str, Any], kb: dict[str, Any]) -> dict[str, Any]:
    assert usage["active_teachers"] <= usage["known_accounts"]
    return {"usage": tuple(usage[k] for k in ("questions", "abstentions", "days", "active_teachers",
                                              "known_accounts", "registered_teachers")),
            "by_channel": {usage["channel_labels"][ch]: v.get("questions", 0) for ch, v in usage["by_channel"].items()},
            "feedback": (fb["count"], fb["mean"], {feedback_kind_label(k): (v["count"], v["mean"])
                                                   for k, v in fb["by_kind"].items()}),
            "kb": (len(kb["documents"]), kb["chunks"])}


def test_feedback_and_stats(surfaces: Surfaces) -> None:
    """The same anonymous rating from each surface lands in the same week; the admin's summary of usage,
    feedback and the knowledge base then reads the same on each."""
    periods = {
        "cli": surfaces.cli("feedback", "4", "讲解清楚")["period"],
        "api": surfaces.http("POST", "/v1/feedback", {"target_kind": "training", "target_ref": "国培助手",
                                                      "rating": 4, "comment": "讲解清楚"})["period"],
    }
    surfaces.chat("/feedback 4 讲解清楚", lambda s: "感谢您的匿名评价" in s.text)
    assert re.fullmatch(r"\d{4}-W\d{2}", periods["api"]) and periods["cli"] == periods["api"]

    cli = surfaces.cli("stats")
    api = surfaces.http("GET", "/v1/stats", admin=True)
    api_fb = surfaces.http("GET", "/v1/feedback/summary", admin=True)
    results = {"cli": stats_shape(cli["usage"], cli["feedback"], cli["knowledge_base"]),
               "api": stats_shape(api["usage"], api_fb, api["knowledge_base"]),
               "bot": bot_stats_shape(surfaces.chat("/stats", lambda s: "使用统计" in s.text, uid=BOT_ADMIN))}
    assert results["api"]["feedback"] == (3, 4.0, {"培训项目": (3, 4.0)})
    assert results["api"]["kb"][1] == surfaces.services.assistant.store.count() > 0
    assert results["cli"] == results["api"] == results["bot"]


def test_comments(surfaces: Surfaces) -> None:
    """The comments just written, read back by an admin on each surface: the same comments in the same order
    (newest week first, then the store's random key), the bot in the command line's words."""
    from assistant.records.feedback import comment_line, comments_heading

    cli = surfaces.cli("comments")
    api = surfaces.http("GET", "/v1/feedback/comments", admin=True)
    bot = surfaces.chat("/comments", lambda s: "匿名评语" in s.text, uid=BOT_ADMIN)
    assert cli == api
    assert api["total"] == 3 and {c["channel_label"] for c in api["comments"]} == {"命令行", "HTTP API", "Telegram 机器人"}
    assert bot.splitlines() == [f"💬 {comments_heading(api)}", *(comment_line(c) for c in api["comments"])]
    assert surfaces.cli_text("comments").splitlines() == bot.removeprefix("💬 ").splitlines()


@pytest.mark.parametrize(("limit", "offset", "target"), [(2, 1, None), (1, 1, "国培助手"), (5, 0, "国培助手"),
                                                          (5, 0, "没有这个对象")])
def test_comments_with_options(surfaces: Surfaces, limit: int, offset: int, target: str | None) -> None:
    """How many, how many to skip and which target, given in each surface's own way (the command line's
    options, the API's query, the bot's arguments in the command line's order): the same page, in the same
    words; the bot alone adds the command for the next page when older comments are left."""
    from assistant.records.feedback import comment_line, comments_heading

    options = ["--limit", str(limit), "--offset", str(offset), *(["--target", target] if target else [])]
    params: dict[str, Any] = {"limit": limit, "offset": offset, **({"target": target} if target else {})}
    cli = surfaces.cli("comments", *options)
    api = surfaces.request("GET", "/v1/feedback/comments", admin=True, params=params)
    assert api.status_code == 200, api.text
    page = api.json()
    command = " ".join(["/comments", str(limit), str(offset), *([target] if target else [])])
    bot = surfaces.chat(command, lambda s: "匿名评语" in s.text, uid=BOT_ADMIN).splitlines()
    assert cli == page and (page["limit"], page["offset"]) == (limit, offset)
    assert len(page["comments"]) == min(limit, max(page["total"] - offset, 0))
    more = offset + len(page["comments"]) < page["total"]
    assert bot == [f"💬 {comments_heading(page)}", *(comment_line(c) for c in page["comments"]),
                   *([f"更早的评语：发送 /comments {limit} {offset + limit}" + (f" {target}" if target else "")]
                     if more else [])]
    assert surfaces.cli_text("comments", *options).splitlines() == [
        line.removeprefix("💬 ") for line in bot if not line.startswith("更早的评语")]


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (101, 0), (5, -1)])
def test_out_of_range_comment_options_are_refused_alike(surfaces: Surfaces, limit: int, offset: int) -> None:
    """An out-of-range page size or start is refused in the core's words on every surface: the API used to
    answer in a wording of its own (「limit」不能小于 1)."""
    cli = surfaces.cli_refused("comments", "--limit", str(limit), "--offset", str(offset))
    api = surfaces.request("GET", "/v1/feedback/comments", admin=True, params={"limit": limit, "offset": offset})
    bot = surfaces.chat(f"/comments {limit} {offset}", lambda s: "必须是" in s.text, uid=BOT_ADMIN)
    assert api.status_code == 422
    assert cli == api.json()["detail"] == bot
    assert cli.startswith("条数必须是 1 到 100 之间的整数" if offset == 0 else "起始位置必须是不小于 0 的整数")


# -- invites, roles and users -------------------------------------------------------------------------------

def test_invites_users_and_roles(surfaces: Surfaces) -> None:
    """An admin's invite from any surface makes a trainer of whoever binds it in the bot; a spent code is
    refused alike; the command line and the API list the same accounts."""
    codes = {
        "cli": surfaces.cli("invite", "trainer")["code"],
        "api": surfaces.http("POST", "/v1/invites", {"role": "trainer"}, admin=True)["code"],
        "bot": re.search(r"/bind (\S+)", surfaces.chat("/invite trainer", lambda s: "邀请码" in s.text,
                                                       uid=BOT_ADMIN))[1],
    }
    assert len(set(codes.values())) == 3
    bound = {}
    for uid, (surface, code) in enumerate(codes.items(), start=4501):
        reply = surfaces.chat(f"/bind {code}", lambda s: "绑定" in s.text or "邀请码" in s.text, uid=uid)
        bound[surface] = re.search(r"您现在的身份是(\S+?)。", reply)[1]
        assert surfaces.services.usecases.people.channel_role("telegram", str(uid)) == "trainer"
    assert bound == {"cli": "培训者", "api": "培训者", "bot": "培训者"}
    spent = surfaces.chat(f"/bind {codes['api']}", lambda s: "邀请码" in s.text, uid=4599)
    assert "邀请码" in spent and surfaces.services.usecases.people.channel_role("telegram", "4599") == "teacher"

    cli = surfaces.cli("users", "list")
    api = surfaces.http("GET", "/v1/users", admin=True)
    assert cli == api
    roles = {u["name"]: u["role"] for u in api}
    assert roles[TEACHER] == "teacher" and roles["surface-admin"] == "admin"


# -- eval runs ------------------------------------------------------------------------------------------------

EVAL_KEYS = ("n", "recall@5", "must_include", "abstention_accuracy")


def _eval_shape(summary: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(round(float(summary.get(k) or 0), 3) for k in EVAL_KEYS)


def test_eval_runs(surfaces: Surfaces) -> None:
    """The same small dataset over the live knowledge base, started on each surface: the same figures, and
    every run listed as a job on each surface."""
    started = surfaces.request("POST", "/v1/evals", {"dataset": "small", "k": 5}, admin=True)
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    deadline = datetime.now(UTC) + timedelta(seconds=240)
    while (api := surfaces.http("GET", f"/v1/evals/{run_id}", admin=True))["status"] in ("queued", "running"):
        assert datetime.now(UTC) < deadline, api
        time.sleep(0.2)
    assert api["status"] == "done", api
    cli = json.loads(surfaces.cli_text("eval", "run", str(surfaces.datasets / "small.jsonl"), "--kb", "live",
                                       "--k", "5", "--out", str(surfaces.datasets / "cli-run")))
    bot = surfaces.chat("/eval small", lambda s: s.text.startswith("评测完成") or "评测未完成" in s.text,
                        uid=BOT_ADMIN)
    figures = re.search(r"评测完成：(\d+) 题，前 5 条含证据 ([\d.]+)，要点覆盖 ([\d.]+)，拒答准确率 ([\d.]+)", bot)
    assert figures, bot
    results = {"cli": _eval_shape(cli), "api": _eval_shape(api["summary"]),
               "bot": tuple(round(float(g), 3) for g in figures.groups())}
    assert results["api"][0] == 4
    assert results["cli"] == results["api"] == results["bot"]

    cli_jobs = surfaces.cli("jobs", "list")
    api_jobs = surfaces.http("GET", "/v1/jobs", admin=True)
    bot_jobs = surfaces.chat("/jobs", lambda s: "后台任务" in s.text, uid=BOT_ADMIN)
    # The bot, an admin's chat, names kinds and statuses in Chinese (评测 · 已完成), not eval · done.
    listed = {"cli": {(j["id"], job_kind_label(j["kind"]), status_label(j["status"])) for j in cli_jobs},
              "api": {(j["id"], job_kind_label(j["kind"]), status_label(j["status"])) for j in api_jobs},
              "bot": {(m[1], m[2], m[3]) for m in re.finditer(r"^(\S+) (\w+) \S+ · (\w+)", bot_jobs, re.M)}}
    assert sum(kind == "评测" and status == "已完成" for _, kind, status in listed["api"]) == 3
    assert listed["cli"] == listed["api"] == listed["bot"]


# -- resources ----------------------------------------------------------------------------------------------

RESOURCE = ("# 青溪镇暑期研修安排\n\n## 一、时间地点\n\n研修于七月十日至十五日在青溪镇实验学校举办，"
            "每天上午八点半开始。\n\n## 二、研修内容\n\n围绕大单元教学设计开展课例研讨，"
            "每位学员提交一份教学设计。\n")
RESOURCE_TITLE = "青溪镇研修安排"
SURFACE_NAMES = {"cli": "命令行", "api": "接口", "bot": "机器人"}


def _variant(surface: str) -> str:
    """The resource as one surface uploads it: the same outline, a day of its own (the same content twice is
    refused, which ``test_the_same_content_is_refused_alike`` checks)."""
    return RESOURCE.replace("十五日", {"cli": "十五日", "api": "十六日", "bot": "十七日", "again": "十八日"}[surface])


def _title(surface: str) -> str:
    """Each surface's upload under a title of its own: two live resources never share one."""
    return f"{RESOURCE_TITLE}（{SURFACE_NAMES[surface]}）"


def test_resources(surfaces: Surfaces, tmp_path: Path) -> None:
    """A file uploaded from each surface is chunked alike, outlined alike (every heading, in order), and the
    list reads the same everywhere."""
    path = tmp_path / "qingxi.md"
    path.write_text(_variant("cli"), encoding="utf-8")
    cli = surfaces.cli("resources", "upload", str(path), "--title", _title("cli"))
    resp = surfaces.request("POST", "/v1/resources", admin=True, data={"title": _title("api")},
                            files={"file": ("qingxi.md", _variant("api").encode(), "text/markdown")})
    assert resp.status_code == 201, resp.text
    api = resp.json()
    since = surfaces.bot.mark()
    surfaces.bot.document(BOT_ADMIN, "qingxi.md", _variant("bot").encode(), caption=_title("bot"))
    reply = surfaces.bot.reply(BOT_ADMIN, since, "资源编号").text
    bot_chunks = re.search(r"共 (\d+) 个文本块", reply)
    bot_id = re.search(r"res-[0-9a-f]{12}", reply)
    assert bot_chunks and bot_id, reply
    uploads = {"cli": (cli["chunks"], cli["status"], [h["heading"] for h in cli["outline"]]),
               "api": (api["chunks"], api["status"], [h["heading"] for h in api["outline"]]),
               "bot": (int(bot_chunks[1]), "ready", re.findall(r"^· (.+)$", reply, re.M))}
    assert (cli["title"], api["title"], f"《{_title('bot')}》" in reply) == (_title("cli"), _title("api"), True)
    assert uploads["api"][0] >= 1 and uploads["api"][1] == "ready"
    assert uploads["api"][2] == ["一、时间地点", "二、研修内容"]
    assert uploads["cli"] == uploads["api"] == uploads["bot"]

    ours = {cli["id"], api["id"], bot_id[0]}
    listed = _listed(surfaces)
    assert {r[0] for r in listed["api"]} == ours
    assert listed["cli"] == listed["api"] == listed["bot"]


# The bot names a status as every admin view does (status_label); read back, the name gives the stored value.
STATUS_KEYS = {label: status for status, label in STATUS_LABELS.items()}


def _listed(surfaces: Surfaces) -> dict[str, set[tuple[str, str, int, str]]]:
    return {
        "cli": {(r["id"], r["title"], r["chunks"], r["status"]) for r in surfaces.cli("resources", "list")},
        "api": {(r["id"], r["title"], r["chunks"], r["status"])
                for r in surfaces.http("GET", "/v1/resources", admin=True)},
        "bot": {(m[1], m[2], int(m[3]), STATUS_KEYS.get(m[4], m[4])) for m in re.finditer(
            r"^(\S+) 《(.+?)》 (\d+) 块 · (\S+)$", surfaces.chat("/resources", lambda s: "培训资源" in s.text,
                                                                 uid=BOT_ADMIN), re.M)},
    }


def test_the_same_content_is_refused_alike(surfaces: Surfaces, tmp_path: Path) -> None:
    """Uploading again what the command line uploaded: one refusal, in the same words on every surface,
    naming the resource that already holds it; nothing is added."""
    before = _listed(surfaces)
    path = tmp_path / "副本.md"
    path.write_text(_variant("cli"), encoding="utf-8")
    cli = surfaces.cli_refused("resources", "upload", str(path))
    resp = surfaces.request("POST", "/v1/resources", admin=True,
                            files={"file": ("副本.md", _variant("cli").encode(), "text/markdown")})
    assert resp.status_code == 409, resp.text
    since = surfaces.bot.mark()
    surfaces.bot.document(BOT_ADMIN, "副本.md", _variant("cli").encode())
    bot = surfaces.bot.reply(BOT_ADMIN, since, "内容相同").text
    refusals = {"cli": cli, "api": resp.json()["detail"], "bot": bot}
    assert refusals["cli"] == refusals["api"] == refusals["bot"]
    named = re.fullmatch(f"知识库中已有内容相同的资源《{_title('cli')}》（(res-[0-9a-f]{{12}})），不必重复上传；"
                         "如需更新请替换该资源", cli)
    assert named, cli
    holder = surfaces.http("GET", f"/v1/resources/{named[1]}/chunks", admin=True)
    assert any("十五日" in c["text"] for c in holder)  # the command line's upload
    assert _listed(surfaces) == before


def test_a_present_title_is_refused_alike(surfaces: Surfaces, tmp_path: Path) -> None:
    """New content under the command line's upload's title: one refusal, in the same words on every surface,
    naming the resource and how to replace it; nothing is added."""
    before = _listed(surfaces)
    path = tmp_path / "修订.md"
    path.write_text(_variant("again"), encoding="utf-8")
    cli = surfaces.cli_refused("resources", "upload", str(path), "--title", _title("cli"))
    resp = surfaces.request("POST", "/v1/resources", admin=True, data={"title": _title("cli")},
                            files={"file": ("修订.md", _variant("again").encode(), "text/markdown")})
    assert resp.status_code == 409, resp.text
    since = surfaces.bot.mark()
    surfaces.bot.document(BOT_ADMIN, "修订.md", _variant("again").encode(), caption=_title("cli"))
    bot = surfaces.bot.reply(BOT_ADMIN, since, "同名资源").text
    assert cli == resp.json()["detail"] == bot
    assert re.match(f"知识库中已有同名资源《{re.escape(_title('cli'))}》（res-[0-9a-f]{{12}}），", cli), cli
    assert _listed(surfaces) == before


def _replace_on_each(surfaces: Surfaces, ids: dict[str, str], name: str, texts: dict[str, str],
                     tmp_path: Path) -> tuple[dict, dict, str]:
    """Each surface replaces its own resource with its text: the CLI's and the API's JSON, the bot's reply."""
    path = tmp_path / name
    path.write_text(texts["cli"], encoding="utf-8")
    cli = surfaces.cli("resources", "replace", ids["cli"], str(path))
    resp = surfaces.request("PUT", f"/v1/resources/{ids['api']}", admin=True,
                            files={"file": (name, texts["api"].encode(), "text/markdown")})
    assert resp.status_code == 200, resp.text
    since = surfaces.bot.mark()
    surfaces.bot.document(BOT_ADMIN, name, texts["bot"].encode(), caption=f"/replace {ids['bot']}")
    return cli, resp.json(), surfaces.bot.reply(BOT_ADMIN, since, "已替换").text


def test_replace_alike(surfaces: Surfaces, tmp_path: Path) -> None:
    """Each surface replaces its own upload with a new day: version 2, the title kept, the same outline."""
    ids = {surface: next(r[0] for r in _listed(surfaces)["api"] if r[1] == _title(surface)) for surface in SURFACE_NAMES}
    newer = {surface: _variant(surface).replace("八点半", "九点") for surface in SURFACE_NAMES}
    cli, api, reply = _replace_on_each(surfaces, ids, "qingxi-v2.md", newer, tmp_path)
    shown = {"cli": (cli["title"], cli["version"], [h["heading"] for h in cli["outline"]]),
             "api": (api["title"], api["version"], [h["heading"] for h in api["outline"]]),
             "bot": (_title("bot") if f"《{_title('bot')}》（第 2 版）" in reply else reply, 2,
                     re.findall(r"^· (.+)$", reply, re.M))}
    assert {surface: shown[surface][0] for surface in shown} == {surface: _title(surface) for surface in shown}
    assert {(v, tuple(o)) for _, v, o in shown.values()} == {(2, ("一、时间地点", "二、研修内容"))}
    for surface, rid in ids.items():
        chunks = surfaces.http("GET", f"/v1/resources/{rid}/chunks", admin=True)
        assert any("九点" in c["text"] for c in chunks) and not any("八点半" in c["text"] for c in chunks), surface


MENU = ("# 青溪镇中心学校食堂一周菜谱\n\n## 周一\n\n早餐：豆浆、油条、鸡蛋；午餐：米饭、红烧豆腐、清炒白菜、紫菜蛋花汤。\n\n"
        "## 周二\n\n早餐：牛奶、包子；午餐：米饭、土豆炖牛肉、番茄炒蛋、冬瓜汤。\n")


def test_an_unrelated_replacement_is_warned_of_alike(surfaces: Surfaces, tmp_path: Path) -> None:
    """Each surface replaces its upload with the canteen menu by mistake: replaced (version 3), the typed title
    kept, and in the same words on every surface the title kept, what the file calls itself, and that the file
    looks like another document."""
    ids = {surface: next(r[0] for r in _listed(surfaces)["api"] if r[1] == _title(surface)) for surface in SURFACE_NAMES}
    menus = {surface: MENU.replace("红烧豆腐", dish) for surface, dish in
             (("cli", "红烧豆腐"), ("api", "麻婆豆腐"), ("bot", "家常豆腐"))}
    cli, api, reply = _replace_on_each(surfaces, ids, "菜谱.md", menus, tmp_path)
    said = {"cli": cli["notes"], "api": api["notes"],
            "bot": [line.removeprefix("⚠️ 注意：") for line in reply.splitlines() if line.startswith("⚠️ 注意：")]}
    for surface, notes in said.items():
        assert notes == [f"保留原标题《{_title(surface)}》；新文件自身的标题是《青溪镇中心学校食堂一周菜谱》，如需改用，"
                         "替换时请填写该标题。", notes[-1]], (surface, notes)
        assert re.fullmatch(f"新文件与原资源《{re.escape(_title(surface))}》内容差别很大（词语只有 \\d+% 相同），"
                            "请确认是否传错文件；如果传错了，用正确的文件再替换一次即可。", notes[-1]), (surface, notes)
    assert (cli["version"], api["version"], cli["title"]) == (3, 3, _title("cli"))


def test_grade_then_progress(surfaces: Surfaces) -> None:
    task = surfaces.http("POST", "/v1/quiz", {"topic": "培训经费", "limit": 6})["tasks"]
    served = next(t for t in task if t["type"] == "single_choice")
    full = surfaces.services.companion.task(served["id"])
    keep = ("correct", "score", "credits_awarded", "practice", "feedback", "answer")
    before = surfaces.http("GET", "/v1/me/progress")["attempts"]
    cli = surfaces.cli("grade", served["id"], full.keys[0], "--user", "cli-teacher")
    api = surfaces.http("POST", f"/v1/tasks/{served['id']}/answer", {"answer": full.keys[0]})
    assert api["correct"] is True and api["credits_awarded"] > 0
    assert {k: cli[k] for k in keep} == {k: api[k] for k in keep}
    after_cli = {k: surfaces.cli("progress", "--user", "cli-teacher")[k] for k in PROGRESS}
    after_api = {k: surfaces.http("GET", "/v1/me/progress")[k] for k in PROGRESS}
    assert after_cli == after_api and after_api["attempts"] == before + 1


def test_every_surface_counted_its_questions_alike(surfaces: Surfaces) -> None:
    """Usage is counted in the core, per channel: the three questions above, two of them not answered."""
    by_channel = surfaces.services.usage.summary(7)["by_channel"]
    assert {ch: (v.get("questions"), v.get("abstentions")) for ch, v in by_channel.items()} == {
        ch: (3, 2) for ch in ("cli", "api", "telegram")}
