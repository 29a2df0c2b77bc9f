"""``guopei --as NAME``: a real account's role at the command line, refused in the core's own words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from assistant.db import Database
from assistant.records.roles import ChannelRoleStore
from assistant.records.users import UserStore

GUOPEI = [sys.executable, "-m", "channels.cli"]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GUOPEI, *args], env=env, capture_output=True, text=True, timeout=120)


def test_as_names_an_account_with_its_role(tmp_path: Path) -> None:
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path)}
    env.pop("GUOPEI_AS", None)
    users = UserStore(Database(tmp_path / "guopei.sqlite3"))
    users.add("王老师", "teacher")
    users.add("管理员甲", "admin")

    refused = run(env, "--as", "王老师", "invite", "trainer")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.strip() == "权限不足：该操作仅限管理员，当前身份为教师"

    granted = run({**env, "GUOPEI_AS": "管理员甲"}, "invite", "trainer")
    assert granted.returncode == 0, granted.stderr
    code = granted.stdout.strip()
    roles = ChannelRoleStore(Database(tmp_path / "guopei.sqlite3"))
    assert roles.redeem(code, "telegram", "4242") == "trainer"

    missing = run(env, "--as", "无此人", "invite")
    assert missing.returncode == 2 and missing.stderr.strip() == "找不到用户“无此人”"
    users.revoke("王老师")
    revoked = run(env, "--as", "王老师", "balance")
    assert revoked.returncode == 2 and "已被吊销" in revoked.stderr and "Traceback" not in revoked.stderr

    # Reissued (as a trainer now), the same account acts again with its records; the old token stays dead.
    reissued = run(env, "users", "reissue", "王老师", "--role", "trainer")
    assert reissued.returncode == 0, reissued.stderr
    assert "重新发放令牌" in reissued.stderr and users.authenticate(reissued.stdout.strip()).role == "trainer"
    assert run(env, "--as", "王老师", "balance").returncode == 0


def test_questions_asked_with_as_count_under_the_command_line(tmp_path: Path) -> None:
    """An API account asking at the machine keeps its own records, but the question came through the command
    line: usage counts it under cli, and the account is still one active teacher."""
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path)}
    env.pop("GUOPEI_AS", None)
    UserStore(Database(tmp_path / "guopei.sqlite3")).add("王老师", "teacher")
    asked = run(env, "--as", "王老师", "ask", "学校每年要拿出多少经费用于教师培训？")
    assert asked.returncode == 0, asked.stderr
    assert run(env, "--as", "王老师", "feedback", "5", "很好").returncode == 0
    stats = json.loads(run(env, "stats", "--json").stdout)
    assert stats["usage"]["by_channel"] == {"cli": {"questions": 1}}
    assert stats["usage"]["active_teachers"] == 1
    assert stats["usage"]["channel_labels"] == {"cli": "命令行"}
    assert "按渠道：命令行 1 次" in run(env, "stats").stdout.splitlines()
    kinds = Database(tmp_path / "guopei.sqlite3").conn.execute("SELECT channel_kind FROM feedback").fetchall()
    assert [k[0] for k in kinds] == ["cli"]
