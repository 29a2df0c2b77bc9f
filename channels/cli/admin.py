"""``guopei eval run``, ``guopei jobs …``, ``guopei users …``, ``guopei invite``, ``guopei stats`` and ``guopei comments``: administration from the machine itself."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.evalruns import EvalSpec
from assistant.labels import job_kind_label, job_outcome, status_label
from assistant.records.feedback import COMMENTS_LIMIT, comment_line, comments_heading
from assistant.records.teachers import beijing_time
from assistant.records.usage import accounts_line, channels_line, questions_line
from assistant.records.users import User
from assistant.roles import label as role_label
from assistant.services import Services
from assistant.usecases.people import People
from channels.cli import identity
from channels.cli.errors import BROKEN, REFUSED

OPERATOR = People.operator()
_RUN_META = ("dataset", "timestamp", "k", "split")
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]


def job_line(job: dict[str, Any]) -> str:
    """One row of ``guopei jobs list`` in the words the bot's /jobs and the console's library use (建索引, 失败),
    not the stored identifiers: a running job shows its progress and stage, a finished one how it ended and,
    if it failed, why (never 失败 5% 失败)."""
    cells = [job["id"], job_kind_label(job["kind"]), job["target"], status_label(job["status"])]
    if job["status"] in ("queued", "running"):
        cells += [f"{job['progress']:.0%}", job.get("stage") or ""]
    if job.get("error"):
        cells.append(job["error"])
    if said := job_outcome(job):
        cells.append(said)
    return "\t".join(cells).rstrip()


def _issued(user: User, token: str, said: str, as_json: bool) -> None:
    """A new token, shown this once: the line saying whose it is goes to stderr so stdout is the token alone,
    or with ``--json`` the account as ``users list --json`` has it, plus ``token``."""
    if as_json:
        typer.echo(json.dumps({**user.as_dict(), "token": token}, ensure_ascii=False))
        return
    typer.echo(said, err=True)
    typer.echo(token)


def register(app: typer.Typer, services: Callable[[], Services]) -> None:
    @app.command("eval")
    def eval_run(
        action: Annotated[str, typer.Argument(help="run")],
        datasets: Annotated[list[str], typer.Argument(
            help="评测集：JSONL 文件，或评测数据集目录中的名称（seed、kb 等；可多个，合并为一次运行）")],
        split: Annotated[str, typer.Option("--split", help="dev（调参用）、test（留出集）或 all")] = "all",
        out: Annotated[Path | None, typer.Option("--out", help="结果目录")] = None,
        k: Annotated[int, typer.Option("--k")] = 5,
        baseline: Annotated[Path | None, typer.Option("--baseline", help="与之比较的上一次运行目录")] = None,
        index: Annotated[list[Path] | None, typer.Option("--index", help="评测前先加入知识库的文件或目录")] = None,
        kb: Annotated[str | None, typer.Option(
            "--kb", help="declared（各评测集用其声明的知识库，本机操作员的默认）、eval、bundled 或 live"
                         "（当前知识库，以 --as 账号运行时的默认，也是账号唯一能用的）")] = None,
    ) -> None:
        """运行答案质量评测：guopei eval run DATASET… [--split test] [--out DIR] [--k 5]；DATASET 为文件或数据集名（如 seed）。

        与管理员在 API、机器人中发起的评测是同一个后台任务（在本进程内运行），可在 guopei jobs list 中看到。"""
        if action != "run":
            typer.echo("用法：guopei eval run DATASET… [--split dev|test|all] [--out DIR]", err=True)
            raise typer.Exit(REFUSED)
        # An account may only check the knowledge base teachers are answered from, so that is its default:
        # asking it to add --kb live said nothing it could choose otherwise.
        kb = kb or ("live" if identity.chosen() else "declared")
        core = services()
        if kb == "live":
            core.usecases.library.index(OPERATOR)
            core.readiness.indexed.set()
        spec = EvalSpec(tuple(datasets), split=split, k=k, kb=kb,
                        index=tuple(str(p) for p in index or ()), baseline=str(baseline) if baseline else None)
        run = core.usecases.admin.start_eval(identity.actor(services), spec, out_dir=out, wait=True)
        if run["status"] != "done":
            typer.echo(f"评测未完成：{run.get('detail', run['status'])}", err=True)
            raise typer.Exit(BROKEN)
        summary = {key: v for key, v in run["summary"].items() if key not in _RUN_META}
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        typer.echo(f"结果已写入 {run['out_dir']}（报告：{Path(run['out_dir']) / 'report.html'}）", err=True)

    jobs = typer.Typer(help="后台任务：上传建索引与评测", no_args_is_help=True)

    @jobs.command("list")
    def list_jobs(active: Annotated[bool, typer.Option("--active", help="只看排队或运行中的")] = False,
                  as_json: JsonOpt = False) -> None:
        """列出最近的后台任务及进度。"""
        rows = services().usecases.admin.jobs(identity.actor(services), active_only=active)
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False))
            return
        for j in rows:
            typer.echo(job_line(j))

    @jobs.command("cancel")
    def cancel_job(job_id: Annotated[str, typer.Argument(help="任务编号")]) -> None:
        """取消任务：排队的立即取消，运行中的在下一个检查点停止并撤销已写入的内容。"""
        job = services().usecases.admin.cancel_job(identity.actor(services), job_id)
        typer.echo(f"任务 {job['id']}：{'已取消' if job['status'] == 'cancelled' else '已请求取消，正在停止'}")

    app.add_typer(jobs, name="jobs")

    users = typer.Typer(help="API 用户与令牌管理", no_args_is_help=True)

    @users.command("add")
    def add(name: Annotated[str, typer.Argument(help="用户名（唯一）")],
            role: Annotated[str, typer.Option("--role", help="teacher | trainer | admin")] = "teacher",
            as_json: JsonOpt = False) -> None:
        """新建用户并打印令牌（只显示这一次，请妥善保存）。"""
        user, token = services().usecases.people.add_user(identity.actor(services), name, role)
        _issued(user, token, f"已创建用户 {user.name}（{role_label(user.role)}）。令牌只显示这一次：", as_json)

    @users.command("list")
    def list_users(as_json: JsonOpt = False) -> None:
        """列出用户（不显示令牌）。"""
        rows = services().usecases.people.list_users(identity.actor(services))
        if as_json:
            typer.echo(json.dumps([u.as_dict() for u in rows], ensure_ascii=False))
            return
        for u in rows:
            state = f"已吊销 {beijing_time(u.revoked_at)}" if u.revoked_at else "有效"
            typer.echo(f"{u.id}\t{u.name}\t{role_label(u.role)}\t{beijing_time(u.created_at)}\t{state}")

    @users.command("revoke")
    def revoke(name: Annotated[str, typer.Argument(help="用户名")]) -> None:
        """吊销用户的令牌，之后的请求一律 401。"""
        user = services().usecases.people.revoke_user(identity.actor(services), name)
        typer.echo(f"已吊销用户 {user.name} 的令牌")

    @users.command("reissue")
    def reissue(name: Annotated[str, typer.Argument(help="用户名")],
                role: Annotated[str | None, typer.Option("--role", help="同时改为 teacher | trainer | admin")] = None,
                as_json: JsonOpt = False) -> None:
        """重新发放令牌（令牌泄露、被吊销后恢复，或改变角色）：旧令牌和用它登录的网页会话立即失效，上传与学习记录不变。"""
        user, token = services().usecases.people.reissue_user(identity.actor(services), name, role)
        _issued(user, token, f"已为用户 {user.name}（{role_label(user.role)}）重新发放令牌。新令牌只显示这一次：", as_json)

    app.add_typer(users, name="users")

    @app.command()
    def invite(role: Annotated[str, typer.Argument(help="trainer | admin")] = "trainer",
               as_json: JsonOpt = False) -> None:
        """生成一次性邀请码：在机器人中发送 /bind 邀请码，或在网页控制台注册时使用。"""
        code = services().usecases.people.invite(identity.actor(services), role)
        typer.echo(json.dumps({"code": code, "role": role}, ensure_ascii=False) if as_json else code)

    @app.command()
    def stats(days: Annotated[int, typer.Option("--days", help="统计最近几天")] = 7,
              as_json: JsonOpt = False) -> None:
        """使用统计、匿名评价汇总与知识库概况。"""
        uc, actor = services().usecases, identity.actor(services)
        out = {"usage": uc.admin.usage_stats(actor, days), "knowledge_base": uc.library.stats(actor),
               "feedback": uc.learning.feedback_summary(actor)}
        if as_json:
            typer.echo(json.dumps(out, ensure_ascii=False))
            return
        usage, kb, fb = out["usage"], out["knowledge_base"], out["feedback"]
        typer.echo(f"{questions_line(usage)}；{accounts_line(usage)}")
        if by_channel := channels_line(usage):  # the surface each question came through, as the console shows
            typer.echo(by_channel)
        typer.echo(f"匿名评价 {fb['count']} 条，平均 {fb['mean'] if fb['mean'] is not None else '—'} 分")
        typer.echo(f"知识库：{len(kb['documents'])} 份文件，{kb['chunks']} 个文本块")

    @app.command()
    def comments(limit: Annotated[int, typer.Option("--limit", help="最多几条")] = COMMENTS_LIMIT,
                 offset: Annotated[int, typer.Option("--offset", help="跳过前几条（翻页）")] = 0,
                 target: Annotated[str | None, typer.Option(
                     "--target", help="只看某个评价对象（stats --json 中的 target_ref）或某份文件（文件编号）的评价")] = None,
                 as_json: JsonOpt = False) -> None:
        """匿名评语：最新的周在前，附评分、评价对象、渠道类别与所在周，不含评价人（管理员看全部，培训者看对本人上传资源的评价）。"""
        page = services().usecases.learning.feedback_comments(identity.actor(services), limit=limit, offset=offset,
                                                               target=target)
        if as_json:
            typer.echo(json.dumps(page, ensure_ascii=False))
            return
        typer.echo(comments_heading(page))
        for item in page["comments"]:
            typer.echo(comment_line(item))
