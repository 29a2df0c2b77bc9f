"""The learning commands as a teacher runs them."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.db import Database
from assistant.records.exports import COHORT_HEADERS
from assistant.records.users import UserStore
from tests.assistant.learning.gift_reader import parse_gift

GUOPEI = [sys.executable, "-m", "channels.cli"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path_factory.mktemp("learning-cli"))}


def run(env, *args, stdin=None):
    return subprocess.run([*GUOPEI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300)


def stored_task(env, task_id: str) -> dict:
    from assistant.records import Records

    task = Records(Database(Path(env["GUOPEI_DATA_DIR"]) / "guopei.sqlite3")).tasks.get(task_id)
    assert task is not None
    return task


@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A data dir with a teacher (王老师) and an admin (张主任) account, the teacher having answered one task
    right with ``--as``, as in a trial at the machine."""
    data = tmp_path_factory.mktemp("accounts-cli")
    env = {**os.environ, "GUOPEI_DATA_DIR": str(data)}
    env.pop("GUOPEI_AS", None)
    users = UserStore(Database(data / "guopei.sqlite3"))
    users.add("王老师", "teacher")
    users.add("张主任", "admin")
    users.add("李培训", "trainer")
    served = run(env, "--as", "王老师", "quiz", "--topic", "经费保障", "--json")
    assert served.returncode == 0, served.stderr
    choice = next(t for t in json.loads(served.stdout)["tasks"] if t["type"] == "single_choice")
    key = stored_task(env, choice["id"])["answer"]
    graded = run(env, "--as", "王老师", "grade", choice["id"], key, "--json")
    assert graded.returncode == 0 and json.loads(graded.stdout)["correct"], graded.stderr
    return env


def registered(env) -> int:
    return json.loads(run(env, "stats", "--json").stdout)["usage"]["registered_teachers"]


def test_an_admin_reading_records_is_not_enrolled_and_exports_the_cohort(accounts):
    """``--as`` an admin, ``export csv`` is the cohort (as the operator's is), and neither it nor progress,
    balance or review adds the admin to the teachers in the statistics."""
    before = registered(accounts)
    cohort = run(accounts, "--as", "张主任", "export", "csv")
    assert cohort.returncode == 0, cohort.stderr
    lines = cohort.stdout.removeprefix("\ufeff").splitlines()
    assert lines[0] == ",".join(COHORT_HEADERS) and len(lines) == 2 and ",王老师," in lines[1]
    assert cohort.stdout == run(accounts, "export", "csv").stdout
    for command in ("progress", "balance", "review"):
        assert run(accounts, "--as", "张主任", command).returncode == 0
    assert registered(accounts) == before == 1


def test_user_names_an_account_for_staff_and_the_operator(accounts):
    """``--user 王老师`` is the 王老师 account's record: the operator and, with ``--as``, an admin or a trainer
    read its progress and records; a teacher id from the cohort export names the same teacher."""
    mine = json.loads(run(accounts, "--as", "王老师", "progress", "--json").stdout)
    assert mine["attempts"] == 1 and mine["credits"] > 0
    for who in ((), ("--as", "张主任"), ("--as", "李培训")):
        out = run(accounts, *who, "progress", "--user", "王老师", "--json")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout) == mine
        assert json.loads(run(accounts, *who, "balance", "--user", "王老师", "--json").stdout)["credits"] == mine["credits"]
    records = run(accounts, "--as", "张主任", "export", "csv", "--user", "王老师")
    assert records.returncode == 0, records.stderr
    lines = records.stdout.removeprefix("\ufeff").splitlines()
    assert lines[0].startswith("教师编号,姓名,发展阶段") and any(",王老师," in line and ",答题," in line for line in lines)
    teacher_id = lines[1].split(",")[0]
    by_id = run(accounts, "--as", "李培训", "progress", "--user", teacher_id, "--json")
    assert json.loads(by_id.stdout) == mine
    assert run(accounts, "--as", "李培训", "export", "csv", "--user", teacher_id).stdout == records.stdout
    missing = run(accounts, "--as", "张主任", "progress", "--user", "王老帅")
    assert missing.returncode == 2 and "未找到教师「王老帅」" in missing.stderr


def test_user_is_refused_to_a_teacher_and_for_studying_as_someone_else(accounts):
    """A teacher naming another user is refused in words that say who may use --user (before, the answer was
    silently credited to the teacher); staff may read but not answer for a teacher; nothing is recorded."""
    before = json.loads(run(accounts, "--as", "王老师", "progress", "--json").stdout)
    task = json.loads(run(accounts, "--as", "王老师", "quiz", "--topic", "经费保障", "--json").stdout)["tasks"][0]
    refused = run(accounts, "--as", "王老师", "grade", task["id"], "对", "--user", "李老师")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("「--user」只能由管理员或培训者使用")
    for command in (("progress",), ("export", "csv"), ("review",)):
        out = run(accounts, "--as", "王老师", *command, "--user", "张主任")
        assert out.returncode == 2 and "「--user」只能由管理员或培训者使用" in out.stderr
    staff = run(accounts, "--as", "张主任", "grade", task["id"], "对", "--user", "王老师")
    assert staff.returncode == 2 and "只能以本人身份进行" in staff.stderr
    assert json.loads(run(accounts, "--as", "王老师", "progress", "--user", "王老师", "--json").stdout) == before


