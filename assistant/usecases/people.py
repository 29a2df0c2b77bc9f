"""Accounts, roles and invites: who an API token, a Telegram user or the local operator is, and may become."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from assistant.errors import InvalidInput, NotFound, Unauthenticated
from assistant.records.roles import ChannelRoleStore
from assistant.records.users import User, UserStore, check_role
from assistant.roles import Actor, Role, require

API = "api"
CLI = "cli"
WEB = "web"
OPERATOR_LABEL = "local"  # the operator's own learner label at the command line


class People:
    def __init__(self, users: UserStore, roles: ChannelRoleStore, admins: dict[str, Iterable[int | str]]) -> None:
        self.users = users
        self.roles = roles
        # Accounts that are admins by configuration (GUOPEI_TELEGRAM_ADMIN_IDS), whatever the table says, so
        # a deployment can never lock itself out.
        self.admins = {channel: frozenset(str(i) for i in ids) for channel, ids in admins.items()}

    # -- who is calling -----------------------------------------------------------------------------------
    def authenticate(self, token: str | None) -> Actor | None:
        """The API actor holding a bearer token, or None."""
        user = self.users.authenticate(token)
        return None if user is None else self.api_actor(user)

    @staticmethod
    def api_actor(user: User) -> Actor:
        return Actor(API, str(user.id), user.name, user.role, user_id=user.id)  # type: ignore[arg-type]

    @staticmethod
    def console_actor(user: User) -> Actor:
        """An account signed in to the web console: the same actor, role and records as with its token over
        the API, but its questions come through the console, so usage counts them under ``web``."""
        return replace(People.api_actor(user), via=WEB)

    @staticmethod
    def operator(label: str = OPERATOR_LABEL) -> Actor:
        """The person at the machine: every role's rights, no rate limit, and ``--user`` labels that are
        not accounts (so a typo is reported, not turned into a new teacher). The operator's own learner
        (``local``, used when no label is given) cannot be mistyped: it reads as empty until used."""
        return Actor(CLI, label, label, "admin", registered=label == OPERATOR_LABEL, local=True)

    def account(self, name: str) -> Actor:
        """A named account acting at the machine (``guopei --as NAME``): the same actor, role and records
        as when it signs in with its token over the API or the web console, so a refusal or a result
        there is the same here."""
        user = self.users.by_name((name or "").strip())
        if user is None:
            raise NotFound(f"找不到用户“{name}”")
        if not user.active:
            raise Unauthenticated(f"用户“{user.name}”的令牌已被吊销，请联系管理员")
        return self.api_actor(user)

    def owner(self, actor: Actor) -> Actor:
        """``actor`` with a ``users`` row to own what it uploads: the operator at the machine gets one
        (named ``cli:<label>``) the way a chat account of staff does, so every upload has an uploader."""
        if actor.user_id is not None:
            return actor
        return replace(actor, user_id=self.roles.account(actor.channel, actor.external_id, actor.role))

    def channel_role(self, channel: str, external_id: str) -> Role:
        if external_id in self.admins.get(channel, frozenset()):
            return "admin"
        return self.roles.role(channel, external_id) or "teacher"  # type: ignore[return-value]

    def channel_actor(self, channel: str, external_id: str, name: str = "") -> Actor:
        """A chat account as an actor; staff get a ``users`` row that owns their uploads and jobs."""
        role = self.channel_role(channel, external_id)
        user_id = self.roles.account(channel, external_id, role) if role != "teacher" else None
        return Actor(channel, external_id, name, role, user_id=user_id)

    # -- managing them ------------------------------------------------------------------------------------
    def add_user(self, actor: Actor, name: str, role: str) -> tuple[User, str]:
        require(actor, "users.manage")
        return self.users.add(name, role)

    def list_users(self, actor: Actor) -> list[User]:
        require(actor, "users.manage")
        return self.users.list()

    def revoke_user(self, actor: Actor, name: str) -> User:
        require(actor, "users.manage")
        return self.users.revoke(name)

    def reissue_user(self, actor: Actor, name: str, role: str | None = None) -> tuple[User, str]:
        require(actor, "users.manage")
        return self.users.reissue(name, role)

    def grant(self, actor: Actor, channel: str, external_id: str, role: str) -> Role:
        """Set a channel account's role (``teacher`` demotes); returns the role now in force."""
        require(actor, "roles.grant")
        check_role(role)
        if external_id in self.admins.get(channel, frozenset()) and role != "admin":
            raise InvalidInput("该用户是配置文件中的管理员，不能降级")
        self.roles.grant(channel, external_id, role, actor.key)
        return self.channel_role(channel, external_id)

    def invite(self, actor: Actor, role: str) -> str:
        require(actor, "invites.create")
        return self.roles.invite(role, actor.key)

    def bind(self, actor: Actor, code: str) -> Role:
        """Redeem an invite for the calling account; returns the role now in force."""
        configured = actor.external_id in self.admins.get(actor.channel, frozenset())
        self.roles.redeem(code, actor.channel, actor.external_id, keep_role=configured)
        return self.channel_role(actor.channel, actor.external_id)
