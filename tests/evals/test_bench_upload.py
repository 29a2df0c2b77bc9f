"""The upload benchmark end to end on a small synthetic knowledge base: both paths run and leave search right."""

from __future__ import annotations

from pathlib import Path

from evals.bench_upload import build, measure, to_markdown


def test_both_upload_paths_are_timed_and_the_upload_is_searchable(tmp_path: Path) -> None:
    assistant = build(300, tmp_path / "kb", tmp_path / "out", pool_size=40)
    m = measure(assistant, items=6)
    assert m["chunks"] >= 300 + 2 * m["upload_chunks"] and m["upload_chunks"] >= 3
    for path in ("before", "after"):
        assert m[f"{path}_total_s"] >= m[f"{path}_index_s"] > 0
    assert "只更新该文档" in to_markdown(m)
    ids = {c.id for c in assistant.retriever.chunks()}
    assert any(i.startswith("res-bench-after:") for i in ids) and any(i.startswith("res-bench-before:") for i in ids)
