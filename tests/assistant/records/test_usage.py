"""Usage counters: questions by the surface they came through, active teachers by account."""

from __future__ import annotations

from pathlib import Path

from assistant.db import Database
from assistant.records.usage import UsageStats


def test_counts_go_by_surface_with_a_chinese_label_for_each(tmp_path: Path) -> None:
    """One account asking in the web console and over the API is one active teacher with a question under each
    surface; the admin views name each surface in Chinese (an unknown one as stored)."""
    usage = UsageStats(Database(tmp_path / "guopei.sqlite3"))
    usage.question("api", "7", False, via="web")
    usage.question("api", "7", True)
    usage.question("telegram", "42", False)
    usage.question("matrix", "1", False)
    summary = usage.summary()
    assert summary["by_channel"] == {"web": {"questions": 1}, "api": {"questions": 1, "abstentions": 1},
                                     "telegram": {"questions": 1}, "matrix": {"questions": 1}}
    assert summary["active_teachers"] == 3
    assert summary["channel_labels"] == {"web": "网页控制台", "api": "HTTP API", "telegram": "Telegram 机器人",
                                         "matrix": "matrix"}
