from __future__ import annotations

import json

from assistant.answering import Answer, Citation
from assistant.hits import Hit
from assistant.learning.tasks import Task, TaskSource, sources_from_answer, task_id

CHUNK = "（二）强化经费保障。中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费，保障“国培计划”实施。"
SOURCE = TaskSource("c1", "doc", "通知", "三、保障措施 > （二）强化经费保障", CHUNK, "教师函〔2021〕4号")


def _task() -> Task:
    s = CHUNK.index("5%")
    prompt = CHUNK.replace("5%", "____")
    return Task(task_id("single_choice", "c1", ((s, s + 2),), prompt), "single_choice", prompt, SOURCE, "5%",
                ("3%", "5%", "8%", "10%"), ((s, s + 2),), (), "强化经费保障")


def test_to_dict_contract_and_round_trip() -> None:
    task = _task()
    d = task.to_dict()
    assert {"id", "type", "prompt", "options", "answer", "source", "rubric", "topic"} <= set(d)
    assert {"chunk_id", "doc_id", "title", "section", "text"} <= set(d["source"])
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert Task.from_dict(json.loads(json.dumps(d))) == task


def test_options_key_omitted_when_empty_and_tuple_answer_is_list() -> None:
    cloze = Task("x", "cloze", "p", SOURCE, "5%", (), ((0, 1),))
    assert "options" not in cloze.to_dict()
    multi = Task("y", "multiple_choice", "p", SOURCE, ("中小学", "幼儿园"), ("中小学", "幼儿园", "高校"))
    assert multi.to_dict()["answer"] == ["中小学", "幼儿园"]
    assert Task.from_dict(multi.to_dict()).answer == ("中小学", "幼儿园")


def test_task_id_is_stable_and_sensitive() -> None:
    a = task_id("cloze", "c1", ((1, 3),), "p")
    assert a == task_id("cloze", "c1", ((1, 3),), "p")
    assert a != task_id("cloze", "c1", ((1, 4),), "p")
    assert a != task_id("single_choice", "c1", ((1, 3),), "p")


def test_sources_from_answer_use_full_chunk_text() -> None:
    hit = Hit("c1", CHUNK, {"doc_id": "doc", "title": "通知", "section": "sec", "doc_number": "教师函〔2021〕4号"})
    quote = "中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费，保障“国培计划”实施。"
    cit = Citation(1, "c1", "doc", "通知", "教师函〔2021〕4号", "sec", quote, 0.9)
    sources = sources_from_answer(Answer("…", False, [cit], [hit]))
    assert len(sources) == 1
    assert sources[0].text == CHUNK and sources[0].quote == quote
    assert sources[0].doc_number == "教师函〔2021〕4号"
    assert sources_from_answer(Answer("抱歉", True, [], [hit])) == []
