"""Teachers and the channel accounts that map to them, plus the clock helpers every record store shares.

A teacher is our own id (``t_<random>``), never a Telegram or API user id: the same person may reach us
through several channels, and a channel id must not leak into records, exports or anonymous feedback.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from assistant.db import Database
from assistant.errors import InvalidInput, NotFound

SHANGHAI = ZoneInfo("Asia/Shanghai")

# 分层分类: the stages and school levels the 国培计划 plans around; free text would defeat the layering.
STAGES: tuple[str, ...] = ("新任", "青年", "骨干", "名师", "培训者", "名校长")
SCHOOL_LEVELS: tuple[str, ...] = ("幼儿园", "小学", "初中", "高中", "中职")
# The subjects of the national curriculum a plan can lean towards; 综合 and 其他 cover the rest, so a typo
# (or a made-up subject) is caught instead of quietly matching nothing.
SUBJECTS: tuple[str, ...] = ("语文", "数学", "英语", "道德与法治", "思想政治", "历史", "地理", "物理", "化学", "生物",
                             "科学", "信息科技", "体育", "音乐", "美术", "艺术", "劳动", "心理健康", "学前教育",
                             "特殊教育", "综合", "其他")
# What teachers also call them: the older or longer names of the same subjects.
_SUBJECT_NAMES = {"思品": "道德与法治", "道法": "道德与法治", "政治": "思想政治", "思政": "思想政治",
                  "信息技术": "信息科技", "体育与健康": "体育", "心理": "心理健康", "幼教": "学前教育",
                  "综合实践": "综合", "综合实践活动": "综合", "特教": "特殊教育"}
_PROFILE_FIELDS = ("display_name", "stage", "subject", "school_level", "region", "reminder_time")
_CHANNEL = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_REMINDER = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_MAX_TEXT = 64


# -- clock -------------------------------------------------------------------------------------------
def utc_now() -> datetime:
    return datetime.now(UTC)


def aware(now: datetime | None) -> datetime:
    """Injected times must carry a zone: a naive time would be read differently by each store."""
    if now is None:
        return utc_now()
    if now.tzinfo is None:
        raise InvalidInput("时间必须带时区（例如 datetime.now(UTC)）")
    return now


def to_iso(moment: datetime) -> str:
    """One fixed-width UTC format, so stored times sort correctly as text."""
    return aware(moment).astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def beijing_time(text: str, *, seconds: bool = False) -> str:
    """A stored time as people here read it (2026-12-07 19:53): the console, reports and learning exports all
    show Beijing time, so an admin comparing an eval run with a teacher's records is not eight hours off. Text
    that is no time is shown as it is."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return str(text)
    shown = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(SHANGHAI).strftime(shown)


def local_date(moment: datetime) -> date:
    """The teacher's calendar day: teachers live on Beijing time, whatever the server's zone."""
    return aware(moment).astimezone(SHANGHAI).date()


def local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).astimezone(UTC)


def days_after(moment: datetime, days: int) -> datetime:
    """Start of the local day ``days`` after ``moment``: a review is due for that whole day."""
    return local_midnight(local_date(moment) + timedelta(days=days))


# -- teachers ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Teacher:
    id: str
    display_name: str = ""
    stage: str = ""
    subject: str = ""
    school_level: str = ""
    region: str = ""
    reminder_time: str | None = None
    created_at: str = ""
    updated_at: str = ""

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Teacher:
        return cls(**{k: row[k] for k in row.keys()})  # noqa: SIM118 (sqlite3.Row is not a Mapping)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def new_teacher_id() -> str:
    return f"t_{secrets.token_hex(8)}"


