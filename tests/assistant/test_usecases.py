"""The same action behaves the same on every surface: each use case run through the CLI, the HTTP API and the
Telegram bot over one database and one knowledge base, with the results compared.

Each surface is driven the way a person drives it (a ``guopei`` subprocess, HTTP requests to a real server,
messages through the stand-in Bot API) and its output is read back into the same plain shape: for the bot
that means reading the text a teacher sees. A surface that does not offer a use case is left out of its
parameters (the bot has no hit testing and grades only tasks it served itself).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from assistant.service import Assistant
from assistant.services import Services
from assistant.settings import Settings
from channels.api.app import create_app
from tests.bots.telegram.conftest import TOKEN, BotRunner
from tests.bots.telegram.fake_bot_api import FakeBotApi, running
from tests.channels.api.conftest import serve
from tests.conftest import unique_name

pytestmark = pytest.mark.slow
GUOPEI = [sys.executable, "-m", "channels.cli"]
BOT_USER = 4242


@dataclass
class Surfaces:
    services: Services
    api_base: str
    token: str
    bot: FakeBotApi
    env: dict[str, str]

    def cli(self, *args: str) -> Any:
        out = subprocess.run([*GUOPEI, *args, "--json"], env=self.env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    def http(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        with httpx.Client(base_url=self.api_base, headers={"Authorization": f"Bearer {self.token}"},
                          timeout=60) as client:
            resp = client.request(method, path, json=body)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def chat(self, text: str, done: Callable[[Any], bool]) -> str:
        """Send ``text`` as the bot user; the text of every reply up to the one ``done`` accepts."""
        since = self.bot.mark()
        self.bot.message(BOT_USER, text)
        last = self.bot.wait_for(lambda s: s.method == "sendMessage" and s.chat_id == BOT_USER and done(s), since)
        return "\n\n".join(s.text for s in self.bot.sent[since:]
                           if s.method == "sendMessage" and s.chat_id == BOT_USER and s.message_id <= last.message_id)


@pytest.fixture(scope="module")
def surfaces(tmp_path_factory: pytest.TempPathFactory, chroma_server_url: str) -> Iterator[Surfaces]:
    data = tmp_path_factory.mktemp("surfaces")
    collection = unique_name("surfaces")
    with running(TOKEN) as bot_api:
        settings = Settings(data_dir=data, chroma_url=chroma_server_url, knowledge_base=collection,
                            ask_rate_per_minute=100_000, telegram_token=TOKEN,
                            telegram_api_base_url=bot_api.base_url)
        assistant = Assistant.from_settings(settings)
        assistant.ensure_indexed()
        services = Services.from_settings(settings, assistant=assistant)
        token = services.users.add("surface-teacher", "teacher")[1]
        env = {**os.environ, "GUOPEI_DATA_DIR": str(data), "GUOPEI_CHROMA_URL": chroma_server_url,
               "GUOPEI_KNOWLEDGE_BASE": collection}
        bot = BotRunner(settings, assistant).start()
        try:
            with serve(create_app(services)) as base:
                yield Surfaces(services, base, token, bot_api, env)
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
        else "not_found"
    body = text.removeprefix("ℹ️ 文件未作规定\n")
    answer = re.split(r"\n\n(?:来源|相关原文（仅供参考）)\n\n", body)[0]
    return {"verdict": verdict, "answer": answer,
            "sources": [line for line in text.splitlines() if re.match(r"^\[\d+\] 《", line)]}


def plan_shape(plan: dict[str, Any]) -> dict[str, Any]:
    upcoming = [i for i in plan["items"] if not i["done"]][:7]
    return {"weeks": plan["weeks"], "start": plan["start"], "done": len(plan["items"]) - len(
        [i for i in plan["items"] if not i["done"]]), "total": len(plan["items"]),
        "upcoming": [(i["date"], i["week"], i["section"]) for i in upcoming]}


def bot_plan_shape(text: str) -> dict[str, Any]:
    head = re.search(r"（(\d+) 周，从 (\S+) 开始，已完成 (\d+)/(\d+)）", text)
    assert head, text
    upcoming = [(m[1], int(m[2]), m[3]) for m in re.finditer(r"^(\S+) 第 (\d+) 周 · (.+)$", text, re.M)]
    return {"weeks": int(head[1]), "start": head[2], "done": int(head[3]), "total": int(head[4]),
            "upcoming": upcoming}


PROGRESS = ("hours", "credits", "attempts", "correct", "streak_days", "due_reviews")


def bot_progress_shape(text: str) -> dict[str, Any]:
    m = re.search(r"累计：([\d.]+) 学时，([\d.]+) 学分\n作答 (\d+) 次，正确 (\d+) 次.*\n连续学习 (\d+) 天；待复习 (\d+) 题",
                  text)
    assert m, text
    return dict(zip(PROGRESS, (float(m[1]), float(m[2]), *(int(g) for g in m.groups()[2:])), strict=True))


# -- the use cases ----------------------------------------------------------------------------------------

QUESTIONS = {
    "answered": "学校每年要拿出多少经费用于教师培训？",
    "not_specified": "国培的培训补贴每人每天多少钱？",
    "not_found": "红烧肉怎么做才不腻？",
}


@pytest.mark.parametrize("verdict", sorted(QUESTIONS))
def test_ask(surfaces: Surfaces, verdict: str) -> None:
    question = QUESTIONS[verdict]
    results = {
        "cli": answer_shape(surfaces.cli("ask", question)),
        "api": answer_shape(surfaces.http("POST", "/v1/ask", {"question": question})),
        "bot": bot_answer_shape(surfaces.chat(question, lambda s: bool(s.buttons()))),
    }
    assert results["api"]["verdict"] == verdict
    assert results["cli"] == results["api"] == results["bot"]


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


def test_grade_then_progress(surfaces: Surfaces) -> None:
    task = surfaces.http("POST", "/v1/quiz", {"topic": "培训经费", "limit": 6})["tasks"]
    served = next(t for t in task if t["type"] == "single_choice")
    full = surfaces.services.companion.task(served["id"])
    keep = ("correct", "score", "credits_awarded", "practice", "feedback", "answer")
    cli = surfaces.cli("grade", served["id"], full.keys[0], "--user", "cli-teacher")
    api = surfaces.http("POST", f"/v1/tasks/{served['id']}/answer", {"answer": full.keys[0]})
    assert api["correct"] is True and api["credits_awarded"] > 0
    assert {k: cli[k] for k in keep} == {k: api[k] for k in keep}
    after_cli = {k: surfaces.cli("progress", "--user", "cli-teacher")[k] for k in PROGRESS}
    after_api = {k: surfaces.http("GET", "/v1/me/progress")[k] for k in PROGRESS}
    assert after_cli == after_api and after_api["attempts"] == 1


def test_every_surface_counted_its_questions_alike(surfaces: Surfaces) -> None:
    """Usage is counted in the core, per channel: the three questions above, two of them not answered."""
    by_channel = surfaces.services.usage.summary(7)["by_channel"]
    assert {ch: (v.get("questions"), v.get("abstentions")) for ch, v in by_channel.items()} == {
        ch: (3, 2) for ch in ("cli", "api", "telegram")}
