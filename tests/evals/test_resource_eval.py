"""A trainer's .docx with a table, uploaded beside the notice: table rows are quoted and cited to their section."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from evals.runner import DATASETS_DIR, load_dataset, run_eval, write_run

GUIDE = DATASETS_DIR / "resources" / "校本研修实施指南.docx"


@pytest.fixture(scope="module")
def resource_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], dict, Path]:
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path_factory.mktemp("resource-kb")))
    assistant.ensure_indexed()
    (indexed,) = assistant.index_paths([GUIDE])
    assert indexed.chunks >= 5
    results = run_eval(assistant, load_dataset(DATASETS_DIR / "resource.jsonl"), progress=False)
    out = tmp_path_factory.mktemp("resource-run")
    return results, write_run(results, out, dataset="resource", k=5), out


@pytest.mark.slow
def test_table_rows_are_cited_from_the_docx(resource_run):
    results, _, _ = resource_run
    row = next(r for r in results if r["question"].startswith("上一节公开课"))
    assert "6" in row["answer"] and "公开课" in row["citations"][0]["text"]
    assert row["citations"][0]["section"] == "四、学时认定与学分"
