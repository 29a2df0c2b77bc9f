from assistant.catalogue import DocumentInfo, class_names, named_documents
from tests.assistant.kb import CATALOGUE


def test_one_entry_per_document_with_head_and_tail() -> None:
    by_id = {d.doc_id: d for d in CATALOGUE}
    assert set(by_id) == {"notice", "plan", "guide"}
    plan = by_id["plan"]
    assert (plan.head.id, plan.tail.id, plan.chunks) == ("plan:0", "plan:2", 3)
    assert plan.issuers == ("某省教育厅", "某省财政厅") and plan.date == "2021-06-18"
    assert (by_id["notice"].genre, plan.genre, by_id["guide"].genre) == ("通知", "规划", "指南")
    assert (by_id["notice"].level, plan.level) == ("national", "province")
    assert by_id["guide"].purpose == "为落实教师自主发展机制，制定本指南。" and by_id["guide"].purpose_chunk.id == "guide:0"
    assert plan.purpose == "" and plan.purpose_chunk is None


def test_documents_are_named_by_genre_or_level() -> None:
    assert named_documents("省里的方案对校本实践有什么要求", CATALOGUE) == ["plan"]
    assert named_documents("国家的通知和省里的规划在经费上有什么不同", CATALOGUE) == ["notice", "plan"]
    assert named_documents("校本研修指南适用于哪些学校", CATALOGUE) == ["guide"]
    assert named_documents("培训经费怎么安排", CATALOGUE) == []
    # How teachers say "our province / our city": 咱们省, 我们市.
    assert named_documents("咱们省对学分有什么要求", CATALOGUE) == ["plan"]
    assert named_documents("我们市的校本研修由谁牵头", CATALOGUE) == ["guide"]
    # 省级培训 is a training at the province's level, not the province's document.
    assert named_documents("县里推荐老师参加省级培训，先个人报名还是先学校推荐？", CATALOGUE) == []
    assert named_documents("省级的规划对学分有什么要求", CATALOGUE) == ["plan"]
    # 市级教育局 is a body of the city's level, whose duties any document may set out, not the city's document.
    assert named_documents("市级教育局要干什么", CATALOGUE) == []
    assert named_documents("省级教育部门在国培里要统筹哪些事", CATALOGUE) == []


def test_documents_are_named_in_english_by_whole_words() -> None:
    assert named_documents("what does the provincial plan say about credits", CATALOGUE) == ["plan"]
    assert named_documents("does the city guide mention mentoring", CATALOGUE) == ["guide"]
    assert named_documents("can you explain the credit rules", CATALOGUE) == []  # no plan in "explain"


def test_this_course_names_the_course_syllabus() -> None:
    """A teacher asks about "这门课" while reading a course syllabus; no other genre describes one course."""
    from dataclasses import replace

    syllabus = replace(CATALOGUE[0], doc_id="syllabus", title="“国培计划”小学语文骨干教师研修课程大纲")
    catalogue = [*CATALOGUE, syllabus]
    assert named_documents("学完这门课能拿几个学分", catalogue) == ["syllabus"]
    assert named_documents("这门小学语文骨干教师的课是给哪些老师上的", catalogue) == ["syllabus"]
    assert named_documents("本课程的考核怎么算", catalogue) == ["syllabus"]
    assert named_documents("课程资源怎么建设", catalogue) == []
    # A class is called by words of its syllabus's title: 骨干班, 语文班, 语文骨干班.
    assert named_documents("骨干班的线上部分主要学啥", catalogue) == ["syllabus"]
    assert named_documents("语文班线上学习的时长怎么统计", catalogue) == ["syllabus"]
    assert named_documents("培训班的班主任是谁", catalogue) == []
    # The words of a class's name say which document; grounding does not ask its passages to repeat them.
    assert class_names("骨干班集中期间能不能自己租房住", catalogue) == ["骨干"]
    assert class_names("培训班的班主任是谁", catalogue) == []


def test_a_level_names_its_documents_unless_one_of_them_is_named_more_precisely() -> None:
    from dataclasses import replace

    faq = replace(CATALOGUE[0], doc_id="faq", title="“国培计划”参训教师常见问题解答", issuers=("某市教师发展中心",))
    catalogue = [*CATALOGUE, faq]
    assert faq.level == "city"
    assert set(named_documents("匿名评教，省里和市里分别怎么落实", catalogue)) == {"plan", "guide", "faq"}
    assert set(named_documents("省方案和市里答疑对请假的上限说法一样吗", catalogue)) == {"plan", "faq"}
    assert set(named_documents("市里的指南和省里的方案对学分的要求一样吗", catalogue)) == {"plan", "guide"}
    assert set(named_documents("市里校本研修的学时和省里的一样吗", catalogue)) == {"plan", "guide"}


def test_an_education_department_is_not_the_ministry() -> None:
    assert named_documents("省级教育部门和教育部在国培里各管什么", CATALOGUE) == ["notice"]
    assert named_documents("教育部和省里的文件对经费怎么说", CATALOGUE) == ["notice", "plan"]


