import pytest

from assistant.asked_facts import holds_fact
from assistant.question import Asks, analyse, bridged, states_eligibility
from assistant.wording import plain_wording


@pytest.mark.parametrize(("question", "asks", "unit"), [
    ("培训补贴每人每天多少钱？", Asks.QUANTITY, "money"),
    ("每年要修满多少学时", Asks.QUANTITY, "hours"),
    ("经费占公用经费的比例是多少", Asks.QUANTITY, "percent"),
    ("过程性考核的比重是多少", Asks.QUANTITY, "percent"),
    ("结业考核的权重是多少", Asks.QUANTITY, "percent"),
    ("阅读和写作的模块各占多少学时", Asks.QUANTITY, "hours"),
    ("材料什么时候之前要交", Asks.DATE, None),
    ("这一轮国培管的是哪几年？", Asks.DOCUMENT, None),
    ("领导小组组长由谁担任", Asks.ACTOR, None),
    ("报名网址是什么", Asks.LOCATION, None),
    ("在哪里报名", Asks.LOCATION, None),
    ("国培计划的经费从哪里来？", Asks.OTHER, None),  # a source, not a place
    ("培训经费从哪儿出，有哪些渠道", Asks.LIST, None),
    ("省里的方案和国家的通知有哪里不一样", Asks.OTHER, None),  # a difference, not a place
    ("学分在哪里能查到", Asks.LOCATION, None),
    ("几时开始报名", Asks.DATE, None),
    ("培训考核的评价标准是什么", Asks.OTHER, None),  # criteria, not a figure
    ("误餐补助标准是每天多少", Asks.QUANTITY, "money"),
    ("有问题打什么电话咨询", Asks.CONTACT, None),
    ("什么是学分银行", Asks.DEFINITION, None),
    ("学分怎么认定", Asks.PROCEDURE, None),
    ("国培想提高老师哪几方面的能力？", Asks.LIST, None),
    ("新任教师必须参加吗", Asks.YESNO, None),
    ("经费是按10%安排吗", Asks.YESNO, None),
    # A limit on something measured is asked for as the figure the rule sets; a limit on anything else is a yes/no.
    ("参加国培的老师年龄有限制吗", Asks.QUANTITY, "age"),
    ("优秀有没有比例限制", Asks.QUANTITY, "percent"),
    ("跨类型报名有没有限制", Asks.YESNO, None),
    # How many people of a kind is a head count: a duration (集中研修不少于10天) is no answer to it.
    ("省里这五年打算培训多少校长和园长？", Asks.QUANTITY, "count"),
    ("一个导师带多少学员", Asks.QUANTITY, "count"),
    # Which of two, asked first, is what the question is after; a figure asked after it is secondary.
    ("学员匿名评价是结业前填还是结业后填？给几天时间？", Asks.OTHER, None),
    ("要考几门？是开卷还是闭卷？", Asks.QUANTITY, "count"),
    ("How many hours of training a year?", Asks.QUANTITY, "hours"),
    ("When must the report be sent?", Asks.DATE, None),
])
def test_what_is_asked(question: str, asks: Asks, unit: str | None) -> None:
    q = analyse(question)
    assert (q.asks, q.unit) == (asks, unit)


@pytest.mark.parametrize(("question", "field"), [
    ("这份通知的文号是多少", "number"),
    ("这个文件是哪几个部门一起印发的", "issuers"),
    ("省里的方案是什么时候发布的", "date"),
    ("这份文件的全称叫什么", "title"),
    ("知识库里有哪些文件", "list"),
])
def test_questions_about_a_document(question: str, field: str) -> None:
    q = analyse(question)
    assert q.asks == Asks.DOCUMENT and q.document_field == field


def test_a_program_name_is_not_a_document_question() -> None:
    assert analyse("国培计划的全称是什么").asks != Asks.DOCUMENT


def test_focus_keeps_topic_words_and_drops_framing() -> None:
    q = analyse("请问咱们老师的培训补贴每人每天到底多少钱？")
    assert "补贴" in q.focus and "培训" in q.focus
    assert not {"请问", "咱们", "老师", "到底", "多少"} & set(q.focus)
    assert analyse("國培計劃的經費怎麼保障").focus[:2] == ("国培计划", "经费")
    # 答疑 names the FAQ sheet (where to look), 满足/才能 frame the condition asked for.
    assert analyse("市里答疑说结业要满足哪几条？").focus == ("结业",)
    assert analyse("报名什么时候截止").focus == ("报名",)  # the last day is the date asked for, not a topic


