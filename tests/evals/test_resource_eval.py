"""Quality bar on a trainer's resource: the .docx guide is uploaded into the knowledge base beside the notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from evals.runner import DATASETS_DIR, load_dataset, recompute_summary, run_eval, strip_run_meta, write_run

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
def test_resource_questions_find_the_uploaded_guide(resource_run):
    results, summary, out = resource_run
    assert summary["recall@1"] >= 0.90 and summary["hit@400chars"] >= 0.95, summary
    assert summary["must_include"] >= 0.85
    assert all(not r["abstained"] for r in results if r["answerable"])
    assert all(r["abstained"] for r in results if r["category"] == "offtopic")
    assert strip_run_meta(summary) == recompute_summary(out)


@pytest.mark.slow
def test_table_rows_are_cited_from_the_docx(resource_run):
    results, _, _ = resource_run
    row = next(r for r in results if r["question"].startswith("上一节公开课"))
    assert "6" in row["answer"] and "公开课" in row["citations"][0]["text"]
    assert row["citations"][0]["section"] == "四、学时认定与学分"
