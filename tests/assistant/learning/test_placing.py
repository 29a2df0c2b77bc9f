"""Tasks filed under the section their sentence is in, not the name of the passage that holds it."""

from __future__ import annotations

import pytest

from assistant.learning.generation import OfflineTaskGenerator
from assistant.learning.placing import placed
from assistant.learning.tasks import TaskSource
from assistant.learning.vocabulary import Vocabulary
from assistant.service import Assistant

# One chunk, named after the second of the two short sections it holds (as the chunker names it).
TEXT = ("四、考核与学分\n参训教师完成全部任务并考核合格的，记继续教育学分8学分。缺勤超过2天的不予结业。\n"
        "五、经费保障\n培训经费从县级教师培训专项经费中列支，参训教师的交通费按每人每天50元标准补助。")
SOURCE = TaskSource("c1", "res-1", "清河县项目实施方案", "五、经费保障", TEXT)


@pytest.fixture(scope="module")
def generator(embedded_assistant: Assistant) -> OfflineTaskGenerator:
    return OfflineTaskGenerator(Vocabulary.from_texts([c.text for c in embedded_assistant.chunks()] + [TEXT]))


def test_each_task_is_filed_under_its_own_sentences_section(generator: OfflineTaskGenerator) -> None:
    tasks = [placed(t) for t in generator.generate([SOURCE], limit=100)]
    assert tasks
    for t in tasks:
        about_credits = any(w in t.prompt for w in ("结业", "学分8学分", "考核合格"))
        expected = "四、考核与学分" if about_credits else "五、经费保障"
        assert (t.topic, t.source.section) == (expected, expected), t.prompt
    assert {t.topic for t in tasks} == {"四、考核与学分", "五、经费保障"}


def test_a_task_whose_sentence_cannot_be_found_keeps_its_sources_section(generator: OfflineTaskGenerator) -> None:
    [task] = [t for t in generator.generate([SOURCE], limit=100) if t.type == "reflection"][:1]
    from dataclasses import replace
    odd = replace(task, prompt="谈谈你的体会。")
    assert placed(odd).topic == "五、经费保障" and placed(odd).source == SOURCE
