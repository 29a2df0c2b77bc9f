"""The post-check's support threshold, judged on the split it was not fitted on."""

from __future__ import annotations

import pytest

from assistant.llm.support import SUPPORT_THRESHOLD
from evals.calibrate_support import balanced_accuracy, fit_threshold, reword, statement


def test_statement_puts_the_content_where_the_question_word_was() -> None:
    assert statement("学校每年要拿出多少经费用于教师培训？", ["5%"]) == "学校每年要拿出5%经费用于教师培训。"
    assert statement("What is it?", []) is None
    assert reword("各地应当进一步加强培训管理，建立制度，切实落实责任。").startswith("各地方应该强化培训管理")


def test_threshold_maximises_balanced_accuracy() -> None:
    rows = [{"score": s, "supported": ok} for s, ok in [(0.9, True), (0.7, True), (0.5, False), (0.2, False),
                                                          (0.65, False)]]
    t = fit_threshold(rows)
    assert balanced_accuracy(rows, t) == 1.0 and 0.65 < t <= 0.7


@pytest.mark.slow
def test_threshold_holds_on_the_test_split(tmp_path_factory: pytest.TempPathFactory) -> None:
    from assistant.llm.support import SupportScorer
    from assistant.settings import Settings
    from evals.calibrate_support import pairs, report, score_pairs
    from evals.dataset import DATASETS_DIR, load_dataset, select_split
    from evals.knowledge_base import eval_assistant, resources_for

    settings = Settings(data_dir=tmp_path_factory.mktemp("support-kb"))
    rows: list[dict] = []
    for name in ("seed.jsonl", "resource.jsonl", "kb.jsonl"):
        path = DATASETS_DIR / name
        assistant = eval_assistant(settings, resources_for(path))
        batch = pairs(assistant, select_split(load_dataset(path), "test"))
        score_pairs(batch, SupportScorer(assistant.store.embedder))
        rows += batch
    result = report(rows, SUPPORT_THRESHOLD)
    assert result["pairs"] >= 400
    # Fitted on dev (README): balanced accuracy 0.88 there, 0.88 on test when fitted.
    assert result["balanced_accuracy"] >= 0.85, result
    assert result["kept_rate"]["reworded"] >= 0.9 and result["kept_rate"]["other_passage"] <= 0.15, result