def test_a_document_names_its_whole_subject_in_its_title_or_its_short_name() -> None:
    by_id = {d.doc_id: d for d in CATALOGUE}
    assert by_id["plan"].own_names == ("国培计划",)
    assert by_id["guide"].own_names == ()
    notice = DocumentInfo("n", "教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知", "", (), 2021, "",
                          "policy", None, None, 1,
                          purpose="为推进教师培训提质增效，就中小学幼儿园教师国家级培训计划（以下简称“国培计划”）实施工作通知如下。")
    assert notice.own_names == ("国培计划",)


def test_the_province_is_its_document_when_the_knowledge_base_holds_one_and_its_level_otherwise() -> None:
    from assistant.catalogue import levels_as_written

    assert levels_as_written("省里要做什么", CATALOGUE) == "省里要做什么", "the provincial plan is held"
    notice_only = [d for d in CATALOGUE if d.level == "national"]
    assert levels_as_written("省里要做什么，市里呢", notice_only) == "省级要做什么，市级呢"
    assert levels_as_written("省里面的学校", notice_only) == "省里面的学校"
    # 县里 is what teachers call the county level (the notice: 落实县级责任); 县里面, 县城里 are places.
    assert levels_as_written("通知里对县里有什么要求", notice_only) == "通知里对县级有什么要求"
    assert levels_as_written("县里面的学校，县城里", notice_only) == "县里面的学校，县城里"


def test_a_trainers_note_or_detailed_rules_is_named_by_its_genre() -> None:
    note = DocumentInfo("note", "培训学分管理补充说明", "", (), None, "", "resource", None, None, 2)
    rules = DocumentInfo("rules", "某市教师培训实施细则", "", (), None, "", "resource", None, None, 2)
    catalogue = [*CATALOGUE, note, rules]
    assert (note.genre, rules.genre) == ("说明", "细则")
    assert named_documents("补充说明里学分怎么登记？", catalogue) == ["note"]
    assert named_documents("细则对补助怎么规定", catalogue) == ["rules"]
    # 说明 as a verb names nothing: 答疑里说明参训学员不交培训费.
    assert named_documents("那住宿费要说明吗", catalogue) == []


def test_a_programme_is_named_by_the_start_of_a_documents_own_name_and_others_are_outside_it() -> None:
    """国培 and 国培计划 name the programme the plan is about; 计划, the tail of its name, names nothing. A county's
    plan for its own training is outside that programme; a county's 国培 送教下乡 schedule, whose title says 国培,
    is not."""
    from assistant.catalogue import outside_programme, programme_named

    plan = DocumentInfo("plan", "某省“国培计划”（2021—2025年）实施规划", "", (), 2021, "", "policy", None, None, 9)
    county = DocumentInfo("county", "某县2026年县级教师培训实施方案", "", (), 2026, "", "resource", None, None, 2)
    schedule = DocumentInfo("visit", "青山县2025年国培送教下乡安排", "", (), 2025, "", "resource", None, None, 1)
    docs = [plan, county, schedule]
    assert programme_named(["国培", "补贴"], docs) == {"国培"}
    assert programme_named(["国培计划", "经费"], docs) == {"国培计划"}
    assert programme_named(["研修", "计划"], docs) == set()
    assert outside_programme({"国培"}, docs) == ("county",)
    assert outside_programme(set(), docs) == ()


def test_a_county_names_its_own_papers_as_a_province_does() -> None:
    county = DocumentInfo("county", "某县2026年县级教师培训实施方案", "", ("某县教育局",), 2026, "", "resource", None,
                          None, 2)
    plan = DocumentInfo("plan", "某省“国培计划”（2021—2025年）实施规划", "", (), 2021, "", "policy", None, None, 9)
    assert (county.level, plan.level) == ("county", "province")
    assert named_documents("县里的培训每天补助多少？", [plan, county]) == ["county"]
    # 县级 is a body or a rank in these texts (县级教师发展中心审核), not a pointer at a county's papers.
    assert named_documents("县级教师发展中心审核要多久？", [plan, county]) == []


def test_this_year_and_last_are_written_out_when_a_document_is_of_that_year() -> None:
    """今年 asked in 2026 names the 2026 notice beside the 2025 one, and 明年 a year no document is for; a span of
    years is no one year's document, and where no document is of one year the words are left alone."""
    from assistant.catalogue import years_as_written

    def doc(doc_id: str, title: str) -> DocumentInfo:
        return DocumentInfo(doc_id, title, "", (), None, "", "resource", None, None, 2)

    new = doc("new", "关于做好2026年“国培计划”报名工作的通知")
    old = doc("old", "关于做好2025年“国培计划”报名工作的通知")
    plan = doc("plan", "某省“国培计划”（2021—2025年）实施规划")
    assert (new.year_of_title, old.year_of_title, plan.year_of_title) == (2026, 2025, None)
    assert doc("x", "2025年至2026年培训安排").year_of_title is None
    assert years_as_written("今年报名什么时候截止", [new, old, plan], 2026) == "2026年报名什么时候截止"
    assert years_as_written("去年是几号报的名", [new, old, plan], 2026) == "2025年是几号报的名"
    assert years_as_written("明年什么时候报名", [new, old, plan], 2026) == "2027年什么时候报名"
    assert years_as_written("今年有哪些项目", [plan], 2023) == "今年有哪些项目"