def test_in_which_day_asks_a_date_and_in_where_a_place() -> None:
    assert analyse("结业考核在哪天").asks == Asks.DATE and analyse("培训在哪一天开始").asks == Asks.DATE
    assert analyse("结业考核在哪").asks == Asks.LOCATION
    assert analyse("要满足哪些条件才能结业？").focus == ("条件", "结业")


def test_stated_figures_and_years_are_read() -> None:
    q = analyse("2027年以后还是按公用经费的5%安排吗")
    assert q.years == (2027,) and [f.text for f in q.figures] == ["5%"] and q.yesno


def test_a_named_unit_is_strict_an_implied_one_is_not() -> None:
    money = analyse("补贴每人每天多少钱")
    assert money.strict_unit and not holds_fact(money, "按年度公用经费的5%安排")
    budget = analyse("学校每年要拿出多少经费培训老师")
    assert not budget.strict_unit and holds_fact(budget, "按年度公用经费的5%安排")
    # What a body spends out of its budget may be a share of it, though 钱 is named; what one receives is not.
    spends = analyse("学校每年得拿多少钱出来搞老师培训")
    assert not spends.strict_unit and holds_fact(spends, "按年度公用经费的5%安排")
    assert not analyse("学校每年要拿多少钱搞培训").strict_unit  # 拿多少钱搞…: spent on something, as 拿出
    assert analyse("乡村教师生活补助一个月能拿多少钱").strict_unit
    # A sum per teacher is never a share of a school's budget.
    per_teacher = analyse("每个老师每年能拿到多少培训补助？")
    assert per_teacher.strict_unit and not holds_fact(per_teacher, "按年度公用经费的5%安排")
    # What a body spends in all is no sum per head, however close the sentence (一个县的交通费补助).
    county = "培训经费从县级教师培训专项经费中列支，参训教师的交通费按每人每天50元标准补助。"
    assert not holds_fact(budget, county) and holds_fact(budget, "省级财政每年安排不少于3000万元专项经费。")
    assert holds_fact(money, county), "asked per head, a sum per head answers"
    assert holds_fact(analyse("什么时候报送"), "于每年2月底前报送")
    # A share of the hours is a limit in time: it answers 请假超过多长时间 as 2天 does; other shares do not.
    leave = analyse("请假超过多长时间就不能结业")
    assert holds_fact(leave, "累计请假超过集中研修学时15%的，不予结业")
    assert not holds_fact(leave, "优秀人数不超过参训人数的20%")
    assert not holds_fact(analyse("报名网址是什么"), "通过学校推荐报名")


def test_two_units_offered_as_alternatives_accept_either() -> None:
    either = analyse("要挑够几门还是几个学时？")
    assert either.asks == Asks.QUANTITY and either.unit is None and not either.strict_unit
    assert holds_fact(either, "从平台课程资源中自选不少于3门语文类课程")
    assert analyse("要挑够几个学时？").unit == "hours"
    assert holds_fact(analyse("在哪里报名"), "登录省教师培训平台报名")


def _uses(**counts: int):
    return lambda word: counts.get(word, 0)


def test_an_english_question_is_bridged_to_the_words_the_knowledge_base_uses() -> None:
    q = bridged(analyse("Is there a credit bank for teacher training credits?"),
                _uses(学分=40, 银行=3, 教师=90, 导师=5, 培训=120, 训练=2))
    assert q.cross_lingual and q.focus == ("学分", "银行", "教师", "培训") and q.terms == q.focus
    assert q.alternatives() == {"教师": ("导师",), "培训": ("训练",)}


def test_english_words_without_a_rendering_stay_key_terms() -> None:
    q = bridged(analyse("How do I renew my driver's license?"), _uses(更新=4))
    assert q.focus == ("更新", "driver", "license")


def test_question_scaffolding_is_never_a_rendering() -> None:
    q = bridged(analyse("How many credits do I need?"), _uses(学分=40, 需要=80, 必需=2))
    assert "需要" not in q.focus and "需要" not in sum(q.alternatives().values(), ())
    assert q.focus[0] == "学分"


def test_naming_the_document_in_english_is_not_a_key_term() -> None:
    q = bridged(analyse("What does the notice say about rural teachers?"), _uses(农村=2, 教师=90))
    assert q.focus == ("农村", "教师")  # like 通知 in a Chinese question: where to look, not what about


