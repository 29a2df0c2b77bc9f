"""``guopei users`` and ``guopei jobs`` as an operator runs them: exit codes, no tracebacks, tokens shown once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import typer
from typer.testing import CliRunner

from assistant.db import Database
from assistant.records import Records
from assistant.records.resources import ResourceRows
from assistant.records.usage import UsageStats
from assistant.records.users import UserStore
from channels.cli import admin
from evals.runner import SEED_PATH

GUOPEI = [sys.executable, "-m", "channels.cli"]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GUOPEI, *args], env=env, capture_output=True, text=True, timeout=120)


def test_users_add_list_revoke(tmp_path: Path) -> None:
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path)}
    added = run(env, "users", "add", "王老师", "--role", "trainer")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    store = UserStore(Database(tmp_path / "guopei.sqlite3"))
    assert store.authenticate(token).name == "王老师"
    again = run(env, "users", "add", "王老师", "--role", "trainer")
    assert again.returncode == 2 and "已存在" in again.stderr and "Traceback" not in again.stderr
    spaced = run(env, "users", "add", "王 老师", "--role", "teacher")
    assert spaced.returncode == 2 and spaced.stderr.startswith("用户“王 老师”与已有的“王老师”只差空格或全角、半角")
    bad = run(env, "users", "add", "李老师", "--role", "boss")
    assert bad.returncode == 2 and "角色“boss”无效" in bad.stderr
    assert "已创建用户 王老师（培训者）" in added.stderr
    listed = run(env, "users", "list")
    # the role and time as the console's people page shows them, not the stored trainer and UTC stamp
    assert "王老师\t培训者\t" in listed.stdout and token not in listed.stdout
    assert "trainer" not in listed.stdout and "T" not in listed.stdout.split("\t")[3]
    assert run(env, "users", "revoke", "王老师").returncode == 0
    assert store.authenticate(token) is None
    missing = run(env, "users", "revoke", "无此人")
    assert missing.returncode == 2 and "找不到用户" in missing.stderr


def test_users_add_and_reissue_print_json_with_the_token_once(tmp_path: Path) -> None:
    """``--json`` on creating and reissuing, as on ``users list``: the account as listed, plus its token."""
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path)}
    env.pop("GUOPEI_AS", None)
    added = run(env, "users", "add", "赵老师", "--role", "trainer", "--json")
    assert (added.returncode, added.stderr) == (0, ""), added.stderr
    user = json.loads(added.stdout)
    listed = json.loads(run(env, "users", "list", "--json").stdout)
    assert {k: v for k, v in user.items() if k != "token"} == next(u for u in listed if u["name"] == "赵老师")
    store = UserStore(Database(tmp_path / "guopei.sqlite3"))
    assert store.authenticate(user["token"]).role == "trainer"
    reissued = json.loads(run(env, "users", "reissue", "赵老师", "--role", "admin", "--json").stdout)
    assert (reissued["name"], reissued["role"]) == ("赵老师", "admin") and reissued["token"] != user["token"]
    assert store.authenticate(user["token"]) is None and store.authenticate(reissued["token"]).role == "admin"


def test_stats_name_each_surface_in_chinese_the_web_console_included(tmp_path: Path) -> None:
    """Questions counted under web (the console), api, telegram and cli read as the surfaces' Chinese names."""
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path)}
    env.pop("GUOPEI_AS", None)
    usage = UsageStats(Database(tmp_path / "guopei.sqlite3"))
    for channel, via in (("api", "web"), ("api", "web"), ("api", None), ("telegram", None), ("cli", None)):
        usage.question(channel, "1", False, via=via)
    out = run(env, "stats")
    assert out.returncode == 0, out.stderr
    line = next(line for line in out.stdout.splitlines() if line.startswith("按渠道："))
    assert sorted(line.removeprefix("按渠道：").split("，")) == sorted(
        ["网页控制台 2 次", "HTTP API 1 次", "Telegram 机器人 1 次", "命令行 1 次"])


def test_every_command_group_is_registered_and_a_job_can_be_listed_and_cancelled(tmp_path: Path) -> None:
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path)}
    top = run(env, "--help").stdout
    assert all(name in top for name in ("serve", "bot", "users", "jobs", "eval", "quiz", "index"))
    assert run(env, "jobs", "list").returncode == 0
    unknown = run(env, "jobs", "cancel", "job-000000000000")
    assert unknown.returncode == 2 and "找不到任务" in unknown.stderr and "Traceback" not in unknown.stderr


def test_jobs_list_reads_as_the_bot_and_the_console_word_jobs() -> None:
    """A job row names its kind and state in Chinese (建索引, 失败) with the reason, and its progress only
    while it runs; the stored identifiers (index, failed) are for --json."""
    failed = {"id": "job-1", "kind": "index", "target": "res-1", "status": "failed", "progress": 0.05,
              "stage": "失败", "error": "文件「a.txt」没有可提取的文字"}
    running = {**failed, "id": "job-2", "kind": "eval", "status": "running", "progress": 0.4, "stage": "评测中",
               "error": None}
    assert admin.job_line(failed) == "job-1\t建索引\tres-1\t失败\t文件「a.txt」没有可提取的文字"
    assert admin.job_line(running) == "job-2\t评测\tres-1\t进行中\t40%\t评测中"
    warned = {**running, "status": "done", "stage": "完成。新文件与原资源《甲》内容差别很大"}  # a replacement's last word
    assert admin.job_line(warned) == "job-2\t评测\tres-1\t已完成\t新文件与原资源《甲》内容差别很大"


