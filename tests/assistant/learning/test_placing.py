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


def test_a_plan_days_passages_come_from_its_own_document_and_section() -> None:
    """「三、考核方式」 of a course outline was searched for across the knowledge base and quizzed on the national
    notice's 绩效考核评估; the day's passages are the ones of its document holding that section."""
    from assistant.learning.placing import plan_day_sources
    from indexer.store import StoredChunk

    def chunk(doc: str, n: int, section: str, text: str) -> StoredChunk:
        return StoredChunk(f"{doc}:v:{n:05d}", text, {"doc_id": doc, "title": doc, "section": section, "ordinal": n})

    chunks = [chunk("notice", 0, "三、保障措施", "三、保障措施\n加强省级统筹，强化绩效考核评估。"),
              chunk("outline", 0, "二、课程模块", "二、课程模块\n模块一：课标解读 | 6\n"),
              chunk("outline", 1, "三、考核方式", "三、考核方式\n提交一份单元教学设计方案，70分以上为合格。"),
              chunk("plan", 0, "五、经费保障", TEXT)]
    [day] = plan_day_sources(chunks, "outline#三、考核方式")
    assert (day.doc_id, day.section, day.quote) == ("outline", "三、考核方式", "提交一份单元教学设计方案，70分以上为合格。")
    [shared] = plan_day_sources(chunks, "plan#四、考核与学分")  # a section inside a chunk named after the next
    assert shared.quote == "参训教师完成全部任务并考核合格的，记继续教育学分8学分。"
    assert plan_day_sources(chunks, "outline#九、附则") == []
