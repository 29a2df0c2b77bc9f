"""``guopei serve`` and ``guopei bot telegram``: the long-running channels, started from the same root.

The channel packages are imported inside the commands (FastAPI and python-telegram-bot are slow to
import and ``guopei ask`` needs neither), but never inside a ``try``: if one cannot be imported, running
its command says so instead of the command quietly disappearing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

import typer

from assistant.services import Services
from channels.cli.errors import REFUSED


def register(app: typer.Typer, services: Callable[[], Services]) -> None:
    @app.command()
    def serve(host: Annotated[str | None, typer.Option(help="监听地址，默认取配置 GUOPEI_HOST")] = None,
              port: Annotated[int | None, typer.Option(help="监听端口，默认取配置 GUOPEI_PORT")] = None) -> None:
        """启动 HTTP API 服务（文档见 /docs）。"""
        import uvicorn

        from channels.api.app import create_app

        core = services()
        uvicorn.run(create_app(core), host=host or core.settings.host, port=port or core.settings.port)

    bot = typer.Typer(help="聊天机器人渠道", no_args_is_help=True)

    @bot.command("telegram")
    def telegram() -> None:
        """以长轮询方式运行 Telegram 机器人（令牌取自 GUOPEI_TELEGRAM_TOKEN）。"""
        from telegram import Update

        from bots.telegram.app import build_application

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)  # every long poll would be logged otherwise
        core = services()
        if not core.settings.telegram_token:
            typer.echo("错误：未配置 Telegram 机器人令牌，请设置环境变量 GUOPEI_TELEGRAM_TOKEN", err=True)
            raise typer.Exit(REFUSED)
        typer.echo("正在检查知识库索引……", err=True)
        core.start()
        core.wait_ready()
        application = build_application(core)
        typer.echo("机器人已启动，按 Ctrl+C 停止。", err=True)
        try:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
        finally:
            core.close()

    app.add_typer(bot, name="bot")