def test_chinese_questions_are_not_bridged() -> None:
    q = analyse("学分银行是什么")
    assert bridged(q, _uses(学分=1)) is q


def test_the_documents_a_notice_rests_on_are_not_the_knowledge_base_list() -> None:
    assert analyse("知识库里有哪些文件？").document_field == "list"
    for q in ("这个通知是为了落实哪些文件？", "通知依据哪些文件制定的？"):
        assert analyse(q).asks != Asks.DOCUMENT, q
    assert plain_wording("哪些内容是必须学的？") == "哪些内容是必修的？"
    assert plain_wording("必须学会使用平台") == "必须学会使用平台"


def test_how_to_look_a_figure_up_is_a_procedure() -> None:
    assert analyse("我怎么查自己攒了多少学分？").asks == Asks.PROCEDURE
    assert analyse("一共要攒多少学分？").asks == Asks.QUANTITY


def test_a_request_for_new_writing_names_the_kind_of_text() -> None:
    assert analyse("我是班主任，帮我写一份五分钟左右的家长会发言稿").compose == "发言稿"
    assert analyse("能不能帮我起草个校本研修计划？").compose == "计划"
    assert analyse("请你写一篇心得体会").compose == "心得体会"
    assert analyse("能代写一份研修总结吗？").compose == "总结"
    assert analyse("幫我寫一份學校教研活動的通知").compose == "通知"
    for q in ("研修总结要写多少字？", "帮我总结一下校本研修的要求", "实施方案的指导思想是怎么写的？", "要不要写反思？",
              "代课老师也要写教案吗？", "通知里写了哪些要求？"):
        assert analyse(q).compose == "", q


def test_a_request_to_think_up_ideas_is_one_for_new_writing_too() -> None:
    ideas = analyse("帮我想几个教研组团建的活动，人均预算一百块左右")
    assert (ideas.compose, ideas.compose_verb) == ("活动", "构思")
    assert analyse("给我出几个校本研修的研讨题目").compose == "题目"
    assert analyse("帮我写一份研修总结").compose_verb == "代写"
    for q in ("骨干班出几个题目考核吗", "学校一学期要搞几个教研活动？", "送教下乡都设计了哪些环节"):
        assert analyse(q).compose == "", q


def test_the_years_a_programme_covers_is_a_question_about_its_document() -> None:
    for q in ("这一轮国培计划管的是哪几年？", "国培是从哪年到哪年的？", "Which years does this Guopei round cover?"):
        assert analyse(q).document_field == "period", q
    assert analyse("2023年到2025年每年要修多少学分？").asks != Asks.DOCUMENT
    assert analyse("学分银行从哪年开始建？").document_field is None
    assert analyse("国培学分的有效期是多久？").document_field is None  # a credit's validity, not the plan's years
    assert analyse("国培计划一共实施几年？").document_field == "period"
    assert analyse("骨干教师几年培训一次？").document_field is None


def test_what_a_document_says_as_a_whole_is_a_question_about_the_document() -> None:
    for q in ("这个通知主要讲了什么", "省里的规划有哪几部分", "校本研修指南讲了啥", "教育部2021年4号文讲了啥",
              "国培计划主要内容有哪些", "大纲的框架是什么样的"):
        assert analyse(q).document_fields == ("outline",), q
    for q in ("通知里对学分讲了什么", "通知里讲了哪些重点工作", "课程大纲里那两张表分别讲的什么？",
              "新教师培养这块，市里指南和国家通知都有提吗？各说了啥？"):
        assert "outline" not in analyse(q).document_fields, q


def test_a_head_field_of_the_programme_needs_no_document_word() -> None:
    assert analyse("国培计划的文号是什么").document_fields == ("number",)
    assert analyse("国培计划是哪个部门出台的").document_fields == ("issuers",)
    assert analyse("国培计划是什么时候发布的").document_fields == ("date",)
    for q in ("国培什么时候发证书？", "结业证书编号在哪里查？", "国培是谁组织实施的？", "培训证书是哪个部门发的？"):
        assert analyse(q).asks != Asks.DOCUMENT, q


