"""The model's counters as Prometheus families: every use of the model is counted under its own label."""

from __future__ import annotations

from assistant.llm.answerer import LLMStats
from assistant.llm.metrics import LLMCollector


def test_judged_answers_are_counted_by_what_the_model_decided() -> None:
    stats = LLMStats()
    stats.count("judge", "not_specified")
    stats.count("judge", "not_specified")
    stats.count("judge", "answered")
    stats.count("rewrite", "kept")
    families = {m.name: m for m in LLMCollector(stats, "qwen-plus").collect()}
    uses = {(s.labels["use"], s.labels["result"]): s.value for s in families["guopei_llm_uses"].samples}
    assert uses == {("judge", "not_specified"): 2.0, ("judge", "answered"): 1.0, ("rewrite", "kept"): 1.0}
    assert "判断" in families["guopei_llm_uses"].documentation
