from indexer.thesaurus import synonyms


def same_meaning(a: str, b: str) -> bool:
    return a == b or b in synonyms(a)


def test_synonym_groups_come_from_the_bundled_thesaurus() -> None:
    assert same_meaning("老师", "教师") and same_meaning("及格", "合格") and same_meaning("大纲", "纲要")
    assert "教师" in synonyms("老师") and "老师" not in synonyms("老师")


def test_related_words_and_one_character_members_are_not_synonyms() -> None:
    assert not same_meaning("学费", "住宿费")  # both fees (a # group in 词林), not the same fee
    assert "元" not in synonyms("钱")
    assert synonyms("不是一个词的字符串") == frozenset()


def test_the_policy_register_adds_how_regulations_phrase_bounds_and_periods() -> None:
    assert same_meaning("最少", "不少于") and same_meaning("至少", "不低于") and same_meaning("最多", "不超过")
    # 名额上限 is what a rule caps with 不超过; 最低 what it sets with 不少于.
    assert same_meaning("上限", "不超过") and same_meaning("封顶", "最多") and same_meaning("最低", "不少于")
    assert not same_meaning("上限", "不少于")
    assert same_meaning("每年", "每学年") and same_meaning("路费", "交通费") and same_meaning("提高", "提升")
    assert same_meaning("一年", "每学年")  # 一年要完成多少学时 asks the yearly requirement
    assert "盘缠" in synonyms("路费")  # 词林's own group is kept beside the added one
    assert not same_meaning("最少", "最多")


def test_a_teachers_name_for_a_thing_of_training_finds_the_documents_name() -> None:
    assert "自主选学" in synonyms("挑课") and "培训费" in synonyms("学费") and "倍速播放" in synonyms("快进")
    assert "考核" not in synonyms("考试"), "an exam is not the assessment the documents describe"
    assert "公办" not in synonyms("民办")
    assert "福利" in synonyms("奖金") and "青蓝结对" in synonyms("师徒") and "工学矛盾" in synonyms("冲突")
    assert "伙食" in synonyms("饭钱") and "听课" in synonyms("观课") and "客户端" in synonyms("app")
    assert "收费" in synonyms("交钱") and "交费" in synonyms("掏钱")
    assert "交纳" in synonyms("交钱"), "参训教师不交纳任何费用 answers 参加国培要交钱吗"
    assert "往返" in synonyms("来回") and "人工智能" in synonyms("ai") and "教育行政部门" in synonyms("教育局")
    assert "人数" in synonyms("名额"), "优秀有名额限制吗 is answered by 优秀人数不超过参训人数的20%"
    assert "专业技术职务" in synonyms("评职称"), "不得申报高一级专业技术职务 answers 会影响评职称吗"
    assert "未达标" in synonyms("不够"), "学分不够 is what 周期学分未达标 says"
    assert "备案" in synonyms("报备"), "方案几月前报备 is answered where a plan is 报教育部备案"
    assert "补贴" in synonyms("补助"), "有没有额外补助 is ruled out by 不得…发放参训教师补贴"
    assert "评定" in synonyms("打分"), "考核是谁打分 is answered by 由专家组评定"


def test_field_synonyms_leave_out_the_general_thesaurus() -> None:
    from indexer.thesaurus import field_synonyms

    assert "读书" in synonyms("开卷") and field_synonyms("开卷") == frozenset()
    assert "交通费" in field_synonyms("路费")


def test_attendance_is_what_the_documents_call_kaoqin() -> None:
    assert "考勤" in synonyms("出勤")


def test_a_bodys_responsibilities_are_its_duties() -> None:
    assert "职责" in synonyms("责任")


def test_a_generic_education_department_is_read_as_a_provinces_or_a_countys() -> None:
    # 省级教育部门要做什么: the notice names the province's 教育厅, never 教育部门.
    assert {"教育厅", "教育局", "教育行政部门"} <= synonyms("教育部门")
    assert "教育厅" not in synonyms("教育局")  # a county's bureau is not the province's department


def test_categories_name_the_semantic_field_of_every_sense() -> None:
    from indexer.thesaurus import categories

    assert {c[:2] for c in categories("苹果")} == {"Bh"}  # 植物
    assert {c[:2] for c in categories("老师")} == {"Ae"}  # 职业
    assert len({c[:2] for c in categories("舞蹈")}) == 2  # an art (Dk) and an activity (Hh)
    assert categories("没有这个词") == frozenset()
