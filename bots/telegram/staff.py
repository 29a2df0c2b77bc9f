"""Trainer and admin handlers: document uploads, resource listing and deletion, roles, stats, comments, evals.

A document sent to the bot goes through the same use case as the API's upload route, so validation,
attribution, rollback and supervision are identical. The role check happens before any download, so a
teacher's file is never fetched or stored; the refusal itself is worded by the bot's error handler.
"""

from __future__ import annotations

import asyncio
import io
import re
from html import escape
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from assistant.evalruns import EvalSpec
from assistant.labels import feedback_kind_label, status_label
from assistant.records.feedback import COMMENTS_LIMIT, comment_line, comments_heading
from assistant.records.usage import accounts_line, channels_line, questions_line
from assistant.resource_changes import BLANK_TITLE_RULE
from assistant.resource_files import Upload
from assistant.roles import ROLE_LABELS, require
from bots.telegram import render
from bots.telegram.menu import set_menu
from bots.telegram.services import CHANNEL, BotServices, run

Ctx = ContextTypes.DEFAULT_TYPE
EVAL_POLL_SECONDS = 1.0
_NUMBER = re.compile(r"(-?\d+)(?:\s|$)")
REPLACE_USAGE = (f"替换资源：发送新版本的文件，并在文件的说明中写 /replace 资源编号（可在编号后写新标题；不写时，{BLANK_TITLE_RULE}）。"
                 "发送 /resources 查看编号。")


def comments_args(text: str) -> tuple[int, int, str | None]:
    """/comments' options in the command line's order (``--limit``, ``--offset``, ``--target``): up to two
    leading whole numbers are how many and how many to skip, and the rest of the line, spaces kept (an
    answer's section path has them), is the target. Any number reaches the core as typed, so 0 or -1 is
    refused in the words the command line and the API use."""
    _, _, rest = text.strip().partition(" ")
    numbers: list[int] = []
    rest = rest.strip()
    while len(numbers) < 2 and (m := _NUMBER.match(rest)):
        numbers.append(int(m[1]))
        rest = rest[m.end():].strip()
    limit, offset = [*numbers, *(COMMENTS_LIMIT, 0)[len(numbers):]]
    return limit, offset, rest or None


