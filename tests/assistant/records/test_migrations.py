from __future__ import annotations

import sqlite3

from assistant.db import _statements, connect, migrations


def test_splitter_keeps_trigger_bodies_and_string_semicolons_whole() -> None:
    sql = ("-- note\nCREATE TABLE a (x TEXT DEFAULT 'p;\n');\n"
           "CREATE TRIGGER t BEFORE DELETE ON a\nBEGIN\n    SELECT RAISE(ABORT, 'no');\n    SELECT 1;\nEND;\n"
           "CREATE INDEX i ON a(x);\n")
    parts = _statements(sql)
    assert len(parts) == 3
    assert parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")
    conn = sqlite3.connect(":memory:")
    for p in parts:
        conn.execute(p)


def test_records_migrations_are_in_our_range_and_apply(tmp_path) -> None:
    numbers = [n for n, _, _ in migrations() if n > 1]
    assert numbers and all(2 <= n <= 149 for n in numbers)
    conn = connect(tmp_path / "m.sqlite3")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    assert {"teachers", "teacher_channels", "tasks", "attempts", "credit_ledger", "reviews", "plans", "feedback",
            "credit_ledger_no_update", "credit_ledger_no_delete"} <= tables
