"""Roles of channel accounts (a Telegram user and the like) and one-time invite codes.

A channel account with no row here is a teacher. A trainer or admin also gets a ``users`` row (named
``<channel>:<id>``) whose id owns their uploads and jobs, so they are attributed and owner-checked exactly
like an API user's; its token is generated and thrown away, so the account can act only through its channel.
"""

from __future__ import annotations

import secrets

from assistant.db import Database
from assistant.errors import InvalidInput
from assistant.records.users import UserStore, check_role
from assistant.roles import INVITABLE, ROLE_LABELS

_NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


class ChannelRoleStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.users = UserStore(db)

    def role(self, channel: str, external_id: str) -> str | None:
        row = self.db.conn.execute("SELECT role FROM channel_roles WHERE channel = ? AND external_id = ?",
                                   (channel, external_id)).fetchone()
        return row[0] if row else None

    def grant(self, channel: str, external_id: str, role: str, granted_by: str | None) -> None:
        check_role(role)
        with self.db.transaction() as conn:
            conn.execute(
                "INSERT INTO channel_roles (channel, external_id, role, granted_by) VALUES (?, ?, ?, ?)"
                f" ON CONFLICT (channel, external_id) DO UPDATE SET role = excluded.role,"
                f" granted_by = excluded.granted_by, updated_at = {_NOW}", (channel, external_id, role, granted_by))
            self._sync_user_role(conn, channel, external_id)

    def invite(self, role: str, created_by: str) -> str:
        """A one-time code; 12 url-safe characters are unguessable and still easy to forward."""
        if role not in INVITABLE:
            raise InvalidInput("邀请码只能用于 " + "、".join(f"{r}（{ROLE_LABELS[r]}）" for r in INVITABLE))
        code = secrets.token_urlsafe(9)
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO invites (code, role, created_by) VALUES (?, ?, ?)", (code, role, created_by))
        return code

    def redeem(self, code: str, channel: str, external_id: str, keep_role: bool = False) -> str:
        """Redeem an invite; the check and the mark-as-used share one transaction, so a code works once.
        ``keep_role`` marks the code used without changing a role fixed by configuration. Returns the role."""
        code = (code or "").strip()
        with self.db.transaction() as conn:
            row = conn.execute("SELECT role, used_by FROM invites WHERE code = ?", (code,)).fetchone()
            if row is None or row["used_by"] is not None:
                raise InvalidInput("邀请码无效或已被使用，请向管理员重新索取")
            conn.execute(f"UPDATE invites SET used_by = ?, used_at = {_NOW} WHERE code = ?",
                         (f"{channel}:{external_id}", code))
            if not keep_role:
                conn.execute(
                    "INSERT INTO channel_roles (channel, external_id, role) VALUES (?, ?, ?)"
                    f" ON CONFLICT (channel, external_id) DO UPDATE SET role = excluded.role, updated_at = {_NOW}",
                    (channel, external_id, row["role"]))
                self._sync_user_role(conn, channel, external_id)
        return str(row["role"])

    def account(self, channel: str, external_id: str, role: str) -> int:
        """The ``users`` id that owns this account's uploads and jobs, created on first use."""
        row = self.db.conn.execute("SELECT user_id FROM channel_roles WHERE channel = ? AND external_id = ?",
                                   (channel, external_id)).fetchone()
        if row and row[0] is not None:
            return int(row[0])
        name = f"{channel}:{external_id}"
        user = self.users.by_name(name)
        if user is None:
            try:
                user, _token = self.users.add(name, role)
            except Exception:  # created by a concurrent request a moment ago
                user = self.users.by_name(name)
                if user is None:
                    raise
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO channel_roles (channel, external_id, role, user_id) VALUES (?, ?, ?, ?)"
                         " ON CONFLICT (channel, external_id) DO UPDATE SET user_id = excluded.user_id",
                         (channel, external_id, role, user.id))
        return user.id

    @staticmethod
    def _sync_user_role(conn: object, channel: str, external_id: str) -> None:
        """Keep the linked ``users`` row's role equal to the channel role (it is what API checks would see)."""
        conn.execute(  # type: ignore[attr-defined]
            "UPDATE users SET role = (SELECT role FROM channel_roles WHERE channel = ? AND external_id = ?)"
            " WHERE id = (SELECT user_id FROM channel_roles WHERE channel = ? AND external_id = ?)",
            (channel, external_id, channel, external_id))
