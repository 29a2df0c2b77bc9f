"""Telegram roles: config admins, grants, one-time invites and the users row that owns uploads."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.db import Database
from bots.telegram.roles import RoleError, RoleStore


@pytest.fixture
def roles(tmp_path: Path) -> RoleStore:
    return RoleStore(Database(tmp_path / "db.sqlite3"), admin_ids=[1])


def test_unknown_users_are_teachers_and_config_admins_are_admins(roles: RoleStore) -> None:
    assert roles.role(42) == "teacher" and roles.role(1) == "admin"
    with pytest.raises(RoleError):
        roles.grant(1, "teacher")


def test_grant_and_demote(roles: RoleStore) -> None:
    assert roles.grant(42, "trainer", granted_by=1) == "trainer" and roles.is_staff(42)
    assert roles.grant(42, "teacher") == "teacher" and not roles.is_staff(42)
    with pytest.raises(RoleError):
        roles.grant(42, "superuser")


def test_invite_codes_work_once(roles: RoleStore) -> None:
    code = roles.invite("trainer", created_by=1)
    assert roles.bind(code, 7) == "trainer"
    with pytest.raises(RoleError):
        roles.bind(code, 8)
    assert roles.role(8) == "teacher"
    with pytest.raises(RoleError):
        roles.invite("teacher", created_by=1)


def test_upload_account_is_created_once(roles: RoleStore) -> None:
    roles.grant(42, "trainer")
    first = roles.account(42)
    assert roles.account(42) == first
    user = roles.users.get(first)
    assert user is not None and user.name == "telegram:42" and user.role == "trainer"
