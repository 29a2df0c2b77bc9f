"""Who may do what: the three roles, their Chinese names, the actor of a use case and the permission table.

Roles are a core concept, not a detail of one channel: an API user, a Telegram account and the local
operator at the command line are all an ``Actor`` with a role, and every use case checks the same table.
The API reads the table to document each route's roles, the bot to refuse politely before downloading a
file; neither keeps rules of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from assistant.errors import Forbidden

Role = Literal["teacher", "trainer", "admin"]
ROLES: tuple[str, ...] = get_args(Role)
ROLE_LABELS = {"teacher": "教师", "trainer": "培训者", "admin": "管理员"}
ANY_ROLE: tuple[Role, ...] = ("teacher", "trainer", "admin")
STAFF: tuple[Role, ...] = ("trainer", "admin")
ADMIN: tuple[Role, ...] = ("admin",)
INVITABLE: tuple[Role, ...] = ("trainer", "admin")

# Every guarded action and the roles allowed to do it. Teachers' own learning actions are open to every
# role (a trainer can study too), so only what is narrower is listed.
PERMISSIONS: dict[str, tuple[Role, ...]] = {
    "ask": ANY_ROLE,
    "learn": ANY_ROLE,
    "feedback.submit": ANY_ROLE,
    "learners.read": STAFF,  # one named teacher's progress and records (the cohort is stats.read)
    "resources.read": STAFF,
    "resources.write": STAFF,
    "jobs.read": STAFF,
    "jobs.cancel": ADMIN,
    "feedback.summary": ADMIN,
    "feedback.comments": STAFF,  # an admin reads every comment, a trainer those on their own uploads
    "users.manage": ADMIN,
    "roles.grant": ADMIN,
    "invites.create": ADMIN,
    "evals.run": ADMIN,
    "stats.read": ADMIN,
}


@dataclass(frozen=True)
class Actor:
    """Whoever a use case runs for.

    ``channel``/``external_id`` name the account on its channel (``api``/user id, ``telegram``/chat user
    id, ``cli``/the ``--user`` label); ``user_id`` is the ``users`` row that owns uploads and jobs, when
    there is one. ``registered`` is false for a free-text label that may be a typo (the CLI's ``--user``),
    so reading someone's records never invents them. ``local`` marks the operator at the machine itself,
    who is not rate limited. ``via`` is the surface the request came through when that is not the
    account's own channel: an API account acting at the command line (``guopei --as``) keeps its ``api``
    identity and records, but its questions were asked through ``cli``, and usage counts say so.
    """

    channel: str
    external_id: str
    name: str = ""
    role: Role = "teacher"
    user_id: int | None = None
    registered: bool = True
    local: bool = False
    via: str = ""

    @property
    def key(self) -> str:
        return f"{self.channel}:{self.external_id}"

    @property
    def surface(self) -> str:
        """The channel this request came through (for usage counts and feedback), not whose account it is."""
        return self.via or self.channel

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def allowed(action: str) -> tuple[Role, ...]:
    return PERMISSIONS[action]


def label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def refusal(roles: tuple[str, ...], role: str) -> str:
    need = "、".join(ROLE_LABELS[r] for r in roles)
    return f"权限不足：该操作仅限{need}，当前身份为{label(role)}"


def require(actor: Actor, action: str) -> None:
    """Raise ``Forbidden`` unless the actor's role may do ``action``."""
    roles = allowed(action)
    if actor.role not in roles:
        raise Forbidden(refusal(roles, actor.role), roles)
