"""What the handlers hold: the use cases, and who a Telegram user is to them.

Kept out of ``bot_data`` on purpose: ``bot_data`` is pickled by the persistence layer, and a database
handle or a vector store must never be. Everything here comes from the composition root.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from assistant.roles import Actor
from assistant.services import Services
from assistant.usecases import UseCases

CHANNEL = "telegram"
T = TypeVar("T")


@dataclass
class BotServices:
    core: Services

    @property
    def uc(self) -> UseCases:
        return self.core.usecases

    def actor(self, user: Any) -> Actor:
        """The actor behind a Telegram user: a teacher unless granted more (or an admin by configuration)."""
        return self.uc.people.channel_actor(CHANNEL, str(user.id), (user.full_name or "")[:64])

    def actor_by_id(self, telegram_id: int) -> Actor:
        return self.uc.people.channel_actor(CHANNEL, str(telegram_id))


async def run(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Every call into the core is blocking (SQLite, embeddings): keep it off the event loop."""
    return await asyncio.to_thread(func, *args, **kwargs)
