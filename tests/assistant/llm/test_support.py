"""Support and figures: what a generated sentence may say about its passage."""

from __future__ import annotations

from assistant.llm.support import SupportScorer, char_support, foreign_figures, term_support

PASSAGE = "中小学、幼儿园要按照年度公用经费预算总额的5%安排教师培训经费。（二）强化培训内容标准引领。"


def test_a_figure_not_in_the_passage_is_foreign() -> None:
    assert foreign_figures("学校按公用经费的5%安排培训经费", [PASSAGE]) == []
    assert foreign_figures("学校按公用经费的百分之五安排培训经费", [PASSAGE]) == []
    assert foreign_figures("学校按公用经费的10%安排培训经费", [PASSAGE]) == ["10（percent）"]
    assert foreign_figures("每位教师另有1280元补贴", [PASSAGE]) == ["1280（money）"]


def test_a_list_items_own_number_is_not_a_figure() -> None:
    assert foreign_figures("2. 强化培训内容标准引领", [PASSAGE]) == []
    assert foreign_figures("（3）强化培训内容标准引领", [PASSAGE]) == []
    assert foreign_figures("2. 按10%安排经费", [PASSAGE]) == ["10（percent）"]
    assert foreign_figures("5.5%的经费用于培训", [PASSAGE]) == ["5.5（percent）"]


def test_paraphrase_is_supported_and_another_rule_is_not() -> None:
    scorer = SupportScorer()  # lexical readings only
    para = scorer.score("幼儿园和中小学每年要拿出公用经费预算的5%用于教师培训", PASSAGE)
    other = scorer.score("教师自主选学试点由省级教育部门统筹推进", PASSAGE)
    assert para.score > other.score
    assert term_support("培训经费", PASSAGE) == 1.0 and char_support("选学平台", PASSAGE) == 0.0
