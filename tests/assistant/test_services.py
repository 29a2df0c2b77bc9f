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
