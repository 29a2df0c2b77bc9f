"""Short titles: what a plan line or a record shows beside a section path."""

from __future__ import annotations

import pytest

from assistant.titles import MAX_CHARS, short_title


@pytest.mark.parametrize(("title", "short"), [
    ("教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知", "关于实施中小学幼儿园教师国家级培训计划的通知"),
    ("“国培计划”小学语文骨干教师研修课程大纲", "小学语文骨干教师研修课程大纲"),
    ("某省“国培计划”实施规划（2021—2025年）", "某省“国培计划”实施规划"),
    ("校本研修实施指南", "校本研修实施指南"),
    ("“国培计划”", "“国培计划”"),
])
def test_a_short_title_drops_issuers_years_and_an_opening_programme_name(title: str, short: str) -> None:
    assert short_title(title) == short


def test_a_long_title_is_cut() -> None:
    cut = short_title("某市教育局关于做好" + "二〇二六年度中小学教师全员培训与继续教育学分登记" * 2 + "工作的通知")
    assert len(cut) == MAX_CHARS and cut.endswith("…")
