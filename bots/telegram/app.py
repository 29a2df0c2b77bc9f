"""``build_application``: the Telegram bot as one python-telegram-bot ``Application``.

The bot is a channel, not a brain: it wires handlers to the use cases of the composition root and owns
only Telegram concerns — the API endpoint (a self-hosted Bot API server or a test stand-in via
``telegram_api_base_url``), persistence of per-user conversation state, concurrency, reminders and the
error reply: ``on_error`` is the one place where the core's typed errors become messages.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PersistenceInput,
    PicklePersistence,
    filters,
)

from assistant.errors import CoreError, Forbidden
from assistant.services import Services
from bots.telegram.handlers import TeacherHandlers
from bots.telegram.menu import COMMANDS, set_menu
from bots.telegram.reminders import restore_reminders
from bots.telegram.services import BotServices
from bots.telegram.staff import StaffHandlers

log = logging.getLogger(__name__)
APOLOGY = "抱歉，处理您的消息时出了点问题，请稍后再试。如果问题持续出现，请联系培训管理员。"
BIND_HINT = "如您是培训者，请向管理员索取邀请码，然后发送 /bind 邀请码。"


def file_url_for(base_url: str) -> str:
    """The file endpoint that goes with a Bot API endpoint: ``…/bot`` → ``…/file/bot`` (Telegram's layout)."""
    base = base_url.rstrip("/")
    head, sep, tail = base.rpartition("/")
    return f"{head}/file/{tail}" if sep and tail.startswith("bot") else f"{base}/file/bot"


def build_application(core: Services) -> Application[Any, Any, Any, Any, Any, Any]:
    settings = core.settings
    if not settings.telegram_token:
        raise ValueError("未配置 Telegram 机器人令牌：请设置环境变量 GUOPEI_TELEGRAM_TOKEN")
    services = BotServices(core)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Only user_data (pending quizzes, recent answers, follow-up history) is worth keeping across restarts.
    persistence = PicklePersistence(settings.data_dir / "telegram-state.pickle",
                                    store_data=PersistenceInput(bot_data=False, chat_data=False,
                                                                callback_data=False),
                                    update_interval=30)
    builder = (ApplicationBuilder().token(settings.telegram_token).persistence(persistence)
               .concurrent_updates(True).post_init(_post_init(services)))
    if settings.telegram_api_base_url:
        builder = (builder.base_url(settings.telegram_api_base_url)
                   .base_file_url(file_url_for(settings.telegram_api_base_url)))
    application = builder.build()
    register_handlers(application, services)
    application.add_error_handler(on_error)
    return application


def run_polling(core: Services) -> None:
    """``guopei bot telegram``: serve until interrupted. Registered under the ``guopei.channels`` entry
    point, so the command line starts the bot without importing it (channels and bots stay apart)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # every long poll would be logged otherwise
    application = build_application(core)
    core.start()
    log.info("正在检查知识库索引……")
    core.wait_ready()
    log.info("机器人已启动，按 Ctrl+C 停止。")
    try:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    finally:
        core.close()


def register_handlers(application: Application[Any, Any, Any, Any, Any, Any], services: BotServices) -> None:
    teacher, staff = TeacherHandlers(services), StaffHandlers(services)
    commands = {
        "start": teacher.start, "help": teacher.help, "plan": teacher.plan, "next": teacher.next,
        "progress": teacher.progress, "review": teacher.review, "feedback": teacher.feedback,
        "export": teacher.export,
        "resources": staff.list_resources, "replace": staff.replace, "delete": staff.delete, "grant": staff.grant,
        "invite": staff.invite, "bind": staff.bind, "stats": staff.stats, "eval": staff.eval,
        "jobs": staff.jobs, "cancel": staff.cancel, "comments": staff.comments,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(teacher.onboarding, pattern=r"^ob:"))
    application.add_handler(CallbackQueryHandler(teacher.quiz, pattern=r"^qz:"))
    application.add_handler(CallbackQueryHandler(teacher.rate, pattern=r"^fb:"))
    application.add_handler(CallbackQueryHandler(teacher.new_question, pattern=r"^nq$"))
    application.add_handler(CallbackQueryHandler(teacher.plan_button, pattern=r"^pl$"))
    application.add_handler(CallbackQueryHandler(teacher.task_callback, pattern=r"^q[amsx]:"))
    application.add_handler(MessageHandler(filters.Document.ALL, staff.document))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, teacher.text))
    application.add_handler(MessageHandler(filters.COMMAND, _unknown_command))


def _post_init(services: BotServices) -> Any:
    async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        restored = restore_reminders(application, services)
        log.info("已恢复 %d 个学习提醒", restored)
        await application.bot.set_my_commands(COMMANDS)
        for admin_id in services.core.settings.telegram_admin_ids:  # granted staff get theirs on /help or /grant
            await set_menu(application.bot, admin_id, "admin")
    return post_init


async def _unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text("没有这个命令。发送 /help 查看可用命令，或直接输入问题。")


def reply_for(error: BaseException | None) -> str:
    """What the user reads: the core's own words for a refusal — the same line the API's ``detail`` and the
    command line's stderr carry — and, for a staff-only action, how to become staff here; a short apology
    for anything else."""
    if isinstance(error, Forbidden) and "trainer" in error.roles:
        return f"{error}\n{BIND_HINT}"
    if isinstance(error, CoreError):
        return str(error)
    return APOLOGY


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Refusals from the core are answered in their own words; anything else is logged with its traceback
    for operators, and the teacher only ever sees a short apology."""
    text = reply_for(context.error)
    if text == APOLOGY:
        log.error("处理 Telegram 更新时出错：%r", update, exc_info=context.error)
    if not isinstance(update, Update):
        return
    if update.callback_query:
        try:  # a pop-up keeps the chat clean; it fails if the handler had already answered the tap
            await update.callback_query.answer(text[:200], show_alert=True)
            return
        except Exception:
            log.debug("无法以弹窗提示出错，改为发消息", exc_info=True)
    if update.effective_chat:
        try:
            await update.effective_chat.send_message(text)
        except Exception:  # the apology itself failed (network down): nothing more to tell anyone
            log.warning("无法发送出错提示", exc_info=True)
