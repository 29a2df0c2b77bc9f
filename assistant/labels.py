"""The Chinese names admin views show for the core's identifiers: job kinds, actions and statuses, resource
statuses, feedback kinds and accounts. One table, so the bot, the console and the command line never show
``running`` on one surface and 进行中 on another (unknown values are shown as they are)."""

from __future__ import annotations

from assistant.jobs import DONE
from assistant.records.feedback import FEEDBACK_KIND_LABELS
from assistant.records.usage import CHANNEL_LABELS

STATUS_LABELS = {"queued": "排队中", "running": "进行中", "done": "已完成", "failed": "失败", "cancelled": "已取消",
                 "ready": "可检索", "indexing": "索引中"}
ACTION_LABELS = {"upload": "上传", "replace": "替换", "run": "评测"}
JOB_KIND_LABELS = {"index": "建索引", "eval": "评测"}


def status_label(value: object) -> str:
    return STATUS_LABELS.get(str(value), str(value))


def action_label(value: object) -> str:
    return ACTION_LABELS.get(str(value), str(value))


def job_kind_label(value: object) -> str:
    return JOB_KIND_LABELS.get(str(value), str(value))


def job_outcome(job: dict[str, object]) -> str:
    """What a finished job has to say beyond 完成 (a replacement that looks like the wrong file says so in its
    last stage), shown by every jobs list after how it ended; "" for nothing."""
    stage = str(job.get("stage") or "")
    return stage.removeprefix(f"{DONE}。") if job.get("status") == "done" and stage != DONE else ""


def feedback_kind_label(value: object) -> str:
    return FEEDBACK_KIND_LABELS.get(str(value), str(value))


def account_label(name: object) -> str:
    """An account named after its chat identity (``telegram:5003``) as 「Telegram 机器人用户 5003」; other
    names as they are."""
    text = "" if name is None else str(name)
    channel, sep, ident = text.partition(":")
    if sep and channel in CHANNEL_LABELS and ident:
        return f"{CHANNEL_LABELS[channel]}用户 {ident}"
    return text


__all__ = ["ACTION_LABELS", "FEEDBACK_KIND_LABELS", "JOB_KIND_LABELS", "STATUS_LABELS", "account_label",
           "action_label", "feedback_kind_label", "job_kind_label", "job_outcome", "status_label"]
