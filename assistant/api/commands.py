"""``guopei users …`` and ``guopei serve``: added to the main CLI by ``register(app)``.

The main CLI module belongs to the question/indexing side; this keeps user management and the server
next to the API they serve, so the CLI only needs one call.
"""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.api.auth import ROLES, UserError, UserStore
from assistant.db import Database
from assistant.settings import Settings


def _users() -> UserStore:
    return UserStore(Database(Settings().db_path))


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="API 用户与令牌管理", no_args_is_help=True)

    @users.command("add")
    def add(name: Annotated[str, typer.Argument(help="用户名（唯一）")],
            role: Annotated[str, typer.Option("--role", help="teacher | trainer | admin")] = "teacher") -> None:
        """新建用户并打印令牌（只显示这一次，请妥善保存）。"""
        if role not in ROLES:
            typer.echo(f"错误：角色“{role}”无效，应为 {' | '.join(ROLES)}", err=True)
            raise typer.Exit(2)
        try:
            user, token = _users().add(name, role)
        except UserError as exc:
            typer.echo(f"错误：{exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(f"已创建用户 {user.name}（{user.role}）。令牌只显示这一次：", err=True)
        typer.echo(token)

    @users.command("list")
    def list_users() -> None:
        """列出用户（不显示令牌）。"""
        for u in _users().list():
            state = f"已吊销 {u.revoked_at}" if u.revoked_at else "有效"
            typer.echo(f"{u.id}\t{u.name}\t{u.role}\t{u.created_at}\t{state}")

    @users.command("revoke")
    def revoke(name: Annotated[str, typer.Argument(help="用户名")]) -> None:
        """吊销用户的令牌，之后的请求一律 401。"""
        try:
            user = _users().revoke(name)
        except UserError as exc:
            typer.echo(f"错误：{exc}", err=True)
            raise typer.Exit(1) from exc
        typer.echo(f"已吊销用户 {user.name} 的令牌")

    app.add_typer(users, name="users")

    @app.command()
    def serve(host: Annotated[str | None, typer.Option(help="监听地址，默认取配置 GUOPEI_HOST")] = None,
              port: Annotated[int | None, typer.Option(help="监听端口，默认取配置 GUOPEI_PORT")] = None) -> None:
        """启动 HTTP API 服务（文档见 /docs）。"""
        import uvicorn

        from assistant.api.app import create_app

        settings = Settings()
        uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port)
