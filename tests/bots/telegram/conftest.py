"""The Telegram bot running for real (polling over HTTP) against the stand-in Bot API server.

The knowledge base is indexed once for this package in its own directory — trainer uploads go into it,
so it must not be the session-wide assistant other test packages rely on. Records, roles and the
persistence file live in each test's ``tmp_path``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.service import Assistant
from assistant.services import Services
from assistant.settings import Settings
from bots.telegram.app import build_application
from tests.bots.telegram.fake_bot_api import FakeBotApi, running

TOKEN = "123456789:TEST-guopei-token"
ADMIN_ID = 900001


@pytest.fixture(scope="package")
def bot_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path_factory.mktemp("bot-kb")))
    assistant.ensure_indexed()
    return assistant


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with running(TOKEN) as server:
        yield server


@pytest.fixture
def bot_settings(tmp_path: Path, api: FakeBotApi) -> Settings:
    return Settings(data_dir=tmp_path / "bot-data", telegram_token=TOKEN, telegram_api_base_url=api.base_url,
                    telegram_admin_ids=[ADMIN_ID])


class BotRunner:
    """Runs the Application the way ``run_polling`` does, in its own thread and event loop."""

    def __init__(self, settings: Settings, assistant: Assistant) -> None:
        self.settings, self.assistant = settings, assistant
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self._stop: asyncio.Event | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="telegram-bot", daemon=True)
        self.application: Any = None

    def start(self) -> BotRunner:
        self._thread.start()
        if not self.ready.wait(60) or self.error:
            raise RuntimeError(f"bot did not start: {self.error!r}")
        return self

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:
            self.error = exc
            self.ready.set()

    async def _main(self) -> None:
        self.loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        self.core = Services.from_settings(self.settings, assistant=self.assistant)
        self.core.start(index_bundled=False)
        app = self.application = build_application(self.core)
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        self.ready.set()
        await self._stop.wait()
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        self.core.close()

    def stop(self) -> None:
        if self.loop and self._stop and self._thread.is_alive():
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)
        assert not self._thread.is_alive(), "bot did not stop"


@pytest.fixture
def bot(bot_settings: Settings, bot_assistant: Assistant) -> Iterator[BotRunner]:
    runner = BotRunner(bot_settings, bot_assistant).start()
    yield runner
    runner.stop()
