"""Whom a document is for, read off its title or declared metadata, and how that fits a teacher."""

from __future__ import annotations

import pytest

from assistant.records.audience import audience

KINDERGARTEN = {"stage": "新任", "subject": "学前教育", "school_level": "幼儿园"}
PRIMARY_CHINESE = {"stage": "青年", "subject": "语文", "school_level": "小学"}


def test_titles_name_levels_subjects_and_stages() -> None:
    outline = audience("“国培计划”小学语文骨干教师研修课程大纲")
    assert (outline.levels, outline.subjects, outline.stages) == ({"小学"}, {"语文"}, {"骨干"})
    assert audience("某县幼儿园园本研修管理办法").levels == {"幼儿园"}
    notice = audience("教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知")
    assert notice.levels == {"幼儿园", "小学", "初中", "高中"} and not notice.subjects


def test_a_programme_for_every_teacher_names_no_subject() -> None:
    assert not audience("中小学教师信息技术应用能力提升工程2.0实施方案").subjects
    assert audience("初中数学教师研修指南").subjects == {"数学"}


def test_declared_metadata_wins_over_the_title() -> None:
    declared = audience("研修课程大纲", stage="小学", subject="语文")
    assert declared.levels == {"小学"} and declared.subjects == {"语文"}


@pytest.mark.parametrize(("title", "kindergarten", "primary"), [
    ("“国培计划”小学语文骨干教师研修课程大纲", True, False),
    ("某县幼儿园园本研修管理办法", False, True),
    ("初中数学教师研修指南", True, True),
    ("校本研修实施指南", False, False),
    ("教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知", False, False),
])
def test_a_document_for_another_level_or_subject_is_for_other_teachers(title: str, kindergarten: bool,
                                                                        primary: bool) -> None:
    assert audience(title).excludes(KINDERGARTEN) is kindergarten
    assert audience(title).excludes(PRIMARY_CHINESE) is primary


def test_a_document_naming_the_teachers_level_or_subject_fits_them_more() -> None:
    assert audience("某县幼儿园园本研修管理办法").fit(KINDERGARTEN) == 2  # 幼儿园, and so 学前教育
    assert audience("“国培计划”小学语文骨干教师研修课程大纲").fit(PRIMARY_CHINESE) == 2
    assert audience("校本研修实施指南").fit(KINDERGARTEN) == 0


def test_a_development_stage_prefers_but_never_leaves_out() -> None:
    mentor = audience("骨干教师研修手册")
    assert mentor.fit({"stage": "骨干"}) == 1 and not mentor.excludes({"stage": "青年"})
