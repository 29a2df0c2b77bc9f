"""Admin views name the core's identifiers in Chinese from one table."""

from __future__ import annotations

from assistant.labels import account_label, feedback_kind_label, job_kind_label, job_outcome, status_label


def test_job_resource_and_feedback_identifiers_read_in_chinese() -> None:
    assert (job_kind_label("eval"), job_kind_label("index")) == ("评测", "建索引")
    assert (status_label("running"), status_label("failed"), status_label("indexing")) == ("进行中", "失败", "索引中")
    assert feedback_kind_label("answer") == "助手回答"
    assert status_label("weird") == "weird"  # unknown values as stored


def test_chat_identities_read_as_people_not_as_keys() -> None:
    assert account_label("telegram:5003") == "Telegram 机器人用户 5003"
    assert account_label("李培训") == "李培训" and account_label(None) == ""


def test_a_finished_job_says_its_last_word_when_it_has_one() -> None:
    """A background replacement that looks like the wrong file says so when done; a plain 完成 says nothing more."""
    said = "完成。新文件与原资源《甲》内容差别很大（词语只有 5% 相同），请确认是否传错文件。"
    assert job_outcome({"status": "done", "stage": said}) == said.removeprefix("完成。")
    assert job_outcome({"status": "done", "stage": "完成"}) == ""
    assert job_outcome({"status": "running", "stage": "计算向量并写入"}) == ""
