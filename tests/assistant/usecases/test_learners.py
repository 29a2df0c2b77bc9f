"""Naming a teacher: account name, teacher id or a command-line label; staff read, only the operator studies as another."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.db import Database
from assistant.errors import Forbidden, NotFound
from assistant.records.teachers import TeacherStore
from assistant.records.users import UserStore
from assistant.usecases.learners import STAFF_READ_ONLY, TEACHERS_ONLY_SELF, Learners
from assistant.usecases.people import People


@pytest.fixture
def learners(tmp_path: Path) -> Learners:
    db = Database(tmp_path / "guopei.sqlite3")
    users = UserStore(db)
    for name, role in (("王老师", "teacher"), ("李老师", "teacher"), ("张主任", "admin"), ("刘培训", "trainer")):
        users.add(name, role)
    return Learners(users, TeacherStore(db))


def account(learners: Learners, name: str):
    user = learners.users.by_name(name)
    assert user is not None
    return People.api_actor(user)


def test_staff_read_a_teacher_by_account_name_or_teacher_id(learners: Learners) -> None:
    wang = account(learners, "王老师")
    for staff in ("张主任", "刘培训"):
        assert learners.reading(account(learners, staff), "王老师").key == wang.key
    bot_teacher = learners.teachers.get_or_create_by_channel("telegram", "4242", "赵老师")
    found = learners.reading(account(learners, "张主任"), bot_teacher.id)
    assert (found.channel, found.external_id) == ("telegram", "4242")
    with pytest.raises(NotFound, match="未找到教师「王老帅」"):
        learners.reading(account(learners, "张主任"), "王老帅")


def test_a_teacher_names_only_themselves(learners: Learners) -> None:
    """Naming oneself is the same as naming no one; naming anyone else is refused in words that say who may,
    whether or not the name exists, for reading and studying alike (no silent credit to oneself)."""
    wang = account(learners, "王老师")
    assert learners.reading(wang, "王老师") is wang and learners.acting(wang, " 王老师 ") is wang
    assert learners.reading(wang, None) is wang and learners.acting(wang, "") is wang
    for who in ("李老师", "无此人"):
        for use in (learners.reading, learners.acting):
            with pytest.raises(Forbidden) as refused:
                use(wang, who)
            assert str(refused.value) == TEACHERS_ONLY_SELF and "管理员或培训者" in str(refused.value)


def test_staff_study_only_as_themselves(learners: Learners) -> None:
    admin = account(learners, "张主任")
    assert learners.acting(admin, "张主任") is admin
    with pytest.raises(Forbidden) as refused:
        learners.acting(admin, "王老师")
    assert str(refused.value) == STAFF_READ_ONLY


def test_the_operator_names_accounts_labels_and_new_labels(learners: Learners) -> None:
    """At the machine an account name is that account's learner (not a label of the same name); any other
    name is a label, started by a quiz and refused by what reads it while unused."""
    operator = People.operator()
    assert learners.reading(operator, "王老师").key == account(learners, "王老师").key
    assert learners.acting(operator, "王老师").key == account(learners, "王老师").key
    label = learners.acting(operator, "zhang")
    assert (label.channel, label.external_id, label.registered) == ("cli", "zhang", False)
    assert learners.reading(operator, None) is operator
