from assistant.question import analyse
from assistant.wording import plain_wording


def test_spoken_forms_are_read_in_the_documents_words() -> None:
    assert plain_wording("县一级要承担什么责任") == "县级要承担什么责任"
    assert plain_wording("骨干班报名卡不卡年龄") == "骨干班报名年龄有没有限制"
    assert plain_wording("是学校换个人补上，还是名额作废？") == "是学校递补，还是名额作废？"
    assert plain_wording("骨干班推荐我们读哪几本书？") == "骨干班推荐我们读哪些书目？", "几本书 is one word to the tokenizer"
    assert plain_wording("学分不够怎么补上") == "学分不够怎么补上", "making up credits is no one taking a place"
    assert plain_wording("教龄、年龄卡不卡") == "教龄、年龄有没有限制"
    assert plain_wording("新课标出来了，课标培训怎么安排") == "新课程标准出来了，课程标准培训怎么安排"
    assert plain_wording("新课程标准") == "新课程标准"  # already the documents' word
    assert plain_wording("一级教师和二级教师") == "一级教师和二级教师"  # a rank, not a level of government
    assert "县级" in analyse("市一级、县一级各管什么？").terms
    # 住哪里 asks where one stays: 住 alone is no term, 住宿 is the documents' word (食宿由培训机构统一安排).
    assert plain_wording("培训住哪里") == "培训住宿哪里" and plain_wording("住在哪儿") == "住宿在哪儿"
    assert plain_wording("居住在哪里") == "居住在哪里"
    # What a body 管 is its 职责 (（三）县级职责), and a county's bureau is the county level's (县级教育行政部门).
    assert plain_wording("县教育局在国培里具体管哪些事？") == "县级教育局在国培里具体有哪些职责？"
    assert plain_wording("学校负责什么") == "学校有什么职责"
    assert plain_wording("谁管这个事") == "谁管这个事" and plain_wording("市县教育局") == "市县教育局"
    # A programme's money is its 经费; paying (交钱) is not.
    assert plain_wording("国培的钱从哪里来") == "国培的经费从哪里来"
    assert plain_wording("培训要交钱吗") == "培训要交钱吗"
    # Not taking part after all is the documents' 因故不能参加.
    assert plain_wording("被选上之后想退出可以吗？") == "被选上之后不能参加可以吗？"
    assert plain_wording("我临时去不了") == "我不能参加" and plain_wording("退出登录") == "退出登录"
    # A teacher's pay is the documents' 工资福利待遇 (保障其参训期间的工资福利待遇不受影响).
    assert plain_wording("学校会不会扣我绩效") == "学校会不会影响工资福利待遇"
    assert plain_wording("班主任津贴会不会停发？") == "班主任工资福利待遇会不会停发？"
    assert plain_wording("工资奖金照发吗") == "工资福利待遇照发吗"
    assert plain_wording("绩效评价不合格怎么办") == "绩效评价不合格怎么办", "the 绩效 of an evaluation is no pay"


def test_the_stage_back_at_ones_own_school_is_called_school_based_practice() -> None:
    assert plain_wording("骨干班回学校实践那段要交哪些东西？") == "骨干班校本实践那段要交哪些东西？"
    assert plain_wording("集中学完回到自己学校那一段，要做什么") == "集中学完校本实践那一段，要做什么"
    assert plain_wording("回校分享要讲多长时间") == "回校分享要讲多长时间"  # sharing after training is another thing


def test_whom_a_course_is_given_to_is_its_audience() -> None:
    assert plain_wording("这门课是给哪些老师上的") == "这门课培训对象是哪些教师"
    assert plain_wording("这个班是针对什么样的老师开的？") == "这个班培训对象是哪些教师？"
    assert plain_wording("给老师上课要备课吗") == "给老师上课要备课吗"


def test_what_a_body_or_role_must_do_is_its_duties() -> None:
    assert plain_wording("学校在教师参训这件事上要负什么责") == "学校在教师参训这件事上要有什么职责"
    assert plain_wording("我这个导师要干哪些活？") == "我这个导师要有哪些职责？"
    assert plain_wording("市级教育局要干什么") == "市级教育局有什么职责"
    assert plain_wording("周末要干什么") == "周末要干什么"


def test_back_at_school_is_a_place_not_a_body_with_duties() -> None:
    assert plain_wording("培训结束了还有任务吗？回学校要干啥") == "培训结束了还有任务吗？回学校要干啥"
    assert plain_wording("学校要干什么") == "学校有什么职责"
