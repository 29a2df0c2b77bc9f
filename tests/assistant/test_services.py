"""The composition root is the only place settings are read and the records the only place SQL is written."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("corpus", "indexer", "assistant", "channels", "bots", "evals")
SQL = re.compile(r"\b(SELECT \S.* FROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (?:TABLE|INDEX)|ALTER TABLE|PRAGMA \w)")
SQL_ALLOWED = ("assistant/records/", "assistant/db.py", "indexer/embedders/cache.py")  # the last: its own cache file


def _sources() -> list[tuple[str, ast.Module]]:
    return [(str(p.relative_to(ROOT)), ast.parse(p.read_text(encoding="utf-8")))
            for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]


def test_settings_are_constructed_only_in_the_composition_root() -> None:
    found = [path for path, tree in _sources() for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Settings"]
    assert found == ["assistant/services.py"]


def test_sql_is_written_only_in_the_records_and_the_database() -> None:
    found = {path for path, tree in _sources() for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)}
    assert found and not {p for p in found if not p.startswith(SQL_ALLOWED)}, sorted(found)


def test_instances_sharing_a_knowledge_base_and_records_share_one_set_of_pins(tmp_path: Path) -> None:
    """A second instance over the same records (a test server beside the main one) must not take the
    retriever's pins away from the first: an upload committed through the first is searchable at once."""
    from assistant.resource_files import Upload
    from assistant.roles import Actor
    from assistant.services import Services, read_settings

    settings = read_settings().model_copy(update={"data_dir": tmp_path, "knowledge_base": "pins-test"})
    first = Services.from_settings(settings)
    second = Services.from_settings(settings, assistant=first.assistant)
    try:
        assert second.assistant.retriever.visibility is first.resources.visibility
        user, _ = first.users.add("管理员", "admin")
        admin = Actor("cli", "operator", role="admin", user_id=user.id, local=True)
        row = first.resources.upload(admin, Upload("青松镇中心学校的校本教研活动每月举行三次。\n".encode(), "青松.txt")).resource
        hits = first.assistant.retriever.retrieve("青松镇的教研活动每月几次？").hits
        assert hits and hits[0].id.startswith(row["id"] + ":")
    finally:
        second.close()
        first.close()
