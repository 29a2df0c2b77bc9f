import pytest

from assistant.facts import (
    actors,
    cn_number,
    covers_year,
    cycle_length,
    has_contact,
    has_date,
    has_url,
    listed_items,
    periods,
    quantities,
)


@pytest.mark.parametrize(("text", "value"), [("七十二", 72), ("两", 2), ("十", 10), ("一百二十", 120),
                                             ("三点五", 3.5), ("一万五千", 15000), ("12", 12), ("天", None)])
def test_numerals(text: str, value: float | None) -> None:
    assert cn_number(text) == value


def test_figures_carry_their_kind() -> None:
    found = [(q.value, q.kind) for q in quantities("每学年不少于七十二学时，每十学时折算一学分，按5%安排，每人每天550元")]
    assert found == [(72, "hours"), (10, "hours"), (1, "credits"), (5, "percent"), (550, "money")]
    assert [(q.value, q.kind) for q in quantities("百分之五")] == [(5, "percent")]
    assert [(q.value, q.kind) for q in quantities("不少于周期总学分的三分之一")] == [(33.33, "percent")]
    assert [q.value for q in quantities("千分之五")] == [0.5]
    assert [(q.value, q.kind) for q in quantities("结对周期为两年，2025年完成")] == [(2, "duration"), (2025, "year")]
    # N日 after a month is a day of it; on its own (结束后30日内, 超过3日) it is a span of days.
    assert [(q.value, q.kind) for q in quantities("项目结束后30日内登记，6月30日前报送")] == [
        (30, "duration"), (6, "month"), (30, "day")]


def test_an_age_is_no_span_of_weeks() -> None:
    # 50周岁 was read as 50周: a note then set "50周" against another document's 3个月.
    found = [(q.value, q.kind) for q in quantities("教龄满5年、年龄不超过50周岁，可放宽至55岁")]
    assert found == [(5, "duration"), (50, "age"), (55, "age")]


def test_a_share_of_an_amount_of_time_is_marked_as_such() -> None:
    assert [q.of_time for q in quantities("请假超过集中研修总学时10%的，按经费的5%安排")] == [True, False]
    assert [q.of_time for q in quantities("缺勤不超过课时的百分之十")] == [True]


def test_a_cycle_is_a_span_and_a_grade_is_no_year() -> None:
    # 学分在一个周期内有效 answers 有效期多久; 五年一周期 has no week in it; 一年级 is a grade.
    assert [(q.value, q.kind) for q in quantities("学分在一个周期内累计有效")] == [(1, "duration")]
    assert [q.text for q in quantities("五年一周期")] == ["五年", "一周期"]
    assert quantities("一年级语文教师") == []


def test_numerals_inside_words_are_not_figures() -> None:
    assert quantities("统一组织第一批一对一帮扶，十四五期间") == []


def test_dates_periods_addresses_contacts() -> None:
    assert has_date("于每年2月底前报送") and has_date("开学后两周内报教务处") and not has_date("加强师德师风建设")
    # A moment of the course answers "when" (结业时领取证书); 培训时间 is no moment but the word for one.
    assert has_date("考核合格的学员在结业时领取纸质结业证书") and not has_date("培训时间请见附件")
    # A time of day answers 几点, but 3点要求 counts points and 1.5 is a number.
    assert all(has_date(t) for t in ("签到时间为早上8点，", "午餐时间为12点。", "上午7点30分", "下午14:30开始", "晚上八点半"))
    assert not any(has_date(t) for t in ("提出以下3点要求", "提高1.5点", "每次8学时"))
    assert periods("国家级培训计划（2021—2025年）") == [(2021, 2025)]
    assert covers_year("（2021—2025年）", 2023) and not covers_year("（2021—2025年）", 2027)
    assert has_url("登录 www.example.edu.cn 查询") and has_url("https://px.example.cn/a") and not has_url("登录平台")
    assert has_contact("电话 010-12345678") and has_contact("邮箱 px@example.cn") and not has_contact("2021年")


