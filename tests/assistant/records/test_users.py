"""API accounts: names that cannot pass for another's, and tokens that can be issued again."""

from __future__ import annotations

import time

import pytest

from assistant.db import Database
from assistant.errors import Conflict, InvalidInput, NotFound
from assistant.records.users import UserStore, clean_name


@pytest.fixture
def users(tmp_path) -> UserStore:
    return UserStore(Database(tmp_path / "users.sqlite3"))


def test_invisible_characters_cannot_make_a_second_account_look_like_the_first(users: UserStore) -> None:
    users.add("王管理", "admin")
    for twin in ("王\u200b管理", "王管理\u202e", " 王管理 ", "\ufeff王管理"):
        with pytest.raises(Conflict, match="已存在"):
            users.add(twin, "admin")
    assert clean_name("Ａｄａ\u200d  Li") == "Ada Li"
    with pytest.raises(InvalidInput, match="不能为空"):
        users.add("\u200b\u200c", "teacher")
    assert users.by_name("王\u200b管理") is not None


def test_names_differing_only_in_spacing_or_width_are_one_name(users: UserStore) -> None:
    """「李 老师」 was created next to 「李老师」: two accounts every list shows as the same teacher."""
    users.add("李老师", "teacher")
    for twin in ("李 老师", "李　老师", " 李 老 师"):
        with pytest.raises(Conflict) as refused:
            users.add(twin, "teacher")
        assert str(refused.value).startswith(f"用户“{clean_name(twin)}”与已有的“李老师”只差空格或全角、半角")
    users.add("Ａｄａ Li", "trainer")
    with pytest.raises(Conflict, match="与已有的“Ada Li”"):
        users.add("AdaLi", "trainer")
    assert [u.name for u in users.list()] == ["李老师", "Ada Li"]
    assert users.by_name("李 老师").name == "李老师"  # the same name finds the account, as --as and revoke do
    assert users.revoke("李　老师").name == "李老师"


def test_a_reissued_token_replaces_the_old_one_and_keeps_the_account(users: UserStore) -> None:
    user, old = users.add("钱老师", "teacher")
    users.revoke("钱老师")
    assert users.authenticate(old) is None
    again, new = users.reissue("钱老师")
    assert again.id == user.id and again.active and again.role == "teacher"
    assert users.authenticate(new) == again and users.authenticate(old) is None
    assert again.token_issued_at > time.time() - 5  # console sessions from before this end
    promoted, newer = users.reissue("钱老师", "trainer")
    assert promoted.role == "trainer" and users.authenticate(new) is None and users.authenticate(newer) == promoted
    with pytest.raises(InvalidInput, match="角色"):
        users.reissue("钱老师", "boss")
    with pytest.raises(NotFound, match="找不到用户"):
        users.reissue("nobody")


def test_an_unknown_role_is_refused_in_one_unbroken_sentence() -> None:
    import pytest

    from assistant.errors import InvalidInput
    from assistant.records.users import check_role

    with pytest.raises(InvalidInput) as refused:
        check_role("superuser")
    assert str(refused.value) == "角色“superuser”无效，应为teacher（教师）、trainer（培训者）、admin（管理员）之一"