def test_what_a_programme_is_for_is_asked_of_its_document() -> None:
    for q in ("国培到底是干啥的？", "国家为啥要发这个通知？", "国家搞国培计划，最终想达到什么目的？",
              "为啥要搞新一轮国培计划，文件里说的背景是什么", "国培计划出台的背景是什么", "国培计划是什么",
              "什么是国培？"):
        assert analyse(q).document_field == "purpose", q
    for q in ("为什么中间要安排一个校本实践阶段？", "培训的目的是什么？", "培训的背景知识", "国培计划是什么级别的培训"):
        assert analyse(q).asks != Asks.DOCUMENT, q
    assert analyse("国培计划是什么时候开始的").document_field == "period"


def test_when_the_programme_itself_ends_or_starts_is_its_period() -> None:
    assert analyse("国培计划啥时候结束").document_fields == ("period",)
    assert analyse("国培什么时候开始的？").document_fields == ("period",)
    # One phase of a project is not the programme.
    assert "period" not in analyse("国培的集中培训什么时候开始").document_fields


def test_modal_fusions_and_directional_complements_are_not_what_a_question_is_about() -> None:
    assert analyse("培训完多久学分能录进去").focus == ("培训", "学分")
    assert analyse("那每年的总结材料什么时候之前要交上去").focus == ("总结", "材料")
    assert "能报" not in analyse("我是教龄才三年的年轻老师，能报吗").focus
    assert "会计" in analyse("会计能参加国培吗").focus  # a real word that starts like a modal


def test_what_the_teacher_heard_or_felt_is_not_what_the_question_is_about() -> None:
    focus = analyse("省方案和市里答疑对请假的上限说法一样吗？我看到好像不太一样").focus
    assert "请假" in focus and not {"看到", "好像", "不太"} & set(focus)
    assert "同事" not in analyse("听同事说以后国培可以老师自己挑课了，真的假的？").focus


def test_a_question_about_the_assistant_itself_is_told_apart() -> None:
    for q in ("你是谁？都能回答什么问题", "你能帮我做什么", "怎么使用这个助手", "Who are you?", "/help", "帮助"):
        assert analyse(q).document_fields == ("self",), q
    for q in ("你们学校是什么时候开学", "你说的学分银行是什么意思", "我是谁的学员", "/foo", "我需要帮助解决学分问题"):
        assert "self" not in analyse(q).document_fields, q


def test_a_greeting_or_a_thank_you_alone_is_no_question_for_the_knowledge_base() -> None:
    for q in ("你好", "您好！", "老师好", "在吗？", "Hello"):
        assert analyse(q).document_fields == ("greeting",), q
    for q in ("谢谢", "好的，明白了", "Thanks!"):
        assert analyse(q).document_fields == ("thanks",), q
    for q in ("你好，培训费谁出？", "好的学习方法有哪些", "谢谢老师的指导是必须的吗"):
        assert analyse(q).document_fields == (), q


def test_one_day_in_how_much_per_day_is_no_figure_the_teacher_states() -> None:
    q = analyse("集中培训那几天有没有伙食补助？一天补多少钱")
    assert q.asks == Asks.QUANTITY and q.figures == ()
    assert analyse("住院了一周，能结业吗").figures, "a stated circumstance is still a figure (never corrected)"


def test_the_alternatives_of_an_either_or_question_are_read_as_written() -> None:
    assert analyse("结业考试是开卷还是闭卷？考哪些题型").choice == ("开卷", "闭卷")
    assert analyse("是培训机构的老师还是我们本地的？").choice == ("培训机构的老师", "我们本地的")
    assert analyse("培训期间能请假吗？").choice is None


def test_a_conversion_rate_called_a_share_asks_for_no_percentage() -> None:
    assert analyse("校本研修折学分按什么比例？").unit is None
    assert analyse("校本研修经费占公用经费的比例是多少？").unit == "percent"


def test_a_few_in_what_happened_is_no_question_about_how_many() -> None:
    assert analyse("缺了几次课能不能补学？怎么补").asks == Asks.PROCEDURE
    assert analyse("请了几天假还能结业吗").asks == Asks.YESNO
    assert analyse("一年有几次集中培训").asks == Asks.QUANTITY


def test_where_a_report_goes_is_a_body_that_receives_it() -> None:
    assert analyse("各省的实施方案做好以后要报到哪里？").asks == Asks.ACTOR
    assert analyse("学分证明交给哪儿").asks == Asks.ACTOR
    assert analyse("集中培训在哪里上课").asks == Asks.LOCATION


