"""``guopei bot telegram``: added to the main CLI by ``register(app)``, like the API's commands."""

from __future__ import annotations

import logging

import typer

from assistant.settings import Settings


def register(app: typer.Typer) -> None:
    bot = typer.Typer(help="聊天机器人渠道", no_args_is_help=True)

    @bot.command("telegram")
    def telegram() -> None:
        """以长轮询方式运行 Telegram 机器人（令牌取自 GUOPEI_TELEGRAM_TOKEN）。"""
        from telegram import Update

        from assistant.service import Assistant
        from bots.telegram.app import build_application

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)  # every long poll would be logged otherwise
        settings = Settings()
        if not settings.telegram_token:
            typer.echo("错误：未配置 Telegram 机器人令牌，请设置环境变量 GUOPEI_TELEGRAM_TOKEN", err=True)
            raise typer.Exit(2)
        assistant = Assistant.from_settings(settings)
        typer.echo("正在检查知识库索引……", err=True)
        assistant.ensure_indexed()
        application = build_application(settings, assistant)
        typer.echo("机器人已启动，按 Ctrl+C 停止。", err=True)
        application.run_polling(allowed_updates=Update.ALL_TYPES)

    app.add_typer(bot, name="bot")