def validate_profile(fields: dict[str, Any]) -> dict[str, Any]:
    """Check profile fields; messages are shown to teachers, so they list the valid choices."""
    unknown = set(fields) - set(_PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(f"无法修改这些资料项：{'、'.join(sorted(unknown))}；可修改：{'、'.join(_PROFILE_FIELDS)}")
    clean: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "reminder_time":
            if value in (None, ""):
                clean[key] = None
                continue
            if not isinstance(value, str) or not _REMINDER.match(value.strip()):
                raise InvalidInput(f"提醒时间格式应为“时:分”（24 小时制，如 07:30），收到：{value!r}")
            clean[key] = value.strip()
            continue
        if not isinstance(value, str):
            raise InvalidInput(f"{key} 必须是文字")
        value = value.strip()
        if key == "stage" and value not in STAGES:
            raise InvalidInput(f"发展阶段“{value}”无效，请从以下选项中选择：{'、'.join(STAGES)}")
        if key == "subject" and value:
            value = _SUBJECT_NAMES.get(value, value)
            if value not in SUBJECTS:
                raise InvalidInput(f"任教学科“{value}”无效，请从以下选项中选择：{'、'.join(SUBJECTS)}")
        if key == "school_level" and value not in SCHOOL_LEVELS:
            raise InvalidInput(f"任教学段“{value}”无效，请从以下选项中选择：{'、'.join(SCHOOL_LEVELS)}")
        if len(value) > _MAX_TEXT:
            raise InvalidInput(f"{key} 过长（{len(value)} 字），请控制在 {_MAX_TEXT} 字以内")
        clean[key] = value
    return clean


class TeacherStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, teacher_id: str) -> Teacher | None:
        row = self.db.conn.execute("SELECT * FROM teachers WHERE id = ?", (teacher_id,)).fetchone()
        return Teacher.from_row(row) if row else None

    def find_by_channel(self, channel: str, external_id: str) -> Teacher | None:
        """The teacher behind a channel account, or None for someone who never showed up."""
        row = self.db.conn.execute("SELECT teacher_id FROM teacher_channels WHERE channel = ? AND external_id = ?",
                                   (channel, str(external_id).strip())).fetchone()
        return self.get(row[0]) if row else None

    def get_or_create_by_channel(self, channel: str, external_id: str, display_name: str = "",
                                 now: datetime | None = None) -> Teacher:
        """The teacher behind a channel account, created on first contact.

        BEGIN IMMEDIATE makes lookup-then-insert atomic, so two first messages at once yield one teacher.
        """
        if not _CHANNEL.match(channel or ""):
            raise InvalidInput(f"渠道名无效：{channel!r}（应为小写字母，如 telegram、cli、api）")
        if not str(external_id).strip():
            raise InvalidInput("渠道用户标识不能为空")
        external_id = str(external_id).strip()
        name = validate_profile({"display_name": display_name})["display_name"]
        with self.db.transaction() as conn:
            row = conn.execute("SELECT teacher_id FROM teacher_channels WHERE channel = ? AND external_id = ?",
                               (channel, external_id)).fetchone()
            if row:
                teacher_id = row[0]
            else:
                teacher_id, stamp = new_teacher_id(), to_iso(aware(now))
                conn.execute("INSERT INTO teachers (id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                             (teacher_id, name, stamp, stamp))
                conn.execute("INSERT INTO teacher_channels (teacher_id, channel, external_id, created_at)"
                             " VALUES (?, ?, ?, ?)", (teacher_id, channel, external_id, stamp))
        teacher = self.get(teacher_id)
        assert teacher is not None
        return teacher

    def update_profile(self, teacher_id: str, now: datetime | None = None, **fields: Any) -> Teacher:
        clean = validate_profile(fields)
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM teachers WHERE id = ?", (teacher_id,)).fetchone() is None:
                raise NotFound(f"找不到教师 {teacher_id}，请先注册或检查编号")
            if clean:
                sets = ", ".join(f"{k} = ?" for k in clean)
                conn.execute(f"UPDATE teachers SET {sets}, updated_at = ? WHERE id = ?",
                             (*clean.values(), to_iso(aware(now)), teacher_id))
        teacher = self.get(teacher_id)
        assert teacher is not None
        return teacher

    def list(self) -> list[Teacher]:
        return [Teacher.from_row(r) for r in self.db.conn.execute("SELECT * FROM teachers ORDER BY created_at, id")]

    def reminders(self, channel: str) -> list[tuple[str, str]]:
        """(channel account, reminder time) of every teacher on ``channel`` who asked for a daily reminder."""
        rows = self.db.conn.execute(
            "SELECT c.external_id, t.reminder_time FROM teacher_channels c JOIN teachers t ON t.id = c.teacher_id"
            " WHERE c.channel = ? AND t.reminder_time IS NOT NULL ORDER BY c.external_id", (channel,))
        return [(r[0], r[1]) for r in rows]

    def channels(self, teacher_id: str) -> list[tuple[str, str]]:
        rows = self.db.conn.execute("SELECT channel, external_id FROM teacher_channels WHERE teacher_id = ?"
                                    " ORDER BY channel", (teacher_id,))
        return [(r[0], r[1]) for r in rows]