def hinted(stdout: str) -> list[str]:
    """The grade commands a listing or a skipped task suggests, split as a shell would."""
    found = re.findall(r"(?:之后可用 |作答：)(guopei .+?)(?: 作答。|）)", stdout)
    assert found, stdout
    return [shlex.split(command) for command in found]


def run_hint(env, words: list[str], answer: str):
    assert words[0] == "guopei" and "答案" in words
    return run(env, *[answer if w == "答案" else w for w in words[1:]])


def test_a_skipped_task_suggests_a_grade_command_that_works_as_typed(accounts):
    """After 跳过, the suggested command grades the task for whoever skipped it: ``--as 王老师`` for the
    account, nothing extra for the operator's own learner, the ``--user`` label when one was given."""
    for prefix, user in ((("--as", "王老师"), None), ((), None), ((), "wu")):
        labels = ("--user", user) if user else ()
        out = run(accounts, *prefix, "quiz", "--topic", "经费保障", "--limit", "1", *labels, stdin="跳过\n")
        assert out.returncode == 0, out.stderr
        [words] = hinted(out.stdout)
        assert words[:len(prefix) + 2] == ["guopei", *prefix, "grade"]
        assert "local" not in words and (("--user" in words) == bool(user))
        key = stored_task(accounts, words[words.index("grade") + 1])["answer"]
        graded = run_hint(accounts, words, key)
        assert graded.returncode == 0, graded.stderr
        assert "正确" in graded.stdout


def test_next_lists_tasks_with_a_grade_command_for_the_account(accounts):
    assert run(accounts, "--as", "王老师", "plan", "--weeks", "1").returncode == 0
    out = run(accounts, "--as", "王老师", "next")
    assert out.returncode == 0, out.stderr
    for words in hinted(out.stdout):
        assert words[:4] == ["guopei", "--as", "王老师", "grade"] and "--user" not in words
    first = hinted(out.stdout)[0]
    graded = run_hint(accounts, first, stored_task(accounts, first[4])["answer"])
    assert graded.returncode == 0, graded.stderr


def test_staff_see_a_teachers_due_reviews_without_a_grade_command_they_could_not_run(accounts):
    """Reviews due for 王老师: he is told how to answer them; an admin reading them is not offered a command
    that would be refused (staff do not answer for a teacher)."""
    from datetime import UTC, datetime, timedelta

    from assistant.records import Records

    db = Database(Path(accounts["GUOPEI_DATA_DIR"]) / "guopei.sqlite3")
    user = UserStore(db).by_name("王老师")
    records = Records(db)
    teacher = records.teachers.find_by_channel("api", str(user.id))
    task_id = records.attempts.attempts(teacher.id)[0]["task_id"]
    records.reviews.record(teacher.id, task_id, False, now=datetime.now(UTC) - timedelta(days=3))
    own = run(accounts, "--as", "王老师", "review")
    assert own.returncode == 0, own.stderr
    assert f"（作答：guopei --as 王老师 grade {task_id} 答案）" in own.stdout
    staff = run(accounts, "--as", "张主任", "review", "--user", "王老师")
    assert staff.returncode == 0, staff.stderr
    assert "有 1 道错题到了复习时间" in staff.stdout and "作答：" not in staff.stdout
    operator = run(accounts, "review", "--user", "王老师")
    assert f"（作答：guopei grade {task_id} 答案 --user 王老师）" in operator.stdout


