"""Open answers: written the way teachers write, honest ones pass and keyword strings, pasted source and
repetition do not — through ``grade`` (what teachers get) and through the form checks themselves."""

from __future__ import annotations

import pytest

from assistant.learning.grading import grade
from assistant.learning.open_answer import MIN_OWN_CHARS, assess, content, own_chars
from assistant.learning.tasks import Task, TaskSource

SOURCE = "坚持把师德师风作为评价教师队伍素质的第一标准，引导广大教师立德树人、为人师表，争做“四有”好老师。"
PROMPT = ("结合你所在学校或任教班级的实际，谈谈你将如何落实下面这项要求：\n"
          "“坚持把师德师风作为评价教师队伍素质的第一标准，引导广大教师立德树人、为人师表，争做“四有”好老师。”\n"
          "（建议从现状分析、具体做法、预期效果三方面作答；用自己的话写，至少 30 字，100 字左右为宜。）")
TASK = Task("r1", "reflection", PROMPT, TaskSource("c1", "d1", "意见", "一、总体要求", SOURCE), "参考要点", (), (),
            ("准确理解原文要求，提到“师德师风”", "围绕“立德树人”提出至少一项具体做法", "联系本校或本班的实际情况",
             "说明预期效果或检验方式"))

GOOD = {
    "three sentences": "我们学校青年教师多，师德师风教育主要靠开学一次讲座，效果一般。本学期我打算在教研组开展“身边的好老师”"
                       "分享活动，每月请一位老教师讲讲立德树人的做法。期末通过学生问卷和家长反馈来检验效果，再调整活动内容。",
    "one long comma sentence": "我班学生对老师的言行很敏感，我准备从自身做起落实师德师风要求，每天提前到校和学生交流，"
                               "把立德树人融入班会课和学科教学，期末用学生评价和家长反馈检验效果",
    "spaces instead of commas": "我校将每月开展一次师德师风专题学习 组织老师讨论身边立德树人的案例 "
                                "学期末通过学生和家长的评价来检验效果",
    "quotes the rule then writes": "原文要求“把师德师风作为评价教师队伍素质的第一标准”。我校准备把师德表现纳入年度考核，"
                                   "由教研组每学期组织一次立德树人案例交流，期末通过学生评价检验效果。",
}
BAD = {
    "rubric keywords": "师德师风 立德树人 本校 具体做法 预期效果 检验方式 学生评价",
    "keywords with commas": "师德师风，立德树人，本校实际，具体做法，预期效果，检验方式，学生评价，家长反馈",
    "keywords glued": "师德师风立德树人本校实际具体做法预期效果检验方式学生评价",
    "pasted source": SOURCE + "我会落实。",
    "pasted prompt": PROMPT,
    "repetition": "我们要加强师德师风建设，落实立德树人。" * 5,
    "platitude": "这条要求很重要，我们应该认真学习领会，努力做好相关工作，争取在今后的工作中取得更好的成绩。",
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_honest_answers_pass(name: str) -> None:
    g = grade(TASK, GOOD[name])
    assert g.answered and g.correct, (name, g.feedback, assess(GOOD[name], source=SOURCE, prompt=PROMPT, terms=[]))
    assert "原文：" in g.feedback


@pytest.mark.parametrize("name", sorted(set(BAD) - {"platitude"}))
def test_keyword_strings_copies_and_repetition_are_not_an_answer_yet(name: str) -> None:
    """Not recorded: the rewrite the feedback asks for is still the first attempt; nothing of the key is shown."""
    g = grade(TASK, BAD[name])
    assert not g.answered and not g.correct and g.score == 0, (name, g.feedback)
    assert "还不能算完成" in g.feedback and "原文：" not in g.feedback and "可以再补充" not in g.feedback


def test_an_answer_of_ones_own_that_misses_the_points_is_a_failed_attempt() -> None:
    g = grade(TASK, BAD["platitude"])
    assert g.answered and not g.correct and g.score < 0.6, g.feedback
    assert "原文：" in g.feedback  # a recorded attempt: the source and rubric are shown


def test_just_the_rubric_terms_is_not_even_an_answer() -> None:
    g = grade(TASK, "师德 师风 立德树人")
    assert not g.answered and not g.correct and "太简短" in g.feedback and "立德树人" not in g.feedback


def test_feedback_says_what_is_wrong_with_the_form() -> None:
    assert "只罗列关键词不算作答" in grade(TASK, BAD["keywords with commas"]).feedback
    assert "照抄原文或题目、重复的内容不计" in grade(TASK, BAD["pasted source"]).feedback
    assert "照抄原文或题目、重复的内容不计" in grade(TASK, BAD["repetition"]).feedback


def test_own_chars_discounts_copies_and_repeats() -> None:
    mine = "本学期我校计划开展两次主题研讨"
    assert own_chars(mine, SOURCE) == len(content(mine))
    assert own_chars(SOURCE, SOURCE) == 0
    assert own_chars(mine * 4, SOURCE) == len(content(mine))
    assert own_chars(SOURCE + mine, SOURCE, PROMPT) == len(content(mine)) < MIN_OWN_CHARS


def test_terms_only_count_inside_sentences() -> None:
    """The same words credit a rubric point in a sentence and not in a list."""
    listed = assess("立德树人，师德师风，家长反馈，学生评价", source=SOURCE, prompt=PROMPT, terms=["立德树人"])
    assert not listed.clauses and "立德树人" not in listed.context
    said = assess("我们将通过班会课落实立德树人", source=SOURCE, prompt=PROMPT, terms=["立德树人"])
    assert said.clauses and "立德树人" in said.context


def test_steps_duties_and_head_counts_read_as_sentences_without_a_function_word() -> None:
    """A plan says 财务负责报销 and 10月组织两次校本研修: no 的, 将 or 由, yet each states something done. They were
    dropped, so the steps and the division of work they state were not seen."""
    reply = "我们村小只有6个老师。10月组织两次校本研修，分工上校长审批，教导主任负责组织，财务负责报销。"
    clauses = assess(reply, source=SOURCE, prompt=PROMPT, terms=()).clauses
    assert {"我们村小只有6个老师", "10月组织两次校本研修", "分工上校长审批", "教导主任负责组织", "财务负责报销"} <= set(clauses)
    assert not assess("具体步骤，预期效果，分工负责，本校实际", source=SOURCE, prompt=PROMPT, terms=()).clauses
