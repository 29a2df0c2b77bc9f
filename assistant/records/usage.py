"""Usage counters for the admin view: questions, abstentions, and each account's last active day.

Only counts and a day are stored — never the questions themselves — so the admin view cannot be used to
read what a particular teacher asked. Counted per channel, so every surface reports the same way.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from assistant.db import Database
from assistant.records.teachers import local_date, utc_now

# What the admin views call each surface a question came through; an unknown one shows as it is stored.
CHANNEL_LABELS = {"api": "HTTP API", "cli": "命令行", "web": "网页控制台", "telegram": "Telegram 机器人"}


def channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel)


def usage_labels(days: int) -> dict[str, str]:
    """What each count means, shown beside it on every surface. The counts answer different questions and
    were shown as 活跃教师 4 · 注册教师 3, which read as a contradiction: active and ever-used are both
    accounts that asked (teachers, trainers and admins alike; one per surface identity), so active never
    exceeds ever-used; 有学习记录 counts learners with a learning record (a quiz, a plan), asked or not."""
    return {"active_teachers": f"近 {days} 天提过问的账号", "known_accounts": "累计提过问的账号",
            "registered_teachers": "有学习记录的教师（做过小测或制定过研修计划）",
            # abstained counts both 没有找到 and 文件未作规定 (which still quotes related text): the bot called it
            # 未找到依据而拒答, the console 未能回答 and the command line 拒答, three readings of one number.
            "abstentions": ABSTENTIONS_LABEL}


ABSTENTIONS_LABEL = "未直接作答（知识库中没有依据或文件未作规定）"


def questions_line(usage: dict[str, Any]) -> str:
    """The questions and how many were not answered outright, with their share: one wording for the bot and
    the command line, and the console's label for the same count."""
    asked, missed = usage["questions"], usage["abstentions"]
    share = f"（{missed / asked:.0%}）" if asked else ""
    return f"提问 {asked} 次，其中{ABSTENTIONS_LABEL} {missed} 次{share}"


def accounts_line(usage: dict[str, Any]) -> str:
    """The three counts with what they mean, one wording for the bot and the command line."""
    labels = usage["labels"]
    return (f"{labels['active_teachers']} {usage['active_teachers']} 个，{labels['known_accounts']} "
            f"{usage['known_accounts']} 个，{labels['registered_teachers']} {usage['registered_teachers']} 人")


def channels_line(usage: dict[str, Any]) -> str | None:
    """The questions each surface brought in, in the web console's words, for the bot and the command line:
    an admin reading /stats in the bot should not need the console to see where questions come from.
    None when nothing was asked yet, so no surface prints an empty heading."""
    if not usage["by_channel"]:
        return None
    return "按渠道：" + "，".join(f"{usage['channel_labels'][channel]} {counts.get('questions', 0)} 次"
                                for channel, counts in usage["by_channel"].items())


class UsageStats:
    def __init__(self, db: Database) -> None:
        self.db = db

    def question(self, channel: str, external_id: str, abstained: bool, *, via: str | None = None) -> None:
        """A question from the account ``channel``/``external_id``, asked through ``via`` (its own channel
        unless given): counters go by the surface used, the active-teacher count by the account, so an API
        account asking at the command line is one active teacher whose questions count under ``cli``."""
        self._count(channel, external_id, ("questions", *(("abstentions",) if abstained else ())), via)

    def seen(self, channel: str, external_id: str, *, via: str | None = None) -> None:
        """Activity that is not a question for the documents (a greeting, a thank-you, 你是谁): the teacher
        was active today, but the question and abstention counts the admin reads stay about real questions."""
        self._count(channel, external_id, (), via)

    def _count(self, channel: str, external_id: str, names: tuple[str, ...], via: str | None) -> None:
        today = local_date(utc_now()).isoformat()
        with self.db.transaction() as conn:
            for name in names:
                conn.execute("INSERT INTO usage_counters (channel, name, value) VALUES (?, ?, 1)"
                             " ON CONFLICT (channel, name) DO UPDATE SET value = value + 1", (via or channel, name))
            conn.execute("INSERT INTO usage_activity (channel, external_id, last_seen) VALUES (?, ?, ?)"
                         " ON CONFLICT (channel, external_id) DO UPDATE SET last_seen = excluded.last_seen",
                         (channel, external_id, today))

    def summary(self, days: int = 7) -> dict[str, Any]:
        conn = self.db.conn
        counters: dict[str, int] = {}
        by_channel: dict[str, dict[str, int]] = {}
        for channel, name, value in conn.execute("SELECT channel, name, value FROM usage_counters"):
            counters[name] = counters.get(name, 0) + value
            by_channel.setdefault(channel, {})[name] = value
        since = (local_date(utc_now()) - timedelta(days=days - 1)).isoformat()
        active = conn.execute("SELECT COUNT(*) FROM usage_activity WHERE last_seen >= ?", (since,)).fetchone()[0]
        known = conn.execute("SELECT COUNT(*) FROM usage_activity").fetchone()[0]
        registered = conn.execute("SELECT COUNT(*) FROM teachers").fetchone()[0]
        return {"questions": counters.get("questions", 0), "abstentions": counters.get("abstentions", 0),
                "active_teachers": active, "known_accounts": known, "registered_teachers": registered, "days": days,
                "by_channel": by_channel, "channel_labels": {ch: channel_label(ch) for ch in by_channel},
                "labels": usage_labels(days)}
