from assistant.listing import kinds_named, listed_noun, lists_kinds
from assistant.question import analyse


def test_a_list_question_names_what_it_asks_the_kinds_of() -> None:
    assert listed_noun(analyse("国培计划有哪些项目")) == "项目"
    assert listed_noun(analyse("省里有哪几类培训项目")) == "项目"
    assert listed_noun(analyse("骨干班有哪些课程模块")) == "模块"
    assert listed_noun(analyse("通知里国培分成哪几大类项目")) == "项目"
    assert listed_noun(analyse("语文骨干班的课程分哪几个模块？")) == "模块"
    # Asked after the thing: 给乡村老师的项目有哪些, 考核有哪几项 (过程性考核, 成果考核).
    assert listed_noun(analyse("省里专门给乡村学校老师的项目有哪些？")) == "项目"
    assert listed_noun(analyse("考核有哪几项")) == "考核"
    assert listed_noun(analyse("有哪些要求")) == ""
    assert listed_noun(analyse("校本研修都可以搞哪些形式的活动？")) == "活动", "形式 only says they differ in form"
    assert listed_noun(analyse("哪些地区的老师可以报")) == "地区"
    assert listed_noun(analyse("骨干班的研修目标有几条？")) == "目标", "有几条 asks for the items, as 有哪些 does"
    assert listed_noun(analyse("国培计划项目多少钱")) == "", "not a list question"


def test_a_passage_lists_kinds_when_it_names_two_of_them() -> None:
    listing = "实施示范项目，重点加强方向方法引领。实施中西部骨干项目，重点支持农村学校骨干教师。"
    assert lists_kinds("项目", listing)
    assert not lists_kinds("项目", "强化省域内项目规划、项目区县遴选。"), "项目 at the start of a word is no kind of it"
    assert not lists_kinds("项目", "实施示范项目，重点加强方向方法引领。")
    # A table whose first column is headed by the noun lists its rows as kinds (研修活动: 听评课, 公开课).
    table = "校本研修学时按下表认定。\n研修活动 | 认定学时\n听评课（每次） | 2\n公开课（每节） | 6\n合计 | 8"
    assert kinds_named("活动", table) == {"听评课", "公开课"}
    assert kinds_named("活动", "专题讲座（每场） | 3", header="研修活动 | 认定学时") == {"专题讲座"}
    assert not kinds_named("项目", table)
