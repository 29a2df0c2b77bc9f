"""First sign-in with an invite code: a person without a token becomes an account of the invited role.

Admins hand out one-time invite codes (``People.invite``). In a chat channel the code binds the chat
account; on the web there is no account yet, so redeeming it creates one — a ``users`` row of the
invite's role — and returns its token, shown once, with which the person signs in from then on. The
name is checked before the code is spent, so a taken name does not burn a valid invite.
"""

from __future__ import annotations

from assistant.errors import Conflict, InvalidInput
from assistant.records.roles import ChannelRoleStore
from assistant.records.users import User, UserStore

CHANNEL = "web"
MAX_NAME = 64


class Enrolment:
    def __init__(self, users: UserStore, roles: ChannelRoleStore) -> None:
        self.users = users
        self.roles = roles

    def join(self, code: str, name: str) -> tuple[User, str]:
        """Redeem ``code`` for a new account called ``name``; returns it with its token."""
        name = (name or "").strip()
        if not name:
            raise InvalidInput("请填写姓名或账号名，用于登录后显示")
        if len(name) > MAX_NAME:
            raise InvalidInput(f"名称太长，请控制在 {MAX_NAME} 个字以内")
        if not (code or "").strip():
            raise InvalidInput("请填写邀请码")
        if self.users.by_name(name) is not None:
            raise Conflict(f"名称“{name}”已被使用，请换一个")
        role = self.roles.redeem(code, CHANNEL, name)
        return self.users.add(name, role)