class StaffHandlers:
    def __init__(self, services: BotServices) -> None:
        self.s = services

    async def _actor(self, update: Update, action: str | None = None) -> Any:
        actor = await run(self.s.actor, update.effective_user)
        if action:
            require(actor, action)
        return actor

    # -- trainers ---------------------------------------------------------------------------------
    async def document(self, update: Update, context: Ctx) -> None:
        actor = await self._actor(update, "resources.write")
        message = update.effective_message
        doc = message.document
        limit = self.s.uc.library.max_bytes
        if doc.file_size and doc.file_size > limit:
            await message.reply_text(f"文件过大，请控制在 {limit // 1024 // 1024} MB 以内。")
            return
        # The caption is the title, or 「/replace 资源编号 [新标题]」 for a new version of that resource.
        caption = (message.caption or "").strip()
        command, _, rest = caption.partition(" ")
        replacing = command.split("@")[0] == "/replace"
        rid, _, title = rest.strip().partition(" ") if replacing else ("", "", caption)
        if replacing and not rid:
            await message.reply_text(REPLACE_USAGE)
            return
        if replacing:
            await run(self.s.uc.library.changeable, actor, rid)  # unknown or not theirs: said before downloading
        await message.reply_text("已收到文件，正在建立索引……")
        data = bytes(await (await doc.get_file()).download_as_bytearray())
        filename = doc.file_name or "upload.txt"
        if replacing:
            outcome = await run(self.s.uc.library.replace, actor, rid, data, filename, title=title.strip())
        else:
            outcome = await run(self.s.uc.library.upload, actor, Upload(data=data, filename=filename, title=title))
        resource = outcome.resource
        if outcome.job is not None:
            await message.reply_text(f"文件较大，正在后台建立索引（任务 {outcome.job['id']}）。"
                                     f"资源编号：{resource['id']}，稍后发送 /resources 查看状态。")
            return
        rid = resource["id"]
        said = "".join(f"\n\n⚠️ 注意：{escape(note)}" for note in outcome.notes)  # the title taken or kept, a wrong file
        await message.reply_text(f"{render.render_outline(resource, outcome.outline or [], '替换' if replacing else '收录')}"
                                 f"{said}\n\n资源编号：<code>{rid}</code>（更新：发送新文件并在说明中写 /replace {rid}；"
                                 "删除请发送 /delete 编号）", parse_mode=ParseMode.HTML)

    async def replace(self, update: Update, context: Ctx) -> None:
        """/replace sent as text: a new version comes as a document, so say how to send one."""
        await self._actor(update, "resources.write")
        await update.effective_message.reply_text(REPLACE_USAGE)

    async def list_resources(self, update: Update, context: Ctx) -> None:
        rows = await run(self.s.uc.library.list, await self._actor(update, "resources.read"))
        if not rows:
            await update.effective_message.reply_text("还没有上传的培训资源。发送文件（标题写在说明里）即可上传。")
            return
        lines = [f"<code>{r['id']}</code> 《{escape(r['title'])}》 {r['chunks']} 块 · "
                 f"{status_label(r['status'])}" for r in rows]
        for part in render.split_html("📚 <b>培训资源</b>\n" + "\n".join(lines)):
            await update.effective_message.reply_text(part, parse_mode=ParseMode.HTML)

    async def delete(self, update: Update, context: Ctx) -> None:
        actor = await self._actor(update, "resources.write")
        if not context.args:
            await update.effective_message.reply_text("用法：/delete 资源编号（发送 /resources 查看编号）")
            return
        removed = await run(self.s.uc.library.delete, actor, context.args[0])
        await update.effective_message.reply_text(f"已删除资源 {context.args[0]}（移除 {removed} 个文本块）。")

    # -- roles ------------------------------------------------------------------------------------
    async def grant(self, update: Update, context: Ctx) -> None:
        actor = await self._actor(update, "roles.grant")
        args = context.args or []
        if len(args) != 2 or not args[0].lstrip("-").isdigit():
            await update.effective_message.reply_text("用法：/grant 用户ID trainer|admin|teacher")
            return
        role = await run(self.s.uc.people.grant, actor, CHANNEL, args[0], args[1])
        await set_menu(context.bot, int(args[0]), role)  # a private chat's id is its user's id
        await update.effective_message.reply_text(f"已将用户 {args[0]} 设为{ROLE_LABELS[role]}。")

    async def invite(self, update: Update, context: Ctx) -> None:
        actor = await self._actor(update, "invites.create")
        role = (context.args or ["trainer"])[0]
        code = await run(self.s.uc.people.invite, actor, role)
        await update.effective_message.reply_text(
            f"一次性邀请码（{ROLE_LABELS[role]}）：<code>{code}</code>\n请转告对方向我发送：/bind {code}",
            parse_mode=ParseMode.HTML)

    async def bind(self, update: Update, context: Ctx) -> None:
        if not context.args:
            await update.effective_message.reply_text("用法：/bind 邀请码")
            return
        role = await run(self.s.uc.people.bind, await self._actor(update), context.args[0])
        if update.effective_chat:
            await set_menu(context.bot, update.effective_chat.id, role)
        await update.effective_message.reply_text(f"绑定成功，您现在的身份是{ROLE_LABELS[role]}。"
                                                  "发送文件即可上传培训资源，/resources 查看已上传资源；"
                                                  "发送 /help 查看您可用的全部命令。")

    # -- admin reports ----------------------------------------------------------------------------
    async def stats(self, update: Update, context: Ctx) -> None:
        actor = await self._actor(update, "stats.read")
        usage = await run(self.s.uc.admin.usage_stats, actor)
        fb = await run(self.s.uc.learning.feedback_summary, actor)
        kb = await run(self.s.uc.library.stats, actor)
        by_kind = "；".join(f"{feedback_kind_label(k)} {v['count']} 条，均分 {v['mean']}"
                           for k, v in fb["by_kind"].items()) or "暂无"
        lines = [f"📈 使用统计\n{questions_line(usage)}",
                 accounts_line(usage), channels_line(usage),
                 f"匿名评价 {fb['count']} 条，平均 {fb['mean'] if fb['mean'] is not None else '—'} 分（{by_kind}）",
                 f"知识库：{len(kb['documents'])} 份文件，{kb['chunks']} 个文本块"]
        await update.effective_message.reply_text("\n".join(line for line in lines if line))

    async def comments(self, update: Update, context: Ctx) -> None:
        """The newest comments, as the console and the command line list them, with the command line's
        options in its order: /comments [条数] [跳过条数] [评价对象或文件编号]. A page that leaves older
        comments unread ends with the command for the next one, as the console links to it."""
        actor = await self._actor(update, "feedback.comments")
        limit, offset, target = comments_args(update.effective_message.text or "")
        page = await run(self.s.uc.learning.feedback_comments, actor, limit=limit, offset=offset, target=target)
        lines = [f"💬 <b>{escape(comments_heading(page))}</b>", *(escape(comment_line(c)) for c in page["comments"])]
        if (after := page["offset"] + len(page["comments"])) < page["total"] and page["comments"]:
            more = f"/comments {page['limit']} {after}" + (f" {target}" if target else "")
            lines.append(f"更早的评语：发送 <code>{escape(more)}</code>")
        for part in render.split_html("\n".join(lines)):
            await update.effective_message.reply_text(part, parse_mode=ParseMode.HTML)

    async def jobs(self, update: Update, context: Ctx) -> None:
        jobs = await run(self.s.uc.admin.jobs, await self._actor(update, "jobs.read"))
        if not jobs:
            await update.effective_message.reply_text("没有后台任务。")
            return
        lines = [render.render_job(j) for j in jobs[:20]]
        for part in render.split_html("⚙️ <b>后台任务</b>\n" + "\n".join(lines)):
            await update.effective_message.reply_text(part, parse_mode=ParseMode.HTML)

    async def cancel(self, update: Update, context: Ctx) -> None:
        actor = await self._actor(update, "jobs.cancel")
        if not context.args:
            await update.effective_message.reply_text("用法：/cancel 任务编号（发送 /jobs 查看）")
            return
        job = await run(self.s.uc.admin.cancel_job, actor, context.args[0])
        state = "已取消" if job["status"] == "cancelled" else "已请求取消，任务将在下一个检查点停止"
        await update.effective_message.reply_text(f"任务 {job['id']}：{state}。")

    async def eval(self, update: Update, context: Ctx) -> None:
        actor = await self._actor(update, "evals.run")
        dataset = (context.args or ["seed"])[0]
        run_ = await run(self.s.uc.admin.start_eval, actor, EvalSpec((dataset,)))
        await update.effective_message.reply_text(f"开始运行评测（数据集 {dataset}，任务 {run_['id']}），请稍候……")
        while run_["status"] in ("queued", "running"):
            await asyncio.sleep(EVAL_POLL_SECONDS)
            run_ = await run(self.s.uc.admin.eval_status, actor, run_["id"])
        if run_["status"] != "done":
            await update.effective_message.reply_text(f"评测未完成：{run_.get('detail', run_['status'])}")
            return
        summary = run_["summary"]
        line = (f"评测完成：{summary['n']} 题，前 5 条含证据 {summary.get('recall@5', 0):.3f}，"
                f"要点覆盖 {summary.get('must_include') or 0:.3f}，拒答准确率 {summary['abstention_accuracy']:.3f}，"
                f"延迟 p95 {summary['latency_p95_ms']:.0f} ms")
        await update.effective_message.reply_text(line)
        report = await run(self.s.uc.admin.eval_report, actor, run_["id"])
        await update.effective_chat.send_document(io.BytesIO(Path(report).read_bytes()), filename="report.html",
                                                  caption="评测报告（HTML）")
