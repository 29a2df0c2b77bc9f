"""``guopei --as NAME``: a real account's role at the command line, refused in the core's own words."""

from __future__ import annotations

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
