"""Generic rubric points are recognised by what a clause states (a dated action, someone charged with
something, the size and state of the school, an improvement) and not by labels, links or keywords."""

from __future__ import annotations

import pytest

from assistant.learning.cues import (
    CONTEXT,
    EFFECT,
    SCHEDULE,
    STEPS,
    dated_action,
    ordinal_step,
    shows,
    states_plan_fact,
)


@pytest.mark.parametrize("clause", ["10月组织两次校本研修", "9月由教导处调研需求", "11月底完成总结", "第一周每个年级推荐一位老师",
                                    "开学初召开教研会"])
def test_a_dated_action_is_a_step(clause: str) -> None:
    assert dated_action(clause) and shows(clause, STEPS) and states_plan_fact(clause)


@pytest.mark.parametrize("clause", ["时间是9月到12月", "从9月开始", "9月份是开学季"])
def test_a_time_alone_is_a_schedule_not_a_step(clause: str) -> None:
    assert not dated_action(clause) and not shows(clause, STEPS)
    assert shows(clause, SCHEDULE)


@pytest.mark.parametrize("clause", ["第一步召开教研会", "然后组织老师听课"])
def test_an_ordinal_with_an_action_is_a_step(clause: str) -> None:
    assert ordinal_step(clause) and shows(clause, STEPS)


def test_an_ordinal_without_an_action_is_not() -> None:
    assert not ordinal_step("第一步是什么")


@pytest.mark.parametrize("clause", ["教导主任负责组织", "财务负责报销", "分工上校长审批", "由教研组长牵头", "总务处负责报账"])
def test_someone_charged_with_something_is_a_division_of_work(clause: str) -> None:
    assert shows(clause, STEPS) and states_plan_fact(clause)


def test_being_responsible_to_someone_is_no_division_of_work() -> None:
    assert not shows("我们要对学生负责", STEPS) and not states_plan_fact("我们要对学生负责")


@pytest.mark.parametrize("clause", ["我们村小只有6个老师", "全园共8个老师", "我们园只有5名教师", "现状是大家各上各的课",
                                    "目前我们学校缺音乐老师"])
def test_the_teachers_own_school_is_its_context(clause: str) -> None:
    assert shows(clause, CONTEXT)


@pytest.mark.parametrize("clause", ["目前还没想好", "现在的天气很好", "这条要求很重要"])
def test_a_vague_now_is_no_school_context(clause: str) -> None:
    assert not shows(clause, CONTEXT)


@pytest.mark.parametrize("clause", ["教研质量也能提高", "老师们的课堂能力会明显提升", "孩子们能够养成阅读习惯"])
def test_something_that_will_improve_is_an_expected_effect(clause: str) -> None:
    assert shows(clause, EFFECT)


def test_a_head_count_reads_as_a_sentence_a_keyword_does_not() -> None:
    assert states_plan_fact("我们村小只有6个老师")
    assert not states_plan_fact("具体步骤") and not states_plan_fact("预期效果")
