"""Companion learning end to end: real assistant, real task engine, real SQLite records."""

from __future__ import annotations

import threading

import pytest

from assistant.companion import Companion, CompanionError
from assistant.db import Database
from assistant.learning.tasks import OBJECTIVE
from assistant.records import Records
from assistant.service import Assistant


@pytest.fixture
def companion(embedded_assistant: Assistant, tmp_path) -> Companion:
    return Companion(embedded_assistant, Records(Database(tmp_path / "records.sqlite3")))


def test_quiz_from_a_question_grounds_tasks_in_the_cited_text(companion: Companion):
    tasks = companion.quiz(question="学校每年要拿出多少经费用于教师培训？")
    assert {t.type for t in tasks} >= {"single_choice", "reflection"}
    for t in tasks:
        assert t.source.section == "三、保障措施 > （二）强化经费保障"
        assert t.topic == t.source.section
        assert companion.task(t.id) == t, "tasks are stored for later grading"


def test_off_topic_question_yields_no_tasks(companion: Companion):
    assert companion.quiz(question="红烧肉怎么做才不腻？") == []


def test_right_answer_is_credited_once_and_wrong_answer_is_scheduled_for_review(companion: Companion):
    teacher = companion.teacher("cli", "wang")
    task = next(t for t in companion.quiz(question="什么是学分银行？") if t.type in OBJECTIVE)
    wrong = companion.answer_task(teacher.id, task.id, "完全不相干的答案")
    assert not wrong["correct"] and wrong["credits_awarded"] == 0 and "原文" in wrong["feedback"]
    key = task.answer if isinstance(task.answer, str) else list(task.answer)
    first = companion.answer_task(teacher.id, task.id, key)
    again = companion.answer_task(teacher.id, task.id, key)
    assert first["correct"] and first["credits_awarded"] > 0
    assert again["credits_awarded"] == 0 and again["balance"] == first["balance"]
    progress = companion.progress(teacher.id)
    assert progress["attempts"] == 3 and progress["correct"] == 2


def test_concurrent_answers_from_many_teachers_lose_nothing(companion: Companion):
    task = next(t for t in companion.quiz(question="哪些学科属于紧缺学科？") if t.type in OBJECTIVE)
    key = task.answer if isinstance(task.answer, str) else list(task.answer)
    teachers = [companion.teacher("telegram", str(i)) for i in range(20)]
    results: list[dict] = []

    def answer(tid: str) -> None:
        results.append(companion.answer_task(tid, task.id, key))
        results.append(companion.answer_task(tid, task.id, key))

    threads = [threading.Thread(target=answer, args=(t.id,)) for t in teachers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 40
    for t in teachers:
        entries = companion.records.ledger.entries(t.id)
        assert len(entries) == 1, "credited exactly once per teacher"


def test_unknown_teacher_and_task_are_clear_errors(companion: Companion):
    with pytest.raises(CompanionError, match="未找到用户"):
        companion.known_teacher("cli", "nobody")
    with pytest.raises(CompanionError, match="未找到编号"):
        companion.task("no-such-task")


def test_plan_follows_the_profile_and_what_next_offers_tasks(companion: Companion):
    teacher = companion.teacher("cli", "new-teacher")
    companion.records.teachers.update_profile(teacher.id, stage="新任", subject="语文", school_level="小学")
    plan = companion.plan(teacher.id, weeks=2)
    assert len(plan.items) == 14
    assert "师德" in plan.items[0].section or "核心素养" in plan.items[0].section
    step, tasks = companion.what_next(teacher.id)
    assert step.kind == "plan" and tasks