def test_eval_run_says_where_it_wrote_in_chinese(tmp_path: Path) -> None:
    """The figures on stdout, then one Chinese line on stderr naming the run directory and its report."""
    out = tmp_path / "run"

    class Evals:
        def start_eval(self, actor: Any, spec: Any, *, out_dir: Path | None, wait: bool) -> dict[str, Any]:
            return {"status": "done", "summary": {"n": 4, "recall@5": 1.0, "dataset": "seed"}, "out_dir": str(out)}

    app = typer.Typer()
    admin.register(app, lambda: SimpleNamespace(usecases=SimpleNamespace(admin=Evals())))  # type: ignore[arg-type,return-value]
    result = CliRunner().invoke(app, ["eval", "run", str(tmp_path / "seed.jsonl")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"n": 4, "recall@5": 1.0}
    assert result.stderr.splitlines() == [f"结果已写入 {out}（报告：{out / 'report.html'}）"]


def test_eval_run_takes_a_dataset_name_and_an_account_runs_on_the_live_knowledge_base(tmp_path: Path) -> None:
    """``guopei eval run NAME`` runs the dataset of that name. ``--as`` an admin, the live knowledge base (the
    only one an account may use) is the default, so ``--as 赵管理 eval run seed`` runs as it is; asking for an
    eval knowledge base is refused with what to change (not as a "remote" run)."""
    datasets = tmp_path / "datasets"
    datasets.mkdir()
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()[:2]
    (datasets / "small.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path / "data"), "GUOPEI_EVAL_DATASETS_DIR": str(datasets)}
    env.pop("GUOPEI_AS", None)
    UserStore(Database(tmp_path / "data" / "guopei.sqlite3")).add("张主任", "admin")

    missing = run(env, "eval", "run", "smal")
    assert missing.returncode == 2 and "找不到评测集：smal（既不是文件，也不是评测数据集目录中的名称" in missing.stderr
    assert "small" in missing.stderr
    refused = run(env, "--as", "张主任", "eval", "run", "small", "--kb", "declared")
    assert refused.returncode == 2 and "远程" not in refused.stderr
    assert "去掉 --kb 或改为 --kb live" in refused.stderr and "不加 --as" in refused.stderr
    for who, kb in (((), ("--kb", "live")), (("--as", "张主任"), ())):
        done = run(env, *who, "eval", "run", "small", *kb, "--out", str(tmp_path / "-".join(who or ("op",))))
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["n"] == 2  # an account's run on anything but live is refused (above)


def test_comments_newest_week_first_for_an_admin_own_uploads_for_a_trainer_refused_to_a_teacher(
        tmp_path: Path) -> None:
    """``guopei comments``: the core's page of comments, one line each (week, rating, channel kind, what was
    rated, the comment), as JSON with ``--json``; ``--as`` a trainer only the comments on their uploads."""
    from datetime import UTC, datetime

    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path)}
    env.pop("GUOPEI_AS", None)
    db = Database(tmp_path / "guopei.sqlite3")
    users = UserStore(db)
    trainer = users.add("李培训", "trainer")[0]
    users.add("王老师", "teacher")
    ResourceRows(db).insert("res-3f2a9c0d1e2b", title="青溪镇暑期研修班安排", kind="resource", subject="", stage="",
                            tags=(), filename="a.txt", uploader_id=trainer.id)
    feedback = Records(db).feedback
    feedback.submit("resource", "res-3f2a9c0d1e2b", 2, "报名方式没写清楚", channel_kind="telegram",
                    now=datetime(2026, 3, 3, tzinfo=UTC))
    feedback.submit("training", "骨干教师研修班", 5, "很有收获", channel_kind="web",
                    now=datetime(2026, 11, 26, tzinfo=UTC))

    out = run(env, "comments")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "匿名评语共 2 条，最新的周在前：",
        "2026 年第 48 周 · 5 分 · 网页控制台 · 培训项目 骨干教师研修班：很有收获",
        # the resource was never indexed here, so the knowledge base has no title for it to show
        "2026 年第 10 周 · 2 分 · Telegram 机器人 · 培训资源 res-3f2a9c0d1e2b：报名方式没写清楚",
    ]
    page = json.loads(run(env, "comments", "--limit", "1", "--offset", "1", "--json").stdout)
    assert (page["total"], page["scope"]) == (2, "all")
    assert [c["comment"] for c in page["comments"]] == ["报名方式没写清楚"]
    own = run(env, "--as", "李培训", "comments")
    assert own.stdout.splitlines()[0] == "对你上传的资源的匿名评语共 1 条，最新的周在前："
    assert "很有收获" not in own.stdout
    refused = run(env, "--as", "王老师", "comments")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.strip() == "权限不足：该操作仅限培训者、管理员，当前身份为教师"
    bad = run(env, "comments", "--limit", "0")
    assert bad.returncode == 2 and "条数必须是 1 到 100 之间的整数" in bad.stderr
    for option, value, said in (("--limit", "101", "条数必须是 1 到 100 之间的整数，收到：101"),
                                ("--offset", "-1", "起始位置必须是不小于 0 的整数，收到：-1")):
        bad = run(env, "comments", option, value)
        assert (bad.returncode, bad.stdout, bad.stderr.strip()) == (2, "", said)  # the API's 422 says the same
