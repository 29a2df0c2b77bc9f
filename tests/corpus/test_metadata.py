from corpus.metadata import find_date, find_doc_number, find_issuers

PLAN = """某省“国培计划”（2021—2025年）实施规划
某教师〔2021〕12号
各市、县（区）教育局、财政局：
现将实施规划印发给你们，请认真贯彻执行。
一、总体目标
到2025年，完成全省教师培训十万人次。
某省教育厅　某省财政厅
2021年6月18日
"""


def test_doc_number_prefers_a_line_of_its_own() -> None:
    text = "关于转发《教育部关于X的通知》（教师函〔2020〕9号）的通知\n某教师〔2021〕12号\n正文"
    assert find_doc_number(text) == "某教师〔2021〕12号"
    assert find_doc_number("某教师 [ 2021 ] 12 号\n") == "某教师〔2021〕12号"
    assert find_doc_number("没有文号的资料\n正文") == ""


def test_date_line_at_the_foot() -> None:
    assert find_date(PLAN) == "2021-06-18"
    assert find_date("标题\n（2022年1月5日）\n正文") == "2022-01-05"
    assert find_date("正文提到2021年5月底前报送。") == ""
    assert find_date("标题\n2021年13月40日") == ""


def test_issuers_from_title_or_signature() -> None:
    title = "教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知"
    assert find_issuers(title, "") == ("教育部", "财政部")
    assert find_issuers("某省“国培计划”（2021—2025年）实施规划", PLAN) == ("某省教育厅", "某省财政厅")
    assert find_issuers("校本研修实施指南", "正文\n没有落款") == ()


def test_issuers_from_a_labelled_line_at_the_top() -> None:
    page = "当前位置：首页 > 国培专栏\n常见问题解答\n发布单位：某市教师发展中心　发布时间：2021年9月　为帮助参训教师……\n一、参训资格"
    assert find_issuers("常见问题解答", page) == ("某市教师发展中心",)
    syllabus = "# 课程大纲\n- 项目名称：骨干教师能力提升培训\n- 承办单位：某师范大学教师教育学院\n- 制订时间：2021年9月"
    assert find_issuers("课程大纲", syllabus) == ("某师范大学教师教育学院",)
    assert find_issuers("无名文件", "一、总则\n本办法适用于全市。") == ()
