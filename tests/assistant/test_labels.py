"""Admin views name the core's identifiers in Chinese from one table."""

from __future__ import annotations

from assistant.labels import account_label, feedback_kind_label, job_kind_label, status_label


def test_job_resource_and_feedback_identifiers_read_in_chinese() -> None:
    assert (job_kind_label("eval"), job_kind_label("index")) == ("评测", "建索引")
    assert (status_label("running"), status_label("failed"), status_label("indexing")) == ("进行中", "失败", "索引中")
    assert feedback_kind_label("answer") == "助手回答"
    assert status_label("weird") == "weird"  # unknown values as stored


def test_chat_identities_read_as_people_not_as_keys() -> None:
    assert account_label("telegram:5003") == "Telegram 机器人用户 5003"
    assert account_label("李培训") == "李培训" and account_label(None) == ""
