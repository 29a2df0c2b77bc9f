"""Teacher-facing handlers: onboarding, questions, quizzes, plans, progress, review and feedback.

Handlers only translate Telegram updates into use-case calls (run in worker threads) and render the
result (a model-written answer is shown as it is written: ``bots.telegram.streaming``); grading, credit,
review scheduling, plans, rate limits and anonymity all live in the core, and a refusal from it (a typed
error) is turned into a reply by the one error handler in ``bots.telegram.app``.
Per-user conversation state sits in ``user_data`` (persisted): recent answers behind the short callback
keys, the follow-up history, and pending quiz task ids — the tasks themselves are stored by the core, so
a pending quiz can be graded after a restart.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from assistant.companion import NotAnAnswer
from assistant.learning.tasks import ServedTask
from assistant.records import SCHOOL_LEVELS, STAGES, SUBJECTS
from assistant.roles import require
from assistant.usecases.learning import can_quiz
from bots.telegram import keyboards as kb
from bots.telegram import render
from bots.telegram.menu import help_text, set_menu
from bots.telegram.reminders import schedule_reminder
from bots.telegram.services import BotServices, run
from bots.telegram.streaming import ChatPacer, LiveAnswer

Ctx = ContextTypes.DEFAULT_TYPE
HTML = ParseMode.HTML
KEEP_ANSWERS = 20

PLAN_HINT = "点下面的「生成研修计划」，或发送 /plan，按您在 /start 设置的阶段、学科、学段排出每日学习任务。"
STILL_WAITING = "上面的小测还在等你的答案，这条问题没有记为作答：直接回复答案即可，不想作答可点「跳过这题」。"


class TeacherHandlers:
    def __init__(self, services: BotServices) -> None:
        self.s = services
        self.learning = services.uc.learning
        self.pacer = ChatPacer()

    async def _actor(self, update: Update) -> Any:
        return await run(self.s.actor, update.effective_user)

    # -- onboarding -------------------------------------------------------------------------------
    async def start(self, update: Update, context: Ctx) -> None:
        await run(self.learning.teacher, await self._actor(update))
        await update.effective_message.reply_text(
            "您好！我是国培助手，可以解答国培计划相关政策问题，并陪您学习、记录学分。\n\n"
            "先做个简单设置（可随时发送 /start 修改）。\n第 1 步：您目前的发展阶段是？",
            reply_markup=kb.stage_keyboard())

    async def help(self, update: Update, context: Ctx) -> None:
        """Role-aware: staff also read their commands, and their chat's menu is brought up to their role."""
        actor = await self._actor(update)
        if actor.role != "teacher" and update.effective_chat:
            await set_menu(context.bot, update.effective_chat.id, actor.role)
        await update.effective_message.reply_text(help_text(actor.role))

    async def onboarding(self, update: Update, context: Ctx) -> None:
        query = update.callback_query
        _, field, value = query.data.split(":", 2)
        actor = await self._actor(update)
        steps: dict[str, tuple[str, Any, str, Any]] = {
            "s": ("stage", STAGES, "第 2 步：您任教的学科是？", kb.subject_keyboard),
            "j": ("subject", SUBJECTS, "第 3 步：您任教的学段是？", kb.level_keyboard),
            "l": ("school_level", SCHOOL_LEVELS, "第 4 步：每天什么时间提醒您学习？（北京时间）",
                  kb.reminder_keyboard),
        }
        if field in steps:
            name, options, prompt, keyboard = steps[field]
            choice = options[int(value)]
            await run(self.learning.update_profile, actor, **{name: choice})
            await query.answer(f"已选择：{choice}")
            await query.edit_message_text(f"已选择：{choice}\n\n{prompt}", reply_markup=keyboard())
            return
        reminder = None if value == "off" else f"{value[:2]}:{value[2:]}"
        teacher = await run(self.learning.update_profile, actor, reminder_time=reminder)
        schedule_reminder(context.application, self.s, update.effective_user.id, reminder)
        await query.answer("设置完成")
        when = f"每天 {reminder} 提醒您学习" if reminder else "不发送学习提醒"
        await query.edit_message_text(
            f"设置完成：{teacher.stage}教师 · {teacher.subject} · {teacher.school_level}，{when}。\n\n"
            f"{help_text(actor.role)}")

    # -- questions --------------------------------------------------------------------------------
    async def text(self, update: Update, context: Ctx) -> None:
        typed = context.user_data.get("typed")
        if typed and typed in context.user_data.get("pending", {}):
            text = update.effective_message.text or ""
            if not await run(self.learning.reads_as_question, await self._actor(update), typed, text):
                await self._grade(update, context, typed, text, reply=True)
                return
            # A new question while a task waits (the core decides): answered, and the task stays open.
            await self.question(update, context)
            await update.effective_message.reply_text(STILL_WAITING)
            return
        await self.question(update, context)

    async def question(self, update: Update, context: Ctx) -> None:
        message = update.effective_message
        question = message.text or ""
        history = context.user_data.get("history", [])
        actor = await self._actor(update)
        live = LiveAnswer(message, self.pacer)
        out = await live.stream(lambda: self.s.uc.asking.ask_stream(actor, question, history))
        key = self._remember(context, question, out)
        await live.finish(render.render_answer(out), kb.answer_keyboard(key, can_quiz=can_quiz(out)))
        context.user_data["history"] = self.s.uc.asking.history_window(
            [*history, {"role": "user", "content": question}, {"role": "assistant", "content": out["answer"]}])

    @staticmethod
    def _remember(context: Ctx, question: str, out: dict[str, Any]) -> str:
        answers: dict[str, dict[str, str]] = context.user_data.setdefault("answers", {})
        key = secrets.token_hex(3)
        answers[key] = {"q": question, "ref": render.feedback_ref(out)}
        for old in list(answers)[:-KEEP_ANSWERS]:
            del answers[old]
        return key

    async def new_question(self, update: Update, context: Ctx) -> None:
        context.user_data["history"] = []
        await update.callback_query.answer("好的，换个话题")
        await update.effective_message.reply_text("请直接输入新的问题。")

    async def rate(self, update: Update, context: Ctx) -> None:
        query = update.callback_query
        _, sign, key = query.data.split(":", 2)
        entry = context.user_data.get("answers", {}).get(key, {})
        if entry.get("rated"):
            await query.answer("您已经评价过这条回答了，谢谢！")
            return
        entry["rated"] = True  # kept only in the bot's own state; the rating row carries no link back
        await run(self.learning.feedback, await self._actor(update), "answer", entry.get("ref", "回答"),
                  5 if sign == "+" else 1, "")
        await query.answer("感谢您的匿名评价！")

    async def feedback(self, update: Update, context: Ctx) -> None:
        args = context.args or []
        usage = "用法：/feedback 评分 意见，例如：/feedback 5 回答很清楚（评分为 1–5 的整数，匿名提交）"
        if not args or not args[0].isdigit():
            await update.effective_message.reply_text(usage)
            return
        await run(self.learning.feedback, await self._actor(update), "training", "国培助手", int(args[0]),
                  " ".join(args[1:]))
        await update.effective_message.reply_text("感谢您的匿名评价，我们会据此改进培训与答疑。")

    # -- quizzes ----------------------------------------------------------------------------------
    async def quiz(self, update: Update, context: Ctx) -> None:
        query = update.callback_query
        entry = context.user_data.get("answers", {}).get(query.data.split(":", 1)[1])
        if entry is None:
            await query.answer("这条回答已过期，请重新提问后再做小测。", show_alert=True)
            return
        await query.answer("正在出题……")
        offered = await run(self.learning.quiz, await self._actor(update), question=entry["q"])
        done = context.user_data.setdefault("done", [])
        task = next((t for t in offered.tasks if t.objective and t.id not in done), None) or next(
            (t for t in offered.tasks if t.objective), None)
        if task is None:
            await update.effective_message.reply_text(offered.message or "这个问题暂时出不了题，换个问题试试吧。")
            return
        if offered.message:  # the tasks are on related text: the question itself is not stated in the documents
            await update.effective_message.reply_text(offered.message)
        await self.send_task(update.effective_message, context, task)

    async def send_task(self, message: Message, context: Ctx, task: ServedTask) -> None:
        context.user_data.setdefault("pending", {})[task.id] = []
        if task.type in render.TYPED:
            context.user_data["typed"] = task.id
        await message.chat.send_message(render.render_task(task), parse_mode=HTML,
                                        reply_markup=kb.task_keyboard(task))

    async def task_callback(self, update: Update, context: Ctx) -> None:
        query = update.callback_query
        action, task_id, *rest = query.data.split(":")
        pending: dict[str, list[int]] = context.user_data.get("pending", {})
        if task_id not in pending:
            await query.answer("这道题已经作答过了。", show_alert=True)
            return
        if action == "qs" and not pending[task_id]:
            await query.answer("请先选择至少一个选项。", show_alert=True)
            return
        # Claimed before the first await, so a double tap (updates run concurrently) cannot grade twice.
        chosen = pending.pop(task_id) if action in ("qa", "qs", "qx") else pending[task_id]
        try:
            task = await run(self.learning.task, await self._actor(update), task_id)
            await self._on_task(update, context, action, task, chosen, rest)
        except BaseException:
            if action in ("qa", "qs"):
                pending.setdefault(task_id, chosen)  # failed on the way: let the teacher tap again
            raise

    async def _on_task(self, update: Update, context: Ctx, action: str, task: ServedTask, chosen: list[int],
                       rest: list[str]) -> None:
        query = update.callback_query
        if action == "qx":
            if context.user_data.get("typed") == task.id:
                context.user_data.pop("typed")
            await query.answer("已跳过")
            await query.edit_message_text(render.render_task(task) + "\n\n（已跳过）", parse_mode=HTML)
        elif action == "qm":
            picked = context.user_data["pending"][task.id] = sorted(set(chosen) ^ {int(rest[0])})
            await query.answer()
            await query.edit_message_text(render.render_task(task, picked), parse_mode=HTML,
                                          reply_markup=kb.task_keyboard(task, picked))
        elif action == "qs":
            await self._grade(update, context, task.id, [task.options[i] for i in chosen], task=task,
                              shown="、".join(f"{render.LETTERS[i]}. {task.options[i]}" for i in chosen))
        else:
            index = int(rest[0])
            if task.type == "true_false":
                response = shown = kb.true_false_response(index)
            else:
                response, shown = task.options[index], f"{render.LETTERS[index]}. {task.options[index]}"
            await self._grade(update, context, task.id, response, task=task, shown=shown)

    async def _grade(self, update: Update, context: Ctx, task_id: str, response: str | list[str],
                     task: ServedTask | None = None, reply: bool = False, shown: str = "") -> None:
        actor = await self._actor(update)
        task = task or await run(self.learning.task, actor, task_id)
        try:
            result = await run(self.learning.grade, actor, task_id, response)
        except NotAnAnswer as exc:  # nothing recorded: the task stays open for a real answer
            if reply:
                await update.effective_message.reply_text(str(exc))
            else:
                context.user_data.setdefault("pending", {}).setdefault(task_id, [])
                await update.callback_query.answer(str(exc), show_alert=True)
            return
        context.user_data.get("pending", {}).pop(task_id, None)
        if context.user_data.get("typed") == task_id:
            context.user_data.pop("typed")
        context.user_data.setdefault("done", []).append(task_id)
        del context.user_data["done"][:-200]
        text = render.render_graded(task, shown or (response if isinstance(response, str) else "、".join(response)),
                                    result)
        if reply:
            await update.effective_message.reply_text(text, parse_mode=HTML)
            return
        await update.callback_query.answer("回答正确！" if result["correct"] else "回答不正确")
        await update.callback_query.edit_message_text(text, parse_mode=HTML)

    # -- plans, progress, review --------------------------------------------------------------------
    async def plan(self, update: Update, context: Ctx) -> None:
        rebuild = bool(context.args) and context.args[0] in ("新", "new", "重新")
        plan = await run(self.learning.plan, await self._actor(update), rebuild=rebuild)
        await update.effective_message.reply_text(render.render_plan(plan), parse_mode=HTML)

    async def next(self, update: Update, context: Ctx) -> None:
        out = await run(self.learning.next_step, await self._actor(update))
        if not out["has_plan"] and not out["tasks"]:
            # Not a dead end: the same plan /plan builds, one tap away.
            await update.effective_message.reply_text(f"👉 {out['step']['message']}\n{PLAN_HINT}",
                                                      reply_markup=kb.make_plan_keyboard())
            return
        await update.effective_message.reply_text(f"👉 {out['step']['message']}")
        tasks = out["tasks"]
        task = next((t for t in tasks if t.objective), tasks[0] if tasks else None)
        if task is not None:
            await self.send_task(update.effective_message, context, task)

    async def plan_button(self, update: Update, context: Ctx) -> None:
        """「生成研修计划」 under /next: builds the plan as /plan does, then says what to do first."""
        await update.callback_query.answer("正在生成研修计划……")
        await self.plan(update, context)
        await self.next(update, context)

    async def _learner(self, update: Update, context: Ctx) -> tuple[Any, Any]:
        """The caller, and whose records they read: themselves, or the teacher named after the command
        (/progress 王老师), for staff only, by the rule of the API's /v1/teachers/{who} and the command line's
        --user. The name used to be ignored: an admin asking /progress 王老师 read their own empty record."""
        actor = await self._actor(update)
        who = " ".join(context.args or ())
        if not who:
            return actor, actor
        require(actor, "learners.read")  # refused as the API refuses /v1/teachers/{who}, not in --user's words
        return actor, await run(self.s.uc.learners.reading, actor, who)

    async def progress(self, update: Update, context: Ctx) -> None:
        actor, learner = await self._learner(update, context)
        p = await run(self.learning.progress, learner)
        await update.effective_message.reply_text(render.render_progress(p, _whose(actor, learner)), parse_mode=HTML)

    async def review(self, update: Update, context: Ctx) -> None:
        actor, learner = await self._learner(update, context)
        due = await run(self.learning.reviews, learner)
        await update.effective_message.reply_text(f"{_whose(actor, learner)}{due['message']}")
        if learner is actor:  # staff read another teacher's due tasks; they do not answer them
            for task in due["tasks"]:
                await self.send_task(update.effective_message, context, task)


    async def export(self, update: Update, context: Ctx) -> None:
        """The teacher's own records and credit ledger as the same CSV the API and the command line export."""
        actor, learner = await self._learner(update, context)
        text = await run(self.learning.export_csv, actor, learner)
        whose = _whose(actor, learner).removesuffix("：") or "您"
        await update.effective_chat.send_document(io.BytesIO(text.encode("utf-8")), filename="学习记录.csv",
                                                  caption=f"{whose}的学习记录与学时学分账本（CSV，可用表格软件打开）")


def _whose(actor: Any, learner: Any) -> str:
    """「王老师」： before another teacher's record, so staff never take it for their own; empty for one's own."""
    return "" if learner is actor else f"「{learner.name}」："
