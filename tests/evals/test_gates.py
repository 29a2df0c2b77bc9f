"""Quality gates on the held-out test split: every dataset on the knowledge base it was written for.

Nothing was fitted on this split (weights, thresholds and the answerability model come from dev; see
evals.tune and evals.calibrate), so these bars measure how the assistant does on questions it was not tuned
for. The bars sit a little under the figures in the README, to catch regressions, not to restate a fit.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from evals.dataset import DATASETS_DIR, load_dataset, select_split
from evals.report import write_report
from evals.runner import recompute_summary, run_eval, strip_run_meta, write_run

# kb2 is all dev, so it adds nothing here; holdout and holdout2 are all test; kb3 to kb7 are half and half.
DATASETS = ("seed.jsonl", "resource.jsonl", "kb.jsonl", "kb3.jsonl", "kb4.jsonl", "kb5.jsonl", "kb6.jsonl",
            "kb7.jsonl", "holdout.jsonl", "holdout2.jsonl")
# The new sets on their own, so that a strong set cannot hide a regression on a harder one.
PER_SET_BARS = {
    "holdout": {"recall@1": 0.74, "must_include": 0.62},
    "holdout2": {"recall@1": 0.64, "must_include": 0.62},
    "kb3": {"recall@1": 0.66, "must_include": 0.61},
    # One of kb4's 68 test questions lost its gold passage at the top in the 2026-12-06 third round (0.632 → 0.618,
    # must 0.531 → 0.516); the changes were chosen on dev and none was undone for it (README, 评测).
    "kb4": {"recall@1": 0.60, "must_include": 0.50},
    "kb5": {"recall@1": 0.76, "must_include": 0.61},
    "kb6": {"recall@1": 0.60, "must_include": 0.55},
    # Written and annotated by someone who never ran the assistant; measured once, on the code before any rule was
    # chosen on its dev half: test recall@1 0.759, must-include 0.664 (README, 评测).
    "kb7": {"recall@1": 0.72, "must_include": 0.62},
}
KEPT_RUN = Path(__file__).resolve().parents[2] / "evals" / "runs" / "test-gates"


@pytest.fixture(scope="module")
def gate_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], dict[str, Any], Path]:
    from assistant.settings import Settings
    from evals.knowledge_base import eval_assistant, resources_for

    settings = Settings(data_dir=tmp_path_factory.mktemp("gate-kb"))
    results: list[dict[str, Any]] = []
    for name in DATASETS:
        path = DATASETS_DIR / name
        assistant = eval_assistant(settings, resources_for(path))
        batch = run_eval(assistant, select_split(load_dataset(path), "test"), progress=False)
        results += [{**r, "dataset": path.stem} for r in batch]
    if KEPT_RUN.exists():
        shutil.rmtree(KEPT_RUN)
    summary = write_run(results, KEPT_RUN, dataset="+".join(Path(n).stem for n in DATASETS), k=5, split="test")
    write_report(KEPT_RUN, summary, results)
    return results, summary, KEPT_RUN


def _each_set_clears(summary: dict[str, Any], metric: str) -> None:
    below = {name: summary["by_dataset"][name][metric] for name, bars in PER_SET_BARS.items()
             if summary["by_dataset"][name][metric] < bars[metric]}
    assert not below, f"{metric} under its bar on: {below}"


@pytest.mark.slow
def test_retrieval_on_the_test_split(gate_run) -> None:
    _, summary, _ = gate_run
    assert summary["n_answerable"] >= 620 and summary["n_unanswerable"] >= 350
    assert summary["recall@1"] >= 0.72, summary["by_dataset"]
    assert summary["hit@400chars"] >= 0.88, summary["by_dataset"]
    _each_set_clears(summary, "recall@1")


@pytest.mark.slow
def test_answers_on_the_test_split(gate_run) -> None:
    _, summary, _ = gate_run
    assert summary["must_include"] >= 0.63, summary["by_dataset"]
    assert summary["citation_precision"] >= 0.61, summary["by_dataset"]
    _each_set_clears(summary, "must_include")


@pytest.mark.slow
def test_every_quote_is_where_its_marker_says(gate_run) -> None:
    _, summary, _ = gate_run
    assert summary["attribution"] == 1.0, summary["attribution_failures"]


@pytest.mark.slow
def test_abstention_on_the_test_split(gate_run) -> None:
    _, summary, _ = gate_run
    assert summary["answered_rate_answerable"] >= 0.95, "answerable questions declined"
    assert summary["abstained_rate_unanswerable"] >= 0.40, "unanswerable questions answered"


@pytest.mark.slow
def test_stored_run_rescores_to_the_same_summary(gate_run) -> None:
    _, summary, out_dir = gate_run
    assert recompute_summary(out_dir) == strip_run_meta(summary)
