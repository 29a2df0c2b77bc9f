"""Every tuned constant of the question path, gathered in one object the composition root builds.

Some values come from settings (what an operator may change: ``top_k``, the abstain threshold), the rest
were fitted on the dev split by ``python -m evals.tune`` and ``python -m evals.calibrate`` and are the
defaults of ``RerankWeights`` and ``GroundingPolicy`` beside the code that uses them. ``Tuning`` is the one
place where they are all read and handed to the retriever and the answerer, so an experiment swaps one
object instead of patching modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.grounding import GroundingPolicy
from assistant.rerank import RerankWeights
from assistant.settings import Settings

# How much conversation a follow-up may lean on, on every surface: user and assistant messages together.
HISTORY_MESSAGES = 20


@dataclass(frozen=True)
class Tuning:
    top_k: int = 5
    candidate_k: int = 30
    rrf_k: int = 60
    abstain_threshold: float = 0.5093
    max_question_chars: int = 500
    history_messages: int = HISTORY_MESSAGES
    rerank: RerankWeights = field(default_factory=RerankWeights)
    grounding: GroundingPolicy = field(default_factory=GroundingPolicy)

    @classmethod
    def from_settings(cls, settings: Settings) -> Tuning:
        return cls(top_k=settings.top_k, candidate_k=settings.candidate_k, rrf_k=settings.rrf_k,
                   abstain_threshold=settings.abstain_threshold, max_question_chars=settings.max_question_chars)
