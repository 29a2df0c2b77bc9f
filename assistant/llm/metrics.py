"""The model's counters for Prometheus: answers by outcome, fallbacks and dropped sentences by reason,
rewrites and generated tasks by what came of them. Labels are reasons and outcomes only: never the
endpoint, never the key, never text."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from assistant.llm.answerer import LLMStats
from assistant.llm.client import REASONS
from assistant.llm.postcheck import SENTENCE_REASONS

FALLBACK_REASONS = (*REASONS, "no_citations", "instruction", "language", "decision", *SENTENCE_REASONS)


class LLMCollector(Collector):
    def __init__(self, stats: LLMStats, model: str) -> None:
        self.stats = stats
        self.model = model

    def collect(self) -> Iterator[Metric]:
        snap = self.stats.snapshot()
        info = GaugeMetricFamily("guopei_llm_info", "配置的大模型（1 表示已启用）", labels=["model"])
        info.add_metric([self.model], 1.0)
        yield info
        answers = CounterMetricFamily("guopei_llm_answers", "大模型回答数，按结果：kept 原样保留、repaired 删句后保留、"
                                      "fallback 改用抽取式、skipped 未调用（知识库没有相关内容）", labels=["outcome"])
        for outcome in ("kept", "repaired", "fallback", "skipped"):
            answers.add_metric([outcome], float(snap["outcomes"].get(outcome, 0)))
        yield answers
        fallbacks = CounterMetricFamily("guopei_llm_fallbacks", "改用抽取式回答的次数，按原因", labels=["reason"])
        for reason in dict.fromkeys([*FALLBACK_REASONS, *snap["fallbacks"]]):
            fallbacks.add_metric([reason], float(snap["fallbacks"].get(reason, 0)))
        yield fallbacks
        dropped = CounterMetricFamily("guopei_llm_dropped_sentences", "核对时删去的句子数，按原因", labels=["reason"])
        for reason in dict.fromkeys([*SENTENCE_REASONS, *snap["dropped"]]):
            dropped.add_metric([reason], float(snap["dropped"].get(reason, 0)))
        yield dropped
        uses = CounterMetricFamily("guopei_llm_uses", "追问改写、出题和判断拿不准的回答时调用大模型的结果", labels=["use", "result"])
        for use, labels in snap["uses"].items():
            for label, n in labels.items():
                uses.add_metric([use, label], float(n))
        yield uses
        seconds = CounterMetricFamily("guopei_llm_answer_seconds", "生成与核对回答所用的总秒数")
        seconds.add_metric([], snap["seconds"])
        yield seconds