def test_several_documents_in_passing_do_not_ask_what_the_knowledge_base_holds() -> None:
    assert analyse("知识库里有几份文件？").document_fields == ("list",)
    assert "list" not in analyse("想把几份文件对学时、学分的规定列成一张表，能帮我理一下吗？").document_fields


def test_when_in_a_clause_asks_for_no_date() -> None:
    assert analyse("When does the training start?").asks == Asks.DATE
    assert analyse("What must the county do when teachers are sent away for training?").asks != Asks.DATE


def test_asking_whether_a_document_says_something_at_all() -> None:
    assert analyse("国家通知里有没有提到送教下乡？").asks_if_said
    assert analyse("师徒结对国家通知里也有吗？").asks_if_said
    assert not analyse("国家通知对送教下乡有什么要求？").asks_if_said


def test_how_many_documents_of_each_kind_asks_what_the_knowledge_base_holds() -> None:
    assert analyse("你们这里收的文件，国家级、省级、市级的各有几份？").document_fields == ("list",)
    assert analyse("省里收的培训费是多少").asks != Asks.DOCUMENT


def test_names_of_programmes_and_policies_are_what_is_quoted_or_before_a_word_for_a_policy() -> None:
    from assistant.question import named_things

    assert named_things("教育部的“强师计划”跟国培计划是一回事吗？")[0] == "强师计划"
    assert named_things("双减政策对课后服务时长怎么规定的？") == ["双减"]
    assert named_things("《中小学教师职业道德规范》是哪一年修订的？") == ["中小学教师职业道德规范"]
    assert named_things("省里的培训计划什么时候下达") == ["培训"], "a name the documents use is for the retriever to clear"


def test_a_follow_up_read_with_the_topic_asks_what_its_own_words_ask() -> None:
    from assistant.question import asking_as

    joined = analyse("学分认定：乡村教师每年能参加多少个国培项目？")
    assert joined.unit == "credits", "the topic's 学分 alone would make it a question about credits"
    own = asking_as(joined, analyse("乡村教师每年能参加多少个国培项目？"))
    assert own.asks == Asks.QUANTITY and own.unit == "count" and own.focus == joined.focus
    # 那线上是多少 names no unit: the topic's still says what is counted; 那线下呢 asks nothing of its own.
    topic = analyse("线上研修学时：那线上是多少？")
    assert asking_as(topic, analyse("那线上是多少？")).unit == topic.unit == "hours"
    bare = analyse("线上研修要学多少学时：那线下呢？")
    assert asking_as(bare, analyse("那线下呢？")) == bare


def test_a_share_of_something_asks_a_percent_by_name() -> None:
    for text in ("网络研修占总学时多少？", "网络研修占项目总学时的多少", "线上学习占多少？", "乡村教师占比要求是多少",
                 "乡村教师培训占多大比例", "网络研修占几成"):
        q = analyse(text)
        assert (q.unit, q.strict_unit) == ("percent", True), text
    assert analyse("阅读和写作的模块各占多少学时").unit == "hours", "a unit after 多少 says what is counted"


def test_whether_one_may_take_part_is_an_eligibility_question() -> None:
    for text in ("民办学校的老师能不能参加国培？", "我不是骨干教师，也能参加国培吗", "我怎么知道自己有没有资格参加？",
                 "我能报骨干班吗", "教了快二十年书的老教师，骨干班收不收？", "我是村小的数学老师，国培我能报名吗？",
                 "我是幼儿园老师，国培有我的份吗"):
        assert analyse(text).asks_eligibility, text
    for text in ("一年最多能参加几个国培项目", "请假了还能参加结业考核吗", "参加国培要交钱吗", "能参加哪些项目"):
        assert not analyse(text).asks_eligibility, text
    assert states_eligibility("“国培计划”项目面向项目县公办中小学、幼儿园在编在岗教师。")
    assert states_eligibility("年龄原则上不超过50周岁") and not states_eligibility("参训期间的课由学校安排代课。")
    # Whom a project supports is whom it is for; supporting an institution (发展机构) names no teacher.
    assert states_eligibility("实施中西部骨干项目，重点支持中西部欠发达地区农村义务教育学校、幼儿园骨干教师、校园长和培训者深度培训；")
    assert not states_eligibility("支持市县教师发展机构发挥好示范性作用。")


