"""The assistant-side objects the handlers call, wired once per Application.

Kept out of ``bot_data`` on purpose: ``bot_data`` is pickled by the persistence layer, and a database
handle or a vector store must never be. Records, roles and resources all use ``settings.data_dir`` (not
the assistant's), so a test or a second bot can share one indexed knowledge base with its own records.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from assistant.api.ratelimit import RateLimiter
from assistant.companion import Companion
from assistant.db import Database
from assistant.records import Records, Teacher
from assistant.resources import ResourceService
from assistant.service import Assistant
from assistant.settings import Settings
from bots.telegram.roles import RoleStore
from bots.telegram.stats import BotStats

CHANNEL = "telegram"
T = TypeVar("T")


@dataclass
class BotServices:
    settings: Settings
    assistant: Assistant
    companion: Companion
    resources: ResourceService
    roles: RoleStore
    stats: BotStats
    limiter: RateLimiter

    @classmethod
    def create(cls, settings: Settings, assistant: Assistant | None = None,
               companion: Companion | None = None) -> BotServices:
        # How uploads weigh against policy texts is the assistant's rule (as for the API), not the channel's.
        assistant = assistant or (companion.assistant if companion else Assistant.from_settings(settings))
        db = Database(settings.db_path)
        companion = companion or Companion(assistant, Records(db, settings.credit_hours_per_task,
                                                              settings.credits_per_hour))
        # A bot upload is indexed inline in a worker thread and the trainer is told the result, so the
        # API's background-job path (for big files) is never needed here.
        resources = ResourceService(assistant, db, background_bytes=settings.upload_max_bytes,
                                    files_dir=settings.data_dir / "resources")
        return cls(settings, assistant, companion, resources, RoleStore(db, settings.telegram_admin_ids),
                   BotStats(db), RateLimiter(settings.ask_rate_per_minute))

    @property
    def records(self) -> Records:
        return self.companion.records

    def teacher(self, user: Any) -> Teacher:
        return self.companion.teacher(CHANNEL, str(user.id), (user.full_name or "")[:64])


async def run(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Every call into the assistant is blocking (SQLite, embeddings): keep it off the event loop."""
    return await asyncio.to_thread(func, *args, **kwargs)
