"""Resource rows: the content hashes the duplicate check reads, and the migration that added them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.db import Database, _statements, migrate, migrations
from assistant.records.resources import ResourceRows
from assistant.records.users import UserStore


@pytest.fixture
def rows(tmp_path: Path) -> ResourceRows:
    return ResourceRows(Database(tmp_path / "r.sqlite3"))


@pytest.fixture
def uploader(rows: ResourceRows) -> int:
    return UserStore(rows.db).add("培训者", "trainer")[0].id


def _insert(rows: ResourceRows, rid: str, uploader: int, file_sha256: str | None) -> dict | None:
    return rows.insert(rid, title=rid, kind="resource", subject="", stage="", tags=(), filename=f"{rid}.txt",
                       uploader_id=uploader, file_sha256=file_sha256)


def test_an_upload_of_a_present_file_is_not_inserted_and_names_the_holder(rows: ResourceRows, uploader: int) -> None:
    assert _insert(rows, "res-a", uploader, "f1") is None
    clash = _insert(rows, "res-b", uploader, "f1")
    assert clash is not None and clash["id"] == "res-a"
    assert rows.find("res-b") is None
    assert _insert(rows, "res-c", uploader, None) is None  # nothing to compare: always inserted
    assert _insert(rows, "res-d", uploader, None) is None


def test_failed_and_deleted_resources_hold_nothing(rows: ResourceRows, uploader: int) -> None:
    _insert(rows, "res-a", uploader, "f1")
    rows.update("res-a", status="failed", error="索引失败")
    assert _insert(rows, "res-b", uploader, "f1") is None
    rows.delete("res-b")
    assert _insert(rows, "res-c", uploader, "f1") is None


def test_a_version_goes_live_only_if_no_other_resource_holds_its_text(rows: ResourceRows, uploader: int) -> None:
    _insert(rows, "res-a", uploader, "f1")
    rows.update("res-a", status="ready", text_sha256="t1")
    _insert(rows, "res-b", uploader, "f2")
    clash = rows.update_unique("res-b", status="ready", live_version="v1", file_sha256="f2", text_sha256="t1")
    assert clash is not None and clash["id"] == "res-a"
    assert rows.get("res-b")["status"] == "indexing" and rows.get("res-b")["live_version"] is None
    assert rows.update_unique("res-a", status="ready", file_sha256="f1", text_sha256="t1") is None  # its own
    assert rows.update_unique("res-b", status="ready", file_sha256="f2", text_sha256="t2") is None
    assert rows.same_content("res-x", text_sha256="t2")["id"] == "res-b"
    assert rows.same_content("res-b", file_sha256="f2", text_sha256="t2") is None


def test_unknown_content_matches_nothing_and_filling_in_keeps_what_a_job_wrote(rows: ResourceRows,
                                                                              uploader: int) -> None:
    for rid in ("res-a", "res-b"):
        _insert(rows, rid, uploader, None)
        rows.update(rid, status="ready")
    assert {r["id"] for r in rows.unfingerprinted()} == {"res-a", "res-b"}
    rows.fill_fingerprint("res-a", "", "")
    rows.fill_fingerprint("res-b", "", "")
    assert rows.same_content("res-x", file_sha256="", text_sha256="") is None
    assert rows.unfingerprinted() == []
    _insert(rows, "res-c", uploader, "f3")
    rows.update("res-c", status="ready", text_sha256="t3")
    rows.fill_fingerprint("res-c", "stale", "stale")
    assert (rows.get("res-c")["file_sha256"], rows.get("res-c")["text_sha256"]) == ("f3", "t3")


def test_the_time_of_last_change_moves_with_the_content_not_with_the_processing_state(rows: ResourceRows,
                                                                                       uploader: int) -> None:
    """A job going from indexing back to ready (a replacement that failed) changed nothing about the
    resource; another process still notices the status, which decides what a row from before versions pins."""
    _insert(rows, "res-a", uploader, "f1")
    rows.update("res-a", status="ready", live_version="v1", chunks=3)
    with rows.db.transaction() as conn:
        conn.execute("UPDATE resources SET updated_at = '2026-01-05T08:00:00Z'")
    generation = rows.generation()
    rows.update("res-a", status="indexing", error=None)
    assert rows.get("res-a")["updated_at"] == "2026-01-05T08:00:00Z"
    assert rows.generation() != generation
    rows.update("res-a", status="ready", error="替换失败，已保留第 1 版：文件已损坏")
    assert rows.get("res-a")["updated_at"] == "2026-01-05T08:00:00Z" and rows.generation() == generation
    rows.update("res-a", status="ready", error=None, live_version="v2", version=2)
    assert rows.get("res-a")["updated_at"] > "2026-01-05T08:00:00Z"


def test_migration_0105_leaves_existing_rows_unfingerprinted(tmp_path: Path) -> None:
    """Rows from before the hashes (a database at 0104) keep everything and get NULL hashes, which the
    resource service fills in; SQLite itself cannot hash."""
    conn = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
    for number, name, sql in migrations():
        if number < 105:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (number, name) VALUES (?, ?)", (number, name))
    conn.execute("INSERT INTO users (name, role, token_hash, token_salt) VALUES ('培训者', 'trainer', 'h', 's')")
    conn.execute("INSERT INTO resources (id, title, filename, uploader_id, status, chunks, live_version)"
                 " VALUES ('res-old', '旧资源', 'old.txt', 1, 'ready', 3, 'v1')")
    assert migrate(conn)[:1] == ["0105_resource_content_hash.sql"]
    # ...and 0106 leaves the account as it was: no reissue yet, so no console session is ended.
    assert tuple(conn.execute("SELECT name, token_issued_at FROM users").fetchone()) == ("培训者", 0)
    conn.close()
    rows = ResourceRows(Database(tmp_path / "old.sqlite3"))
    [row] = rows.unfingerprinted()
    assert (row["id"], row["title"], row["chunks"], row["live_version"]) == ("res-old", "旧资源", 3, "v1")
    assert row["file_sha256"] is None and row["text_sha256"] is None
