"""The SQLite database that holds everything about people: teachers, attempts, credits, users, feedback.

Schema changes are append-only numbered SQL files in ``assistant/migrations`` (``0001_teachers.sql``,
``0002_…``); a migration that has run is never edited, a change is a new file. Each connection runs in
WAL mode with a busy timeout, so many threads (API workers, bot handlers) can write without "database is
locked" errors; writers that must not interleave use ``transaction()`` (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_migrate_lock = threading.Lock()


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) in order; numbers must be unique."""
    found = []
    for entry in resources.files("assistant").joinpath("migrations").iterdir():
        m = _MIGRATION.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if len(numbers) != len(set(numbers)):
        raise RuntimeError(f"迁移编号重复：{numbers}")
    return found


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the schema brought up to date. One connection per thread."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    migrate(conn)
    return conn


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet recorded; returns the names applied.

    Whether a migration has run is read inside the same write transaction that applies it, so two
    processes opening a new database at once cannot both apply it (the second sees the first's row).
    """
    applied: list[str] = []
    with _migrate_lock:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
        done = {row[0] for row in conn.execute("SELECT number FROM schema_migrations")}
        for number, name, sql in migrations():
            if number in done:  # a cheap first look; the decision is made under the write lock below
                continue
            with transaction(conn):
                if conn.execute("SELECT 1 FROM schema_migrations WHERE number = ?", (number,)).fetchone():
                    continue
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations (number, name) VALUES (?, ?)", (number, name))
            applied.append(name)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration file into statements at line-ending ';'.

    A ';' that ends a line only ends a statement when SQLite agrees the text so far is complete, so
    ``CREATE TRIGGER … BEGIN …; END;`` bodies and string literals holding ';' stay in one piece.
    """
    statements: list[str] = []
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if re.search(r";\s*$", line) and sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT: takes the write lock up front so check-then-write sequences cannot race."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Database:
    """Hands each thread its own connection to one database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        connect(path).close()  # migrate once, up front

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.path)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with transaction(self.conn) as conn:
            yield conn
