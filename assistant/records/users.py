"""Accounts with a role and a bearer token: the ``users`` table, and the only place that sees token hashes.

Tokens are 32 random bytes (``secrets.token_urlsafe``), so guessing is hopeless and a salted SHA-256 is
enough to keep a leaked database from handing out working tokens; the slow KDFs exist for low-entropy
passwords, which these are not. A token is shown once, at creation, and never stored in the clear.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
import unicodedata
from dataclasses import dataclass

from assistant.db import Database
from assistant.errors import Conflict, InvalidInput, NotFound
from assistant.roles import ROLE_LABELS, ROLES
from corpus.text import name_key


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    created_at: str
    revoked_at: str | None = None
    token_issued_at: int = 0  # console sessions signed in before this (Unix seconds) ended with the old token

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "role": self.role, "created_at": self.created_at,
                "revoked_at": self.revoked_at}


def _hash(salt: str, token: str) -> str:
    return hashlib.sha256(f"{salt}:{token}".encode()).hexdigest()


def _user(row: sqlite3.Row) -> User:
    return User(row["id"], row["name"], row["role"], row["created_at"], row["revoked_at"], row["token_issued_at"])


def clean_name(name: str) -> str:
    """A name as shown: width-normalised, without invisible characters (zero-width, direction overrides),
    which would let two accounts look the same (王管理 and 王\u200b管理)."""
    kept = "".join(ch for ch in unicodedata.normalize("NFKC", name or "") if unicodedata.category(ch)[0] != "C")
    return " ".join(kept.split())


def _alike(conn: sqlite3.Connection, name: str) -> sqlite3.Row | None:
    """The user named ``name`` exactly, else the one whose name differs only in spacing and width
    (``corpus.text.name_key``): 「李 老师」 next to 「李老师」 would look like one person in every list."""
    exact: sqlite3.Row | None = conn.execute("SELECT * FROM users WHERE name = ?", (clean_name(name),)).fetchone()
    if exact is not None:
        return exact
    key = name_key(name)
    return next((r for r in conn.execute("SELECT * FROM users ORDER BY id") if key and name_key(r["name"]) == key),
                None)


def check_role(role: str) -> str:
    if role not in ROLES:
        choices = "、".join(f"{r}（{ROLE_LABELS[r]}）" for r in ROLES)
        raise InvalidInput(f"角色“{role}”无效，应为{choices}之一")  # no spaces inside a Chinese sentence
    return role


class UserStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, name: str, role: str) -> tuple[User, str]:
        """Create a user and return it with its token — the only time the token exists in the clear."""
        name = clean_name(name)
        if not name:
            raise InvalidInput("用户名不能为空")
        check_role(role)
        token = secrets.token_urlsafe(32)
        salt = secrets.token_hex(16)
        try:
            with self.db.transaction() as conn:
                alike = _alike(conn, name)
                if alike is not None and alike["name"] != name:
                    raise Conflict(f"用户“{name}”与已有的“{alike['name']}”只差空格或全角、半角，会被当作同一个名字；"
                                   f"请换一个名称，或继续使用“{alike['name']}”")
                cur = conn.execute("INSERT INTO users (name, role, token_salt, token_hash) VALUES (?, ?, ?, ?)",
                                   (name, role, salt, _hash(salt, token)))
                row = conn.execute("SELECT * FROM users WHERE id = ?", (cur.lastrowid,)).fetchone()
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"用户“{name}”已存在") from exc
        return _user(row), token

    def list(self) -> list[User]:
        return [_user(r) for r in self.db.conn.execute("SELECT * FROM users ORDER BY id")]

    def get(self, user_id: int) -> User | None:
        row = self.db.conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return _user(row) if row else None

    def by_name(self, name: str) -> User | None:
        """The account of this name, written as it was or differing only in spacing and width (李 老师 is 李老师)."""
        row = _alike(self.db.conn, name)
        return _user(row) if row else None

    def reissue(self, name: str, role: str | None = None) -> tuple[User, str]:
        """A new token for an account (revoked or not), optionally with a new role; the old token and every
        console session signed in with it stop working. The account keeps its id, so its uploads and
        learning records stay its own."""
        if role is not None:
            check_role(role)
        token = secrets.token_urlsafe(32)
        salt = secrets.token_hex(16)
        with self.db.transaction() as conn:
            row = _alike(conn, name)
            if row is None:
                raise NotFound(f"找不到用户“{name}”")
            conn.execute("UPDATE users SET token_salt = ?, token_hash = ?, revoked_at = NULL, role = ?, "
                         "token_issued_at = ? WHERE id = ?",
                         (salt, _hash(salt, token), role or row["role"], int(time.time()) + 1, row["id"]))
            row = conn.execute("SELECT * FROM users WHERE id = ?", (row["id"],)).fetchone()
        return _user(row), token

    def revoke(self, name: str) -> User:
        with self.db.transaction() as conn:
            row = _alike(conn, name)
            if row is None:
                raise NotFound(f"找不到用户“{name}”")
            if row["revoked_at"] is None:
                conn.execute("UPDATE users SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
                             (row["id"],))
            row = conn.execute("SELECT * FROM users WHERE id = ?", (row["id"],)).fetchone()
        return _user(row)

    def authenticate(self, token: str | None) -> User | None:
        """The active user holding ``token``.

        Salted hashes cannot be looked up by value, so every active user is compared in constant time;
        a deployment has hundreds of users, not millions, and one SHA-256 each is microseconds.
        """
        if not token or len(token) > 256:
            return None
        found: User | None = None
        for row in self.db.conn.execute("SELECT * FROM users WHERE revoked_at IS NULL"):
            if hmac.compare_digest(_hash(row["token_salt"], token), row["token_hash"]):
                found = _user(row)
        return found
