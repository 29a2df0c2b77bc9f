"""The learning commands as a teacher runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.assistant.learning.gift_reader import parse_gift

GUOPEI = [sys.executable, "-m", "channels.cli"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path_factory.mktemp("learning-cli"))}


def run(env, *args, stdin=None):
    return subprocess.run([*GUOPEI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300)


def stored_task(env, task_id: str) -> dict:
    from assistant.db import Database
    from assistant.records import Records

    task = Records(Database(Path(env["GUOPEI_DATA_DIR"]) / "guopei.sqlite3")).tasks.get(task_id)
    assert task is not None
    return task


def test_quiz_json_then_grade_then_progress(env):
    out = run(env, "quiz", "--question", "学校每年要拿出多少经费用于教师培训？", "--json", "--user", "zhang")
    assert out.returncode == 0, out.stderr
    tasks = json.loads(out.stdout)["tasks"]
    choice = next(t for t in tasks if t["type"] == "single_choice")
    # Served to a teacher: no key, no source text, no rubric until graded.
    assert set(choice) == {"id", "type", "prompt", "options", "source", "topic"}
    assert set(choice["source"]) == {"chunk_id", "doc_id", "title", "section", "doc_number"}
    key = stored_task(env, choice["id"])
    letter = "ABCD"[choice["options"].index(key["answer"])]
    graded = json.loads(run(env, "grade", choice["id"], letter, "--user", "zhang", "--json").stdout)
    assert graded["correct"] is True and graded["credits_awarded"] > 0 and graded["practice"] is False
    assert set(graded) == {"correct", "score", "feedback", "practice", "credits_awarded", "balance", "answer",
                           "rubric", "source"}
    assert "原文" in graded["feedback"] and graded["answer"] == key["answer"]
    assert graded["answer"] in graded["source"]["text"]
    again = json.loads(run(env, "grade", choice["id"], letter, "--user", "zhang", "--json").stdout)
    assert again["practice"] is True and again["credits_awarded"] == 0
    progress = json.loads(run(env, "progress", "--user", "zhang", "--json").stdout)
    assert progress["attempts"] == 2 and progress["credits"] == graded["balance"]
    assert (progress["practice"], progress["answered"], progress["correct"], progress["accuracy"]) == (1, 1, 1, 1.0)
    shown = run(env, "progress", "--user", "zhang").stdout
    assert "已作答 1 题，答对 1 题（正确率 100%，不含练习）；共作答 2 次，其中练习 1 次。" in shown
    junk = run(env, "grade", choice["id"], "不知道", "--user", "zhang", "--json")
    assert junk.returncode == 2 and "选项字母" in junk.stderr
    # A mistyped learner name is refused, not made into a new learner who silently collects the credit.
    typo = run(env, "grade", choice["id"], letter, "--user", "zhnag", "--json")
    assert typo.returncode == 2 and "未找到用户「zhnag」" in typo.stderr
    assert run(env, "progress", "--user", "zhnag").returncode == 2


def test_interactive_quiz_reads_answers(env):
    """A reply too short to be an answer gets a hint and the same task again; the rubric is never shown."""
    answer = "我校将每学期组织一次学分认定培训，让老师们了解学分银行的做法，期末通过问卷检验效果。"
    out = run(env, "quiz", "--topic", "学分银行", "--user", "li", "--limit", "2",
              stdin=f"A\n我会落实。\n{answer}\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("你的答案>") == 3 and "太简短" in out.stdout and "累计" in out.stdout
    assert "要点：" not in out.stdout


def test_a_task_can_be_skipped_and_the_quiz_ended(env):
    """A teacher stuck on a task skips it (nothing recorded, it stays open for credit) or ends the quiz."""
    out = run(env, "quiz", "--topic", "学分银行", "--user", "wu", "--limit", "3", stdin="跳过\n结束\nA\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("你的答案>") == 2 and "已跳过" in out.stdout and "guopei grade" in out.stdout
    progress = json.loads(run(env, "progress", "--user", "wu", "--json").stdout)
    assert progress["attempts"] == 0


def test_unknown_user_progress_is_refused(env):
    out = run(env, "progress", "--user", "nobody")
    assert out.returncode == 2 and "未找到用户" in out.stderr


def test_plan_and_exports(env, tmp_path: Path):
    plan = run(env, "plan", "--user", "zhang", "--stage", "骨干", "--weeks", "1", "--json")
    assert plan.returncode == 0, plan.stderr
    assert len(json.loads(plan.stdout)["items"]) == 7
    bad = run(env, "plan", "--user", "zhang", "--stage", "不存在")
    assert bad.returncode == 2
    bad = run(env, "plan", "--user", "zhang", "--subject", "火箭科学")
    assert bad.returncode == 2 and "任教学科“火箭科学”无效" in bad.stderr and "道德与法治" in bad.stderr
    gift = tmp_path / "bank.gift"
    assert run(env, "export", "gift", "--topic", "经费保障", "--out", str(gift)).returncode == 0
    assert parse_gift(gift.read_text(encoding="utf-8"))
    csv_out = run(env, "export", "csv", "--user", "zhang")
    assert csv_out.returncode == 0 and csv_out.stdout.startswith("\ufeff")


def test_an_over_long_answer_is_refused_and_not_recorded_as_on_the_api(env):
    """The API refused it with 422 while the command line recorded it and locked the task."""
    tasks = json.loads(run(env, "quiz", "--topic", "学分银行", "--json", "--user", "long").stdout)["tasks"]
    task = next(t for t in tasks if t["type"] == "reflection")
    out = run(env, "grade", task["id"], "我校" * 6000, "--user", "long")
    assert out.returncode == 2 and out.stderr.strip() == "作答过长：最多 4000 个字（本次 12000 个字），请精简后再提交。"
    assert json.loads(run(env, "progress", "--user", "long", "--json").stdout)["attempts"] == 0


def test_an_open_task_rewritten_after_a_weak_answer_earns_the_credit(env):
    """Same rule as the API: a reflection that does not pass is not locked; the passing rewrite is credited."""
    tasks = json.loads(run(env, "quiz", "--topic", "学分银行", "--json", "--user", "redo").stdout)["tasks"]
    task = next(t for t in tasks if t["type"] == "reflection")
    weak = json.loads(run(env, "grade", task["id"], "这条要求很重要，我们应该认真学习领会，努力做好相关工作，争取在今后的工作中"
                                                    "取得更好的成绩。", "--user", "redo", "--json").stdout)
    assert not weak["correct"] and not weak["practice"] and "通过即可获得本题的学时学分" in weak["feedback"]
    term = stored_task(env, task["id"])["rubric"][0].split("“")[1].split("”")[0]
    rewrite = (f"我校青年教师多，对{term}的理解还不够。本学期我打算在教研组每月组织一次专题研讨，请骨干教师上示范课，"
               "期末通过学生评价和听课反馈检验效果。")
    passed = json.loads(run(env, "grade", task["id"], rewrite, "--user", "redo", "--json").stdout)
    assert passed["correct"] and not passed["practice"] and passed["credits_awarded"] > 0, passed["feedback"]
