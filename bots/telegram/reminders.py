"""Daily study reminders on the JobQueue, at each teacher's chosen Beijing time.

Jobs are not persisted by PicklePersistence, and the reminder time already lives in the teacher record,
so at start-up every Telegram teacher's job is rebuilt from the core; there is no second copy to drift.
"""

from __future__ import annotations

import logging
from datetime import time
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, ContextTypes

from assistant.records import SHANGHAI
from bots.telegram.services import CHANNEL, run

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
    schedule = services.uc.learning.reminder_schedule(CHANNEL)
    for external_id, reminder in schedule:
        schedule_reminder(application, services, int(external_id), reminder)
    return len(schedule)


async def send_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    services: BotServices = job.data
    message = await run(lambda: services.uc.learning.reminder(services.actor_by_id(job.chat_id)))
    if message is None:
        return
    await context.bot.send_message(job.chat_id, f"⏰ 今日学习提醒\n{message}\n发送 /next 开始今天的学习。")
