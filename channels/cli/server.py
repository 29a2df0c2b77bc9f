"""``guopei serve`` and ``guopei bot telegram``: the long-running channels, started from the same root.

The API is imported inside its command (FastAPI is slow to import and ``guopei ask`` does not need it);
the bot is looked up through the ``guopei.channels`` entry point, so ``channels`` never imports ``bots``.
Neither is inside a ``try``: if one cannot be loaded, running its command says so instead of the command
quietly disappearing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Annotated

import typer

from assistant.errors import Unavailable
from assistant.services import Services
from channels.cli.errors import REFUSED

CHANNELS_GROUP = "guopei.channels"
TELEGRAM = "telegram"


def channel(name: str) -> Callable[[Services], None]:
    """A chat channel's runner, found by entry point: the bots are installed beside the command line, not
    imported by it. A missing or broken one is an error when its command runs, never a vanished command."""
    found = entry_points(group=CHANNELS_GROUP, name=name)
    if not found:
        raise Unavailable(f"未安装聊天渠道“{name}”，请重新安装本项目（pip install -e .）")
    runner: Callable[[Services], None] = next(iter(found)).load()
    return runner


def register(app: typer.Typer, services: Callable[[], Services]) -> None:
    @app.command()
    def serve(host: Annotated[str | None, typer.Option(help="监听地址，默认取配置 GUOPEI_HOST")] = None,
              port: Annotated[int | None, typer.Option(help="监听端口，默认取配置 GUOPEI_PORT")] = None) -> None:
        """启动 HTTP API 与网页控制台（控制台在 /，接口文档见 /docs）。"""
        import uvicorn

        from channels.api.app import create_app

        core = services()
        uvicorn.run(create_app(core), host=host or core.settings.host, port=port or core.settings.port)

    bot = typer.Typer(help="聊天机器人渠道", no_args_is_help=True)

    @bot.command("telegram")
    def telegram() -> None:
        """以长轮询方式运行 Telegram 机器人（令牌取自 GUOPEI_TELEGRAM_TOKEN）。"""
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        core = services()
        if not core.settings.telegram_token:
            typer.echo("错误：未配置 Telegram 机器人令牌，请设置环境变量 GUOPEI_TELEGRAM_TOKEN", err=True)
            raise typer.Exit(REFUSED)
        channel(TELEGRAM)(core)

    app.add_typer(bot, name="bot")
