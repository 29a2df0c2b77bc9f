"""Follow-ups rewritten by the model only when the rules say they point back, and only if the rewrite
still reads as the teacher's question."""

from __future__ import annotations

from assistant.conversation import contextualize
from assistant.llm.answerer import LLMStats
from assistant.llm.client import ChatClient, LLMConfig
from assistant.llm.rewrite import LLMRewriter, acceptable
from evals.scripted_llm import Reply, ScriptedLLM

HISTORY = [{"role": "user", "content": "中小学每年要拿出多少经费用于教师培训？"},
           {"role": "assistant", "content": "按照年度公用经费预算总额的5%安排教师培训经费。[1]"}]
FOLLOW_UP = "那幼儿园呢？"


def _rewriter(llm: ScriptedLLM, stats: LLMStats) -> LLMRewriter:
    return LLMRewriter(ChatClient(LLMConfig(llm.base_url, llm.model, max_retries=0, timeout=5)), stats)


def test_a_follow_up_is_rewritten_by_the_model(llm: ScriptedLLM) -> None:
    llm.api_key = None
    stats = LLMStats()
    llm.push(Reply(text="幼儿园每年要拿出多少经费用于教师培训？\n"))
    assert _rewriter(llm, stats)(FOLLOW_UP, HISTORY) == "幼儿园每年要拿出多少经费用于教师培训？"
    assert "教师：中小学每年要拿出多少经费" in llm.requests[0]["messages"][1]["content"]
    assert stats.snapshot()["uses"]["rewrites"] == {"llm": 1}


def test_standalone_questions_never_reach_the_model(llm: ScriptedLLM) -> None:
    llm.api_key = None
    rewrite = _rewriter(llm, LLMStats())
    assert rewrite("国培计划的实施期限是哪几年？", HISTORY) == "国培计划的实施期限是哪几年？"
    assert rewrite(FOLLOW_UP, []) == FOLLOW_UP
    assert llm.requests == []


def test_an_item_of_a_listed_answer_is_named_without_asking_the_model(llm: ScriptedLLM) -> None:
    llm.api_key = None
    listed = [{"role": "user", "content": "省里开了哪些培训项目？"},
              {"role": "assistant", "content": "根据……，共有以下 2 项：\n「（一）示范引领项目」[1]\n「（二）送教下乡培训项目」[2]"}]
    assert _rewriter(llm, LLMStats())("第二项怎么报名？", listed) == "送教下乡培训项目怎么报名？"
    assert llm.requests == []


def test_a_rewrite_that_drops_the_teachers_words_or_answers_falls_back(llm: ScriptedLLM) -> None:
    llm.api_key = None
    stats = LLMStats()
    rewrite = _rewriter(llm, stats)
    rules = contextualize(FOLLOW_UP, HISTORY)
    llm.push(Reply(text="中小学培训经费的比例是多少？"), Reply(text="幼儿园按5%安排[1]。"), Reply(status=500))
    assert [rewrite(FOLLOW_UP, HISTORY) for _ in range(3)] == [rules] * 3
    assert stats.snapshot()["uses"]["rewrites"] == {"fallback_rejected": 2, "fallback_error": 1}


def test_acceptable_rewrites() -> None:
    assert acceptable("幼儿园每年要拿出多少经费用于教师培训？", FOLLOW_UP)
    assert not acceptable("", FOLLOW_UP) and not acceptable("幼儿园呢\n第二行", FOLLOW_UP)
    assert not acceptable("幼儿园" + "很长" * 80, FOLLOW_UP)