def test_who_the_teacher_says_they_are_is_their_circumstance() -> None:
    assert analyse("我是村小的数学老师，国培我能报名吗？").self_told == {"村小", "数学老师"}
    assert analyse("我是不是要参加？").self_told == frozenset()  # a clause that asks
    assert analyse("民办学校的老师能参加国培吗").self_told == frozenset()


def test_the_unit_right_after_the_question_word_says_what_is_counted() -> None:
    assert analyse("学分公示几天").unit == "duration", "it names 学分, but asks for days"
    assert analyse("一学分要多少学时").unit == "hours"
    assert analyse("能折几个学分").unit == "credits"
    assert analyse("网络研修一学时是多少分钟").unit == "duration" and analyse("多少分算合格").unit == "score"
    # 那几天 points at days already named; it asks nothing.
    assert analyse("集中培训那几天有没有伙食补助？一天补多少钱").unit == "money"


def test_the_unit_named_after_the_question_word_is_read_in_one_place() -> None:
    from assistant.question import unit_named

    assert unit_named(analyse("乡村教师每年能参加几次")) == "次" and unit_named(analyse("有几位专家")) == "位"
    assert unit_named(analyse("集中培训那几天住哪里")) == "" and unit_named(analyse("学分要求是什么")) == ""


def test_points_in_a_question_about_credits_are_credits_unless_a_mark_is_meant() -> None:
    assert analyse("学分每年最少要拿多少分").unit == "credits"
    assert analyse("结业考核要考多少分才算合格").unit == "score"


def test_ji_that_points_back_or_means_several_asks_for_no_figure() -> None:
    for text in ("出去培训的那几天学校会不会扣我绩效", "前几年参加过国培，今年还能再报吗", "近几年有没有新规定"):
        assert analyse(text).asks == Asks.YESNO, text
    assert analyse("一年要上几节公开课").asks == Asks.QUANTITY


def test_the_points_a_part_of_an_assessment_takes_are_its_weight() -> None:
    q = analyse("考核表里，校本实践成果那一项占多少分？")
    assert q.unit == "percent" and not q.strict_unit
    assert holds_fact(q, "校本实践成果 | 40% | 研究课教学设计与课堂实录")
    assert analyse("结业考核要考多少分才算合格").unit == "score"


def test_a_numbered_part_is_named_by_its_number() -> None:
    q = analyse("第一个模块要学多久？")
    assert "模块一" in q.terms and "模块一" in q.focus
    assert "第五条" in analyse("第五条说的是什么").terms
    # How long a part of a course takes is answered in its hours as well as in days.
    assert holds_fact(q, "模块一：师德修养与乡村教育情怀 | 8 | 集中面授", header="模块 | 学时 | 方式 | 主要内容")


def test_a_few_told_before_a_yes_no_ask_asks_no_figure() -> None:
    assert analyse("平台上同时开几个视频一起播，学时会不会都算？").asks == Asks.YESNO
    assert analyse("再组织几次线下研讨，这种搞法文件是支持的吧？").asks == Asks.YESNO
    # A clause that asks the figure itself, or a figure asked after the yes/no part, still asks for it.
    assert analyse("骨干班报到要交几张证件照？能用手机拍吗").asks == Asks.QUANTITY
    assert analyse("能请假吗，最多请几天").asks == Asks.QUANTITY


def test_what_a_trainers_paper_says_asks_for_its_outline() -> None:
    assert analyse("培训学分管理补充说明讲了什么？").document_fields == ("outline",)
    assert analyse("某县校本研修管理办法讲了什么？").document_fields == ("outline",)
    assert "办法" not in analyse("缓解工学矛盾有什么办法").focus  # asking for a way, not naming a thing


def test_who_the_contact_person_is_asks_for_a_person_not_a_number() -> None:
    """联系人是谁 was told 没有写明联系方式 above 联系人：县教师发展中心 李老师: a name answers it, not a phone number."""
    who = analyse("县教师发展中心的联系人是谁？")
    assert who.asks == Asks.ACTOR and holds_fact(who, "联系人：县教师发展中心 李老师")
    assert analyse("联系人电话是多少？").asks == Asks.CONTACT


def test_how_the_teacher_moves_on_is_not_what_they_ask() -> None:
    assert analyse("换个话题，学分银行是什么意思？").focus == analyse("学分银行是什么意思？").focus
    assert analyse("请问，国培是什么").focus == ("国培",)
    assert "另外" in analyse("另外还要交什么材料").text  # 另外 said as part of the question stays

