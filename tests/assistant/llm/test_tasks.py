"""Scenario questions from the model: kept only when their key rests on a sentence of the source."""

from __future__ import annotations

import json

from assistant.learning.generation import OfflineTaskGenerator
from assistant.learning.grading import grade
from assistant.learning.tasks import TaskSource
from assistant.learning.vocabulary import Vocabulary
from assistant.llm.answerer import LLMStats
from assistant.llm.client import ChatClient, LLMConfig
from assistant.llm.support import SupportScorer
from assistant.llm.tasks import PREFIX, LLMTaskGenerator
from evals.scripted_llm import Reply, ScriptedLLM

TEXT = ("中小学、幼儿园要按照年度公用经费预算总额的5%安排教师培训经费，专款专用。"
        "参训教师的差旅费由派出学校按规定报销，不得向教师收取培训费用。")
SOURCE = TaskSource("c1", "notice", "关于实施国培计划的通知", "四、保障措施", TEXT)
BASIS = "中小学、幼儿园要按照年度公用经费预算总额的5%安排教师培训经费"
GOOD = {"type": "single_choice", "source": 1,
        "scenario": "某乡村小学今年的公用经费预算总额为100万元，校长想知道教师培训经费至少应安排多少，按规定应当怎样做？",
        "options": ["按年度公用经费预算总额的5%安排教师培训经费", "按教师人数每人500元安排",
                    "由教师自行承担培训费用", "只在有国培名额时临时安排"],
        "answer": ["A"], "basis": BASIS}


def _generator(llm: ScriptedLLM, stats: LLMStats) -> LLMTaskGenerator:
    client = ChatClient(LLMConfig(llm.base_url, llm.model, max_retries=0, timeout=5))
    return LLMTaskGenerator(client, OfflineTaskGenerator(Vocabulary.from_texts([TEXT])), SupportScorer(), stats)


def _reply(*tasks: dict) -> Reply:
    return Reply(text="好的，题目如下：\n```json\n" + json.dumps({"tasks": list(tasks)}, ensure_ascii=False) + "\n```")


def test_a_grounded_scenario_comes_first_and_grades_like_any_task(llm: ScriptedLLM) -> None:
    llm.api_key = None
    stats = LLMStats()
    llm.push(_reply(GOOD))
    tasks = _generator(llm, stats).generate([SOURCE], limit=4)
    first = tasks[0]
    assert first.prompt.startswith(PREFIX) and first.type == "single_choice"
    assert first.answer == GOOD["options"][0]
    assert TEXT[slice(*first.key_spans[0])] == BASIS
    assert len(tasks) > 1 and all(not t.prompt.startswith(PREFIX) for t in tasks[1:])  # offline ones fill up
    assert grade(first, "A").correct and not grade(first, "B").correct
    assert stats.snapshot()["uses"]["tasks"] == {"kept": 1}
    assert "<资料 编号=\"1\"" in llm.requests[0]["messages"][1]["content"]


def test_drafts_that_fail_their_source_are_discarded(llm: ScriptedLLM) -> None:
    llm.api_key = None
    stats = LLMStats()
    invented_basis = {**GOOD, "basis": "中小学要按照公用经费的10%安排培训经费"}
    invented_key = {**GOOD, "options": ["按年度公用经费预算总额的8%安排教师培训经费", *GOOD["options"][1:]]}
    supported_distractor = {**GOOD, "options": [GOOD["options"][0], "不得向教师收取培训费用", *GOOD["options"][2:]]}
    key_in_question = {**GOOD, "scenario": GOOD["scenario"] + "是按年度公用经费预算总额的5%安排教师培训经费吗？"}
    unknown_source = {**GOOD, "source": 3}
    two_keys = {**GOOD, "answer": ["A", "B"]}
    llm.push(_reply(invented_basis, invented_key, supported_distractor, key_in_question, unknown_source, two_keys))
    tasks = _generator(llm, stats).generate([SOURCE], limit=6)
    assert tasks and not any(t.prompt.startswith(PREFIX) for t in tasks)
    assert stats.snapshot()["uses"]["tasks"] == {"basis_not_in_source": 1, "key_unsupported": 1,
                                                 "distractor_supported": 1, "key_in_prompt": 1,
                                                 "unknown_source": 1, "malformed": 1}


def test_unreadable_replies_and_failures_serve_the_offline_tasks(llm: ScriptedLLM) -> None:
    llm.api_key = None
    stats = LLMStats()
    generator = _generator(llm, stats)
    offline = OfflineTaskGenerator(Vocabulary.from_texts([TEXT])).generate([SOURCE], limit=4)
    llm.push(Reply(text="这里没有 JSON"), Reply(text='{"tasks": [{"type": "essay"}]}'), Reply(status=500))
    for _ in range(3):
        assert [t.id for t in generator.generate([SOURCE], limit=4)] == [t.id for t in offline]
    assert stats.snapshot()["uses"]["tasks"] == {"fallback_schema": 2, "fallback_error": 1}