def test_review_right_after_a_wrong_answer_says_how_many_are_scheduled_and_when(accounts):
    """A wrong answer's review is due the next day: asked for review at once, the command line says how many
    are scheduled and when the first is due (text and --json), not only that nothing is due."""
    from datetime import UTC, datetime, timedelta

    from assistant.records.teachers import local_date

    UserStore(Database(Path(accounts["GUOPEI_DATA_DIR"]) / "guopei.sqlite3")).add("赵老师", "teacher")
    nothing = run(accounts, "--as", "赵老师", "review")
    assert nothing.returncode == 0, nothing.stderr
    assert nothing.stdout.strip() == "目前没有需要复习的错题，也没有已安排的复习：答错的题会从第二天起安排复习。"
    served = run(accounts, "--as", "赵老师", "quiz", "--topic", "经费保障", "--json")
    assert served.returncode == 0, served.stderr
    choice = next(t for t in json.loads(served.stdout)["tasks"] if t["type"] == "single_choice")
    wrong = next(o for o in choice["options"] if o != stored_task(accounts, choice["id"])["answer"])
    graded = run(accounts, "--as", "赵老师", "grade", choice["id"], wrong, "--json")
    assert graded.returncode == 0 and not json.loads(graded.stdout)["correct"], graded.stderr

    today = local_date(datetime.now(UTC))
    tomorrow = today + timedelta(days=1)
    day = f"{'' if tomorrow.year == today.year else f'{tomorrow.year}年'}{tomorrow.month}月{tomorrow.day}日"
    text = run(accounts, "--as", "赵老师", "review")
    assert text.returncode == 0, text.stderr
    assert text.stdout.strip() == f"现在没有到期的复习题；已安排 1 道，最早一道 {day} 到期。"
    out = json.loads(run(accounts, "--as", "赵老师", "review", "--json").stdout)
    assert (out["due"], out["tasks"], out["upcoming"], out["next_due"]) == (0, [], 1, tomorrow.isoformat())
    assert out["message"] == text.stdout.strip()


def test_the_grade_command_quotes_only_what_a_shell_would_split() -> None:
    from channels.cli import identity
    from channels.cli.learning import grade_command

    try:
        identity.choose("王 老师")
        assert grade_command("1c8d3068fe1a6d7a", None) == "guopei --as '王 老师' grade 1c8d3068fe1a6d7a 答案"
        identity.choose(None)
        assert grade_command("1c8d3068fe1a6d7a", None) == "guopei grade 1c8d3068fe1a6d7a 答案"
        assert grade_command("1c8d3068fe1a6d7a", "李老师") == "guopei grade 1c8d3068fe1a6d7a 答案 --user 李老师"
    finally:
        identity.choose(None)


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


def test_a_question_the_documents_leave_open_is_quizzed_on_the_related_text(env):
    """Not 「没有找到相关内容」 when related text was cited: tasks on it, and why they are not on the question."""
    out = run(env, "quiz", "--question", "学分银行里的学分能保存几年？", "--user", "qian", "--json")
    assert out.returncode == 0, out.stderr
    body = json.loads(out.stdout)
    assert body["tasks"] and body["message"].startswith("文件没有写明") and "相关原文" in body["message"]
    shown = run(env, "quiz", "--question", "学分银行里的学分能保存几年？", "--user", "qian", stdin="结束\n").stdout
    assert shown.startswith(body["message"] + "\n") and "第 1 题" in shown and "没有找到" not in shown
    none = run(env, "quiz", "--question", "红烧肉怎么做才不腻？", "--user", "qian")
    assert none.returncode == 0 and none.stdout == "知识库中没有找到与之相关的内容，暂时无法出题。\n"


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


def test_plan_topics_are_picked_by_the_number_or_title_shown(env):
    """The listing numbers its topics and leaves out the preamble; --pick takes a listed number or words of a
    title; a word that matches nothing or several topics is refused with the choices listed."""
    shown = run(env, "plan", "--user", "zhang")
    assert shown.returncode == 0, shown.stderr
    assert "前言" not in shown.stdout and "--topics" in shown.stdout
    # Each day names its document as well as the section (a section path alone does not say which document).
    assert re.search(r"^  \d{4}-\d\d-\d\d [·✔] \[\d+\] 《关于实施中小学幼儿园教师国家级培训计划的通知》一、基本思路",
                     shown.stdout, re.M)
    picked = run(env, "plan", "--user", "zhang", "--pick", "经费")
    assert picked.returncode == 0, picked.stderr
    first = picked.stdout.splitlines()[1]
    assert first.endswith("三、保障措施 > （二）强化经费保障")
    number = re.search(r"\[(\d+)\]", first)[1]
    listed = run(env, "plan", "--user", "zhang", "--topics").stdout
    assert f"  {number}. 三、保障措施 > （二）强化经费保障（优先）" in listed.splitlines()
    dropped = run(env, "plan", "--user", "zhang", "--drop", number, "--json")
    assert dropped.returncode == 0, dropped.stderr
    assert json.loads(dropped.stdout)["dropped"] == ["jiaoshihan-2021-4#三、保障措施 > （二）强化经费保障"]
    none = run(env, "plan", "--user", "zhang", "--pick", "火箭")
    assert none.returncode == 2 and "计划中没有主题“火箭”" in none.stderr and "1. 一、基本思路" in none.stderr
    several = run(env, "plan", "--user", "zhang", "--pick", "重点工作")
    assert several.returncode == 2 and "个主题都含“重点工作”" in several.stderr
    assert "保障措施" not in several.stderr  # only the topics that match are listed
