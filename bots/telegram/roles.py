"""Who a Telegram user is to the bot: teacher (everyone by default), trainer or admin.

Roles live in ``telegram_roles`` rather than ``users`` because a Telegram account has no bearer token;
but a trainer's uploads must be attributable and owner-checked exactly like API uploads, so each
trainer/admin also gets a ``users`` row (``telegram:<id>``) whose id is passed to ``ResourceService``.
Its API token is generated and thrown away: the account can act only through the bot.
Admins listed in ``telegram_admin_ids`` are admins whatever the table says, so a deployment can never
lock itself out.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from assistant.api.auth import ROLES, UserError, UserStore
from assistant.db import Database

INVITABLE = ("trainer", "admin")
ROLE_LABELS = {"teacher": "教师", "trainer": "培训者", "admin": "管理员"}


class RoleError(ValueError):
    """A grant, invite or bind that cannot be done; the message is shown to the user as is."""


class RoleStore:
    def __init__(self, db: Database, admin_ids: Iterable[int] = ()) -> None:
        self.db = db
        self.users = UserStore(db)
        self.admin_ids = frozenset(int(i) for i in admin_ids)

    def role(self, telegram_id: int) -> str:
        if telegram_id in self.admin_ids:
            return "admin"
        row = self.db.conn.execute("SELECT role FROM telegram_roles WHERE telegram_id = ?",
                                   (telegram_id,)).fetchone()
        return row[0] if row else "teacher"

    def is_staff(self, telegram_id: int) -> bool:
        return self.role(telegram_id) in ("trainer", "admin")

    def grant(self, telegram_id: int, role: str, granted_by: int | None = None) -> str:
        """Set a role; granting ``teacher`` demotes. Returns the role now in force."""
        if role not in ROLES:
            raise RoleError(f"角色“{role}”无效，可选：teacher（教师）、trainer（培训者）、admin（管理员）")
        if telegram_id in self.admin_ids and role != "admin":
            raise RoleError("该用户是配置文件中的管理员，不能在机器人里降级")
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO telegram_roles (telegram_id, role, granted_by) VALUES (?, ?, ?)"
                " ON CONFLICT (telegram_id) DO UPDATE SET role = excluded.role, granted_by = excluded.granted_by,"
                " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", (telegram_id, role, granted_by))
        return self.role(telegram_id)

    def invite(self, role: str, created_by: int) -> str:
        """A one-time code; 12 url-safe characters are unguessable and still easy to forward."""
        if role not in INVITABLE:
            raise RoleError("邀请码只能用于 trainer（培训者）或 admin（管理员）")
        code = secrets.token_urlsafe(9)
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO telegram_invites (code, role, created_by) VALUES (?, ?, ?)",
                         (code, role, created_by))
        return code

    def bind(self, code: str, telegram_id: int) -> str:
        """Redeem an invite; the check and the mark-as-used share one transaction, so a code works once."""
        with self.db.transaction() as conn:
            row = conn.execute("SELECT role, used_by FROM telegram_invites WHERE code = ?",
                               ((code or "").strip(),)).fetchone()
            if row is None or row["used_by"] is not None:
                raise RoleError("邀请码无效或已被使用，请向管理员重新索取")
            conn.execute("UPDATE telegram_invites SET used_by = ?, used_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                         " WHERE code = ?", (telegram_id, code.strip()))
            if telegram_id not in self.admin_ids:
                conn.execute(
                    "INSERT INTO telegram_roles (telegram_id, role, granted_by) VALUES (?, ?, NULL)"
                    " ON CONFLICT (telegram_id) DO UPDATE SET role = excluded.role,"
                    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", (telegram_id, row["role"]))
        return self.role(telegram_id)

    def account(self, telegram_id: int) -> int:
        """The ``users`` id that owns this trainer's uploads, created on first use."""
        row = self.db.conn.execute("SELECT user_id FROM telegram_roles WHERE telegram_id = ?",
                                   (telegram_id,)).fetchone()
        if row and row[0] is not None:
            return int(row[0])
        name = f"telegram:{telegram_id}"
        existing = next((u for u in self.users.list() if u.name == name), None)
        if existing is None:
            try:
                existing, _token = self.users.add(name, self.role(telegram_id))
            except UserError:  # created by a concurrent upload a moment ago
                existing = next(u for u in self.users.list() if u.name == name)
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO telegram_roles (telegram_id, role, user_id) VALUES (?, ?, ?)"
                " ON CONFLICT (telegram_id) DO UPDATE SET user_id = excluded.user_id",
                (telegram_id, self.role(telegram_id), existing.id))
        return existing.id
