"""The one place the model-backed pieces are built from the settings, or not at all.

``LLMServices.from_settings`` returns None unless an endpoint and a model are configured, and then the
assistant is exactly the offline one. Otherwise it holds one chat client and one set of counters, and
builds the answerer, the follow-up rewriter and the task generator around the offline defaults they
fall back to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.answering import ExtractiveAnswerer
from assistant.conversation import contextualize
from assistant.learning.tasks import TaskGenerator
from assistant.llm.answerer import LLMAnswerer, LLMStats
from assistant.llm.client import ChatClient, LLMConfig
from assistant.llm.rewrite import LLMRewriter, Rewrite
from assistant.llm.support import SupportScorer
from assistant.llm.tasks import LLMTaskGenerator


@dataclass
class LLMServices:
    config: LLMConfig
    rewrite_followups: bool = True
    generate_tasks: bool = True
    judge: str = "unsure"  # which answers the model judges: unsure, all, off
    stats: LLMStats = field(default_factory=LLMStats)

    def __post_init__(self) -> None:
        self.client = ChatClient(self.config)

    @classmethod
    def from_settings(cls, settings: Any) -> LLMServices | None:
        config = LLMConfig.from_settings(settings)
        if config is None:
            return None
        return cls(config, settings.llm_rewrite, settings.llm_tasks, settings.llm_judge)

    @property
    def model(self) -> str:
        return self.config.model

    def answerer(self, extractive: ExtractiveAnswerer, embedder: Any | None) -> LLMAnswerer:
        return LLMAnswerer(extractive, self.client, SupportScorer(embedder), self.stats, judge=self.judge)

    def rewriter(self) -> Rewrite:
        return LLMRewriter(self.client, self.stats) if self.rewrite_followups else contextualize

    def task_generator(self, offline: TaskGenerator, embedder: Any | None) -> TaskGenerator:
        if not self.generate_tasks:
            return offline
        return LLMTaskGenerator(self.client, offline, SupportScorer(embedder), self.stats)
