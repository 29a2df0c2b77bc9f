from indexer.structure import heading_name, heading_rank, heading_text, is_pure_heading, parse_structure


def test_heading_ranks_follow_official_numbering():
    assert heading_rank("一、基本思路") < heading_rank("（一）支持重点。") < heading_rank("1. 突出")
    assert heading_rank("1. 突出") < heading_rank("（1）细则")
    assert heading_rank("第一章 总则") < heading_rank("第三条 本办法")
    assert heading_rank("## 小节") < heading_rank("一、基本思路")
    assert heading_rank("2021年5月底前报送。") is None
    assert heading_rank("3.5亿元用于培训。") is None


def test_heading_text_cuts_inline_headings_at_the_first_full_stop():
    assert heading_text("（一）支持重点。实施示范项目，重点加强方向方法引领。") == "（一）支持重点"
    assert heading_text("3. 完善教师自主发展机制。强化分层分类。") == "3. 完善教师自主发展机制"
    assert heading_text("第十条 教师应当参加培训。") == "第十条"
    assert heading_text("## 培训目标") == "培训目标"
    assert is_pure_heading("（二）推进重点改革，完善高质量精准化的培训机制")
    assert not is_pure_heading("（一）支持重点。实施示范项目。")


def test_sections_cover_the_text_and_nest():
    text = "标题\n文号〔2021〕4号\n前言正文。\n一、总体\n（一）要求。内容甲。\n1. 细项。内容乙。\n二、保障\n内容丙。"
    st = parse_structure(text)
    assert st.title == "标题"
    assert st.doc_number == "文号〔2021〕4号"
    assert st.sections[0].start == 0 and st.sections[-1].end == len(text)
    for a, b in zip(st.sections, st.sections[1:], strict=False):
        assert a.end == b.start
    labels = [s.label for s in st.sections]
    assert labels == ["前言", "一、总体", "一、总体 > （一）要求", "一、总体 > （一）要求 > 1. 细项", "二、保障"]


def test_regulation_articles_nest_under_chapters():
    text = "第一章 总则\n第一条 为了规范培训，制定本办法。\n第二章 学分\n第五条 学分按学时折算。"
    labels = [s.label for s in parse_structure(text).sections]
    assert labels == ["第一章 总则", "第一章 总则 > 第一条", "第二章 学分", "第二章 学分 > 第五条"]


def test_a_leading_markdown_title_is_the_title_not_a_section():
    st = parse_structure("# 校本研修实施指南\n一、总则\n内容。")
    assert st.title == "校本研修实施指南"
    assert [s.label for s in st.sections] == ["前言", "一、总则"]


def test_a_heading_name_is_the_heading_without_its_number():
    assert heading_name("（三）送教下乡培训项目") == "送教下乡培训项目"
    assert heading_name("2.参训教师任务") == "参训教师任务"
    assert heading_name("第五条 经费") == "经费"
    assert heading_name("二、项目设置") == "项目设置"
    assert heading_name("总体要求") == "总体要求"


def test_an_faq_entry_written_as_a_question_line_is_its_own_section() -> None:
    """问1：…？ 答：… is how many county FAQs are written; every entry was 「前言」 and its question was quoted as if
    it answered."""
    text = ("某县参训学员常见问题解答\n问1：结业证书什么时候发？\n答：培训结束后30个工作日内发放。\n"
            "问2：差旅费由谁承担？\n答：由所在学校报销。\n问：这是一句说明，不是问题。\n")
    labels = [s.label for s in parse_structure(text).sections]
    assert labels == ["前言", "问1：结业证书什么时候发？", "问2：差旅费由谁承担？"], labels
    assert heading_name("问1：结业证书什么时候发？") == "结业证书什么时候发？"


def test_a_short_numbered_label_with_its_value_is_a_fact_not_a_heading() -> None:
    assert not is_pure_heading("二、地点：青山县第三中学。") and not is_pure_heading("一、时间：2025年10月。")
    assert is_pure_heading("一、指导思想：") and is_pure_heading("（二）目标任务。") and is_pure_heading("1. 时间安排：")
