"""Daily study reminders on the JobQueue, at each teacher's chosen Beijing time.

Jobs are not persisted by PicklePersistence, and the reminder time already lives in the teacher record,
so at start-up every Telegram teacher's job is rebuilt from SQLite; there is no second copy to drift.
"""

from __future__ import annotations

import logging
from datetime import time
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, ContextTypes

from assistant.records import SHANGHAI
from bots.telegram.services import run

if TYPE_CHECKING:
    from bots.telegram.services import BotServices

log = logging.getLogger(__name__)


def job_name(telegram_id: int) -> str:
    return f"reminder:{telegram_id}"


def schedule_reminder(application: Application[Any, Any, Any, Any, Any, Any], services: BotServices,
                      telegram_id: int, reminder: str | None) -> None:
    """Replace this user's reminder job; ``None`` just cancels it."""
    queue = application.job_queue
    if queue is None:  # installed without the job-queue extra: reminders are silently unavailable
        return
    for job in queue.get_jobs_by_name(job_name(telegram_id)):
        job.schedule_removal()
    if reminder:
        hour, minute = (int(x) for x in reminder.split(":"))
        queue.run_daily(send_reminder, time(hour, minute, tzinfo=SHANGHAI), chat_id=telegram_id,
                        user_id=telegram_id, name=job_name(telegram_id), data=services)


def restore_reminders(application: Application[Any, Any, Any, Any, Any, Any], services: BotServices) -> int:
    rows = services.records.db.conn.execute(
        "SELECT c.external_id, t.reminder_time FROM teacher_channels c JOIN teachers t ON t.id = c.teacher_id"
        " WHERE c.channel = 'telegram' AND t.reminder_time IS NOT NULL").fetchall()
    for external_id, reminder in rows:
        schedule_reminder(application, services, int(external_id), reminder)
    return len(rows)


async def send_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    services: BotServices = job.data
    teacher = await run(services.records.teachers.find_by_channel, "telegram", str(job.chat_id))
    if teacher is None:
        return
    step = await run(services.records.what_next, teacher.id)
    await context.bot.send_message(job.chat_id, f"⏰ 今日学习提醒\n{step.message}\n发送 /next 开始今天的学习。")
