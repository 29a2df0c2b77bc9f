"""What each role is told it can do: the /help text and the command menu, teacher's and staff's.

An admin or trainer who opened /help saw only the teacher's commands, and had to read the README to find
/stats or /resources. Who may run a command is the core's permission table (``assistant.roles``); this
module only lists the bot's staff commands beside the action each one needs, so /help and the menu show a
role exactly the commands the core will let it run. The menu is set per chat (Telegram's chat scope), since
the default menu is every user's: for configured admins at start-up, and for anyone staff when they ask for
/help or are granted a role.
"""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat

from assistant.roles import ROLE_LABELS, Role, allowed

log = logging.getLogger(__name__)

HELP = ("直接发送问题即可，我会依据国培计划文件作答并注明出处。\n"
        "/plan 研修计划　/next 下一步学什么　/progress 学习进度\n"
        "/review 错题复习　/export 导出学习记录　/feedback 评分 意见（匿名，1–5 分）　/start 重新设置资料")
COMMANDS = [
    BotCommand("start", "开始使用 / 修改个人资料"), BotCommand("plan", "我的研修计划"),
    BotCommand("next", "下一步学什么"), BotCommand("progress", "学习进度与学分"),
    BotCommand("review", "错题复习"), BotCommand("export", "导出我的学习记录与学分（CSV）"),
    BotCommand("feedback", "匿名评价：/feedback 评分 意见"),
    BotCommand("help", "使用说明"),
]
# (command, how to use it, what it does, the core action it needs); None: shown as a line, not a command.
STAFF_COMMANDS: tuple[tuple[str | None, str, str, str], ...] = (
    (None, "发送文档（说明文字作标题）", "上传培训资源并建立索引", "resources.write"),
    ("replace", "发送文档，说明写 /replace 资源编号 [新标题]", "替换为新版本（不写标题时，填写过的标题保留、取自文件的标题随新文件）", "resources.write"),
    ("resources", "/resources", "培训资源列表", "resources.read"),
    ("delete", "/delete 资源编号", "删除培训资源", "resources.write"),
    ("jobs", "/jobs", "后台任务与进度", "jobs.read"),
    ("cancel", "/cancel 任务编号", "取消后台任务", "jobs.cancel"),
    ("stats", "/stats", "使用统计与知识库概况", "stats.read"),
    ("comments", "/comments [条数] [跳过条数] [评价对象或文件编号]",
     "最新的匿名评语（培训者只看对自己上传资源的评价；可翻页、只看某个对象或文件）", "feedback.comments"),
    (None, "/progress、/review、/export 后写教师的账号名或教师编号", "查看该教师的进度、错题与学习记录", "learners.read"),
    ("eval", "/eval [数据集名]", "运行评测并发回报告（默认 seed）", "evals.run"),
    ("grant", "/grant 用户ID trainer|admin|teacher", "设置用户角色", "roles.grant"),
    ("invite", "/invite trainer|admin", "生成一次性邀请码（对方发送 /bind 邀请码）", "invites.create"),
)


def staff_commands(role: Role) -> list[tuple[str | None, str, str]]:
    """The staff commands the core lets ``role`` run: none for a teacher."""
    return [(name, usage, what) for name, usage, what, action in STAFF_COMMANDS if role in allowed(action)]


def help_text(role: Role) -> str:
    """The teacher's help, and for staff a section with the commands of their role."""
    staff = staff_commands(role)
    if not staff:
        return HELP
    lines = [f"{usage}　{what}" for _, usage, what in staff]
    return f"{HELP}\n\n{ROLE_LABELS[role]}命令：\n" + "\n".join(lines)


def commands_for(role: Role) -> list[BotCommand]:
    return COMMANDS + [BotCommand(name, what[:256]) for name, _, what in staff_commands(role) if name]


async def set_menu(bot: Bot, chat_id: int, role: Role) -> None:
    """This chat's command menu for ``role``; a teacher's chat falls back to the default menu. A failure is
    logged, never shown: the menu is a convenience and /help says the same."""
    scope = BotCommandScopeChat(chat_id)
    try:
        if staff_commands(role):
            await bot.set_my_commands(commands_for(role), scope=scope)
        else:
            await bot.delete_my_commands(scope=scope)
    except Exception:
        log.warning("无法设置聊天 %s 的命令菜单", chat_id, exc_info=True)
