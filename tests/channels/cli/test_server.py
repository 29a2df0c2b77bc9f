"""The long-running channels the command line starts: the bot is found by entry point, never imported."""

from __future__ import annotations

import pytest

from assistant.errors import Unavailable
from channels.cli.server import TELEGRAM, channel


def test_the_telegram_bot_is_registered_as_a_channel() -> None:
    runner = channel(TELEGRAM)
    assert runner.__module__ == "bots.telegram.app" and runner.__name__ == "run_polling"


def test_an_unknown_channel_is_a_clear_error_not_a_missing_command() -> None:
    with pytest.raises(Unavailable, match="未安装聊天渠道"):
        channel("wechat")
