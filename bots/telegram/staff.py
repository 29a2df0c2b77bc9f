"""Trainer and admin handlers: document uploads, resource listing and deletion, roles, stats and evals.

A document sent to the bot goes through ``ResourceService.create`` — the very path the API's upload
route uses — so validation, attribution, rollback and the official-first rule are identical. Role
checks happen here, before any download, so a teacher's file is never fetched or stored.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from assistant.resources import ResourceForbidden, ResourceNotFound, Upload
from bots.telegram import render
from bots.telegram.roles import ROLE_LABELS, RoleError
from bots.telegram.services import BotServices, run
from corpus.documents import LoaderError

Ctx = ContextTypes.DEFAULT_TYPE
Handler = Callable[[Any, Update, Ctx], Awaitable[None]]
REFUSAL = {"trainer": "抱歉，该功能仅向培训者开放。如您是培训者，请向管理员索取邀请码，然后发送 /bind 邀请码。",
           "admin": "抱歉，该功能仅限管理员使用。"}


def require(role: str) -> Callable[[Handler], Handler]:
    """Refuse politely unless the user holds ``role`` (admins may do everything trainers may)."""
    allowed = ("trainer", "admin") if role == "trainer" else ("admin",)

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(self: StaffHandlers, update: Update, context: Ctx) -> None:
            if await run(self.s.roles.role, update.effective_user.id) not in allowed:
                await update.effective_message.reply_text(REFUSAL[role])
                return
            await handler(self, update, context)
        return wrapper
    return decorate


class StaffHandlers:
    def __init__(self, services: BotServices) -> None:
        self.s = services

    # -- trainers ---------------------------------------------------------------------------------
    @require("trainer")
    async def document(self, update: Update, context: Ctx) -> None:
        message = update.effective_message
        doc = message.document
        if doc.file_size and doc.file_size > self.s.settings.upload_max_bytes:
            await message.reply_text(f"文件过大，请控制在 {self.s.settings.upload_max_bytes // 1024 // 1024} MB 以内。")
            return
        await message.reply_text("已收到文件，正在建立索引……")
        data = bytes(await (await doc.get_file()).download_as_bytearray())
        upload = Upload(data=data, filename=doc.file_name or "upload.txt", title=(message.caption or "").strip())
        uploader = await run(self.s.roles.account, update.effective_user.id)
        try:
            outcome = await run(self.s.resources.create, upload, uploader)
        except LoaderError as exc:
            await message.reply_text(f"无法收录该文件：{exc}")
            return
        resource = outcome.resource
        chunks = await run(self.s.resources.chunks, resource["id"])
        await message.reply_text(f"{render.render_sources_outline(resource['title'], chunks)}\n\n"
                                 f"资源编号：<code>{resource['id']}</code>（删除请发送 /delete 编号）",
                                 parse_mode=ParseMode.HTML)

    @require("trainer")
    async def list_resources(self, update: Update, context: Ctx) -> None:
        rows = await run(self.s.resources.list)
        if not rows:
            await update.effective_message.reply_text("还没有上传的培训资源。发送文件（标题写在说明里）即可上传。")
            return
        lines = [f"<code>{r['id']}</code> 《{escape(r['title'])}》 {r['chunks']} 块 · "
                 f"{'已就绪' if r['status'] == 'ready' else r['status']}" for r in rows]
        for part in render.split_html("📚 <b>培训资源</b>\n" + "\n".join(lines)):
            await update.effective_message.reply_text(part, parse_mode=ParseMode.HTML)

    @require("trainer")
    async def delete(self, update: Update, context: Ctx) -> None:
        if not context.args:
            await update.effective_message.reply_text("用法：/delete 资源编号（发送 /resources 查看编号）")
            return
        user = update.effective_user
        uploader, role = await run(self.s.roles.account, user.id), await run(self.s.roles.role, user.id)
        try:
            removed = await run(self.s.resources.delete, context.args[0], uploader, role == "admin")
        except (ResourceNotFound, ResourceForbidden) as exc:
            await update.effective_message.reply_text(str(exc))
            return
        await update.effective_message.reply_text(f"已删除资源 {context.args[0]}（移除 {removed} 个文本块）。")

    # -- roles ------------------------------------------------------------------------------------
    @require("admin")
    async def grant(self, update: Update, context: Ctx) -> None:
        args = context.args or []
        if len(args) != 2 or not args[0].lstrip("-").isdigit():
            await update.effective_message.reply_text("用法：/grant 用户ID trainer|admin|teacher")
            return
        try:
            role = await run(self.s.roles.grant, int(args[0]), args[1], update.effective_user.id)
        except RoleError as exc:
            await update.effective_message.reply_text(str(exc))
            return
        await update.effective_message.reply_text(f"已将用户 {args[0]} 设为{ROLE_LABELS[role]}。")

    @require("admin")
    async def invite(self, update: Update, context: Ctx) -> None:
        role = (context.args or ["trainer"])[0]
        try:
            code = await run(self.s.roles.invite, role, update.effective_user.id)
        except RoleError as exc:
            await update.effective_message.reply_text(str(exc))
            return
        await update.effective_message.reply_text(
            f"一次性邀请码（{ROLE_LABELS[role]}）：<code>{code}</code>\n请转告对方向我发送：/bind {code}",
            parse_mode=ParseMode.HTML)

    async def bind(self, update: Update, context: Ctx) -> None:
        if not context.args:
            await update.effective_message.reply_text("用法：/bind 邀请码")
            return
        try:
            role = await run(self.s.roles.bind, context.args[0], update.effective_user.id)
        except RoleError as exc:
            await update.effective_message.reply_text(str(exc))
            return
        await update.effective_message.reply_text(f"绑定成功，您现在的身份是{ROLE_LABELS[role]}。"
                                                  "发送文件即可上传培训资源，/resources 查看已上传资源。")

    # -- admin reports ----------------------------------------------------------------------------
    @require("admin")
    async def stats(self, update: Update, context: Ctx) -> None:
        usage = await run(self.s.stats.summary)
        fb = await run(self.s.records.feedback.aggregate)
        asked = usage["questions"]
        rate = f"{usage['abstentions'] / asked:.0%}" if asked else "—"
        by_kind = "；".join(f"{k} {v['count']} 条，均分 {v['mean']}" for k, v in fb["by_kind"].items()) or "暂无"
        await update.effective_message.reply_text(
            f"📈 使用统计\n提问 {asked} 次，未找到依据而拒答 {usage['abstentions']} 次（{rate}）\n"
            f"近 {usage['days']} 天活跃教师 {usage['active_teachers']} 人，已注册 {usage['registered_teachers']} 人\n"
            f"匿名评价 {fb['count']} 条，平均 {fb['mean'] if fb['mean'] is not None else '—'} 分（{by_kind}）")

    @require("admin")
    async def eval(self, update: Update, context: Ctx) -> None:
        await update.effective_message.reply_text("开始运行评测（种子集），请稍候……")
        summary, report = await run(self._run_eval)
        line = (f"评测完成：{summary['n']} 题，recall@5 {summary.get('recall@5', 0):.3f}，"
                f"要点覆盖 {summary.get('must_include') or 0:.3f}，拒答准确率 {summary['abstention_accuracy']:.3f}，"
                f"延迟 p95 {summary['latency_p95_ms']:.0f} ms")
        await update.effective_message.reply_text(line)
        await update.effective_chat.send_document(io.BytesIO(report.read_bytes()), filename="report.html",
                                                  caption="评测报告（HTML）")

    def _run_eval(self) -> tuple[dict[str, Any], Path]:
        from evals.report import write_report  # evals sits above the assistant; imported only when asked
        from evals.runner import SEED_PATH, load_dataset, run_eval, write_run

        results = run_eval(self.s.assistant, load_dataset(SEED_PATH), k=5, progress=False)
        out = self.s.settings.data_dir / "evals" / datetime.now().strftime("%Y%m%d-%H%M%S")
        summary = write_run(results, out, dataset=SEED_PATH.stem, k=5)
        return summary, write_report(out, summary, results)
