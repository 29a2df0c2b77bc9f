from assistant.premise import corrections
from assistant.question import analyse

FUNDING = "中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费。"


def test_a_share_is_compared_with_a_share() -> None:
    assert corrections(analyse("经费是按10%安排吗"), FUNDING) == ["原文规定的是 5%，而不是 10%"]
    assert corrections(analyse("经费是按5%安排吗"), FUNDING) == []


def test_unlike_kinds_are_never_compared() -> None:
    # 3 years is a span, 5% a share: no correction.
    assert corrections(analyse("是三年内按这个比例安排吗"), FUNDING) == []


def test_a_year_in_passing_is_not_corrected() -> None:
    period = "国家级培训计划（2021—2025年）"
    assert corrections(analyse("2027年以后还按这个计划执行吗"), period) == []
    assert corrections(analyse("这一轮是2020到2024年吗"), period) == ["原文的期限是 2021—2025年，而不是 2020—2024年"]


def test_deadline_months_and_actors() -> None:
    assert corrections(analyse("是每年3月底前报送吗"), "于每年2月底前报送至教育部") == ["原文规定的是 2月，而不是 3月"]
    assert corrections(analyse("领导小组组长是教务主任担任吗"), "每所学校须设立校本研修领导小组，由校长担任组长。") == [
        "原文规定由校长担任，而不是教务主任"]
