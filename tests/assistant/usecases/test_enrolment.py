"""First sign-in with an invite code: an account of the invited role, a token, and a code that works once."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.db import Database
from assistant.errors import Conflict, InvalidInput
from assistant.records.roles import ChannelRoleStore
from assistant.records.users import UserStore
from assistant.usecases.enrolment import Enrolment


@pytest.fixture
def enrolment(tmp_path: Path) -> Enrolment:
    db = Database(tmp_path / "guopei.sqlite3")
    return Enrolment(UserStore(db), ChannelRoleStore(db))


def test_an_invite_becomes_an_account_with_a_token(enrolment: Enrolment):
    code = enrolment.roles.invite("trainer", "api:1")
    user, token = enrolment.join(code, "  李培训 ")
    assert user.name == "李培训" and user.role == "trainer"
    assert enrolment.users.authenticate(token).id == user.id
    with pytest.raises(InvalidInput, match="无效或已被使用"):
        enrolment.join(code, "另一个人")


def test_a_taken_name_does_not_spend_the_code(enrolment: Enrolment):
    enrolment.users.add("王老师", "teacher")
    code = enrolment.roles.invite("admin", "api:1")
    with pytest.raises(Conflict, match="已被使用"):
        enrolment.join(code, "王老师")
    user, _ = enrolment.join(code, "王校长")
    assert user.role == "admin"


@pytest.mark.parametrize(("code", "name", "message"), [
    ("x", "", "请填写姓名"), ("", "张三", "请填写邀请码"), ("x", "长" * 65, "名称太长"), ("wrong", "张三", "无效"),
])
def test_bad_input_is_refused_and_creates_nothing(enrolment: Enrolment, code: str, name: str, message: str):
    with pytest.raises(InvalidInput, match=message):
        enrolment.join(code, name)
    assert enrolment.users.list() == []
