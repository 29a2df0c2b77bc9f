import sqlite3
import threading

from assistant.db import Database, connect, migrate, migrations


def test_migrations_are_numbered_uniquely_and_applied_once(tmp_path):
    names = [name for _, name, _ in migrations()]
    assert names and names == sorted(names)
    conn = connect(tmp_path / "a.sqlite3")
    assert migrate(conn) == []  # connect already applied everything
    rows = conn.execute("SELECT name FROM schema_migrations ORDER BY number").fetchall()
    assert [r[0] for r in rows] == names


def test_transaction_rolls_back_on_error(tmp_path):
    db = Database(tmp_path / "b.sqlite3")
    try:
        with db.transaction() as conn:
            conn.execute("INSERT INTO app_meta VALUES ('k', 'v')")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert db.conn.execute("SELECT count(*) FROM app_meta").fetchone()[0] == 0


def test_threads_get_their_own_connections_and_all_writes_land(tmp_path):
    db = Database(tmp_path / "c.sqlite3")

    def write(i: int) -> None:
        with db.transaction() as conn:
            conn.execute("INSERT INTO app_meta VALUES (?, ?)", (f"k{i}", "v"))

    threads = [threading.Thread(target=write, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.conn.execute("SELECT count(*) FROM app_meta").fetchone()[0] == 20
    assert isinstance(db.conn, sqlite3.Connection)
