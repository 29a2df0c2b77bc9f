"""Console sessions: a signed cookie naming the account, and the CSRF token bound to it.

The cookie holds no token, only ``{user id, nonce, issued}`` with an HMAC over it, and is ``Secure``,
``HttpOnly`` and ``SameSite=Strict``: scripts cannot read it and other sites cannot send it. Every
request looks the account up again, so a revoked token ends its console sessions at once. Each browser
gets a nonce before signing in (so the login form has a CSRF token too); signing in issues a new one,
so a nonce planted before login is worthless after it. The CSRF token is an HMAC of the nonce: forms
carry it in a hidden field and scripts in the ``X-CSRF-Token`` header.

The signing key lives in the data directory (created once, mode 600), so sessions survive a restart
and every worker of one deployment agrees on it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

COOKIE = "guopei_console"
MAX_AGE = 12 * 3600
KEY_FILE = "console-secret.key"


@dataclass(frozen=True)
class Session:
    nonce: str
    user_id: int | None = None
    issued: int = 0

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def load_key(data_dir: Path) -> bytes:
    """The deployment's signing key, created on first use without ever being world-readable."""
    path = data_dir / KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
        raise RuntimeError(f"控制台密钥文件 {path} 已损坏，请删除后重启服务") from None
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


class Sessions:
    def __init__(self, key: bytes, *, max_age: int = MAX_AGE) -> None:
        self.key = key
        self.max_age = max_age
        self._ended: dict[str, int] = {}  # nonce -> issued, for sessions signed out before they expire
        self._lock = threading.Lock()

    def _sign(self, payload: bytes) -> str:
        return _b64(hmac.new(self.key, payload, hashlib.sha256).digest())

    def new(self, user_id: int | None = None) -> Session:
        return Session(secrets.token_urlsafe(16), user_id, int(time.time()))

    def dump(self, session: Session) -> str:
        payload = json.dumps({"n": session.nonce, "u": session.user_id, "t": session.issued},
                             separators=(",", ":")).encode()
        return f"{_b64(payload)}.{self._sign(payload)}"

    def load(self, cookie: str | None) -> Session | None:
        """The session a cookie carries, or None when it is missing, forged, expired or signed out."""
        if not cookie or "." not in cookie or len(cookie) > 512:
            return None
        body, signature = cookie.rsplit(".", 1)
        try:
            payload = _unb64(body)
            data = json.loads(payload)
        except (ValueError, json.JSONDecodeError):
            return None
        if not hmac.compare_digest(signature, self._sign(payload)) or not isinstance(data, dict):
            return None
        nonce, user_id, issued = data.get("n"), data.get("u"), data.get("t")
        if not isinstance(nonce, str) or not isinstance(issued, int) or not (user_id is None or
                                                                             isinstance(user_id, int)):
            return None
        if time.time() - issued > self.max_age:
            return None
        with self._lock:
            if nonce in self._ended:
                return None
        return Session(nonce, user_id, issued)

    def end(self, session: Session) -> None:
        """Refuse this session's cookie from now on; entries leave the list once the cookie has expired anyway."""
        cutoff = int(time.time()) - self.max_age
        with self._lock:
            self._ended[session.nonce] = session.issued
            for nonce in [n for n, issued in self._ended.items() if issued < cutoff]:
                del self._ended[nonce]

    def csrf(self, session: Session) -> str:
        return _b64(hmac.new(self.key, f"csrf|{session.nonce}".encode(), hashlib.sha256).digest())[:32]

    def csrf_ok(self, session: Session, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf(session), token or "")