def test_actors_are_whole_words() -> None:
    assert actors("由校长担任组长，报学校教务处备案") == ["校长", "组长", "学校", "教务处"]
    assert "教育部" in actors("报送至教育部")


def test_a_span_that_names_a_plan_is_no_length() -> None:
    from assistant.facts import names_plan

    text = "制定五年规划，集中研修不少于10天"
    spans = {f.text: names_plan(text, f) for f in quantities(text)}
    assert spans == {"五年": True, "10天": False}
    assert names_plan("落实三年行动计划", quantities("落实三年行动计划")[0])
    assert names_plan("本地区三年实施方案", quantities("本地区三年实施方案")[0])


def test_one_after_a_bound_and_a_verb_is_a_count() -> None:
    """至少上一节公开课 asks one lesson of each teacher; 上一节课 alone is the previous lesson, 统一 no figure, and
    要建一批 a vague "some"."""
    assert [(f.text, f.kind) for f in quantities("每位教师每学期至少上一节公开课")] == [("一节", "count")]
    assert [(f.text, f.kind) for f in quantities("原则上只参加一次")] == [("一次", "count")]
    assert quantities("上一节课讲到的内容") == [] and quantities("统一组织") == []
    assert quantities("要建一批精品课程") == []


def test_a_bound_is_read_from_the_nearest_bound_word_in_the_figures_clause() -> None:
    from assistant.facts import bound

    def of(text: str, figure: str, reach: int = 4) -> int:
        return bound(text, next(f for f in quantities(text) if f.text == figure), reach)

    assert of("面向教龄满2年的教师", "2年") == 1 and of("60分及以上为合格", "60分") == 1
    assert of("年龄不超过55周岁", "55周岁") == -1 and of("累计请假超过2天的，不予结业", "2天") == -1
    assert of("网络研修不足24学时的，不得评为合格", "24学时") == 1, "不足24学时的 fails: 24 is the minimum"
    assert of("同一年度原则上只参加1个项目", "1个", reach=12) == -1
    assert of("每人每天450元", "450元") == 0
    # 满意度 is no 满2年; the word nearest the figure decides (不少于4个月，…不超过30%).
    assert of("学员匿名评价满意度为80%", "80%", reach=12) == 0
    assert of("总周期不少于4个月，网络研修学时不超过项目总学时的30%", "30%", reach=12) == -1


def test_a_figure_before_a_cycle_is_its_length() -> None:
    five, one = quantities("教师培训实行五年一周期的学分管理。")
    assert cycle_length("教师培训实行五年一周期的学分管理。", five)
    assert not cycle_length("教师培训实行五年一周期的学分管理。", one)
    (days,) = quantities("项目结束后15个工作日内完成登记")
    assert not cycle_length("项目结束后15个工作日内完成登记", days)


def test_an_ordinal_is_no_figure() -> None:
    assert quantities("第三个模块学什么") == []
    assert quantities("第2天几点报到") == []
    assert [q.text for q in quantities("每学年至少上1节，第一节在3月")] == ["1节", "3月"]


def test_the_longest_list_in_one_clause_is_counted() -> None:
    assert listed_items("将国家安全、法治教育、生态教育等内容纳入教师校园长培训。") == 3
    assert listed_items("采取“集中研修—校本实践—总结提升”三段式混合培训") == 3
    assert listed_items("强化新时代教师职业行为十项准则学习。") == 0
    assert listed_items("统筹思想政治、师德师风培训，引导教师树立历史观、民族观、国家观、文化观。") == 4


def test_a_level_is_counted() -> None:
    assert [(f.value, f.kind) for f in quantities("持续打造省市县三级教师培训专家库")] == [(3, "count")]


def test_wan_alone_is_a_sum_but_wan_ren_is_a_count() -> None:
    assert [(f.value, f.kind) for f in quantities("安排了30万专项资金")] == [(30, "money")]
    assert [(f.value, f.kind) for f in quantities("每年培训3万人")] == [(3, "count")]
