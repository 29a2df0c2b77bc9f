from assistant.people import asked_person, names_a_person


def test_a_question_asking_who_fills_a_role_names_the_role() -> None:
    assert asked_person("这门课的主讲专家都有谁") == "主讲专家"
    assert asked_person("培训班的班主任是谁？有没有联系电话？") == "班主任"
    assert asked_person("我们县的实践导师都有谁？") == "实践导师"


def test_asking_who_does_something_asks_for_no_person() -> None:
    assert asked_person("平台账号是谁给开的") == ""
    assert asked_person("骨干班考核是谁打分？") == ""
    assert asked_person("我们老师是谁管") == ""
    assert asked_person("你是谁") == ""
    assert asked_person("国家通知里重点支持的老师是哪些人？") == "", "which teachers: a group, not a person"
    assert asked_person("重点支持的老师是谁") == ""


def test_a_person_is_named_by_a_personal_name_not_by_words_the_tagger_takes_for_one() -> None:
    assert names_a_person("主讲专家：张明教授（某师范大学）")
    assert names_a_person("由李晓红老师担任班主任")
    assert not names_a_person("中小学幼儿园校长是本校教师培训第一责任人")
    assert not names_a_person("师德修养与乡村教育情怀；提交派出学校盖章的书面说明")
