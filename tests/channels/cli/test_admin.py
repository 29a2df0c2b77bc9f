"""``guopei users`` and ``guopei jobs`` as an operator runs them: exit codes, no tracebacks, tokens shown once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from assistant.db import Database
from assistant.records.users import UserStore

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
    bad = run(env, "users", "add", "李老师", "--role", "boss")
    assert bad.returncode == 2 and "角色“boss”无效" in bad.stderr
    listed = run(env, "users", "list")
    assert "王老师\ttrainer" in listed.stdout and token not in listed.stdout
    assert run(env, "users", "revoke", "王老师").returncode == 0
    assert store.authenticate(token) is None
    missing = run(env, "users", "revoke", "无此人")
    assert missing.returncode == 2 and "找不到用户" in missing.stderr


def test_every_command_group_is_registered_and_a_job_can_be_listed_and_cancelled(tmp_path: Path) -> None:
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path)}
    top = run(env, "--help").stdout
    assert all(name in top for name in ("serve", "bot", "users", "jobs", "eval", "quiz", "index"))
    assert run(env, "jobs", "list").returncode == 0
    unknown = run(env, "jobs", "cancel", "job-000000000000")
    assert unknown.returncode == 2 and "找不到任务" in unknown.stderr and "Traceback" not in unknown.stderr
