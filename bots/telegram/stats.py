"""Usage counters for ``/stats``: kept in SQLite so they survive restarts and are shared by bot processes.

Only counts and each account's last active day are stored — never the questions themselves — so the
admin view cannot be used to read what a particular teacher asked.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from assistant.db import Database
from assistant.records.teachers import local_date, utc_now


class BotStats:
    def __init__(self, db: Database) -> None:
        self.db = db

    def question(self, telegram_id: int, abstained: bool) -> None:
        today = local_date(utc_now()).isoformat()
        with self.db.transaction() as conn:
            for name in ("questions", *(("abstentions",) if abstained else ())):
                conn.execute("INSERT INTO telegram_counters (name, value) VALUES (?, 1)"
                             " ON CONFLICT (name) DO UPDATE SET value = value + 1", (name,))
            conn.execute("INSERT INTO telegram_activity (telegram_id, last_seen) VALUES (?, ?)"
                         " ON CONFLICT (telegram_id) DO UPDATE SET last_seen = excluded.last_seen",
                         (telegram_id, today))

    def summary(self, days: int = 7) -> dict[str, Any]:
        conn = self.db.conn
        counters = {r[0]: r[1] for r in conn.execute("SELECT name, value FROM telegram_counters")}
        since = (local_date(utc_now()) - timedelta(days=days - 1)).isoformat()
        active = conn.execute("SELECT COUNT(*) FROM telegram_activity WHERE last_seen >= ?", (since,)).fetchone()[0]
        registered = conn.execute("SELECT COUNT(*) FROM teacher_channels WHERE channel = 'telegram'").fetchone()[0]
        return {"questions": counters.get("questions", 0), "abstentions": counters.get("abstentions", 0),
                "active_teachers": active, "registered_teachers": registered, "days": days}
