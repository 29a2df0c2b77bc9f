"""Open answers must be about school and teaching: nonsense that names the rubric's terms earns nothing, while
real teachers' answers (concrete, detailed, in their own words, about gardens and skipping ropes too) keep the
grade they had. The domain is the bundled knowledge base, the smallest a school can have."""

from __future__ import annotations

import pytest

from assistant.learning.grading import PASS_COVERAGE, grade
from assistant.learning.open_answer import assess
from assistant.learning.tasks import Task, TaskSource
from assistant.learning.topicality import (
    MAX_OFF_SHARE,
    MIN_SCHOOL_SHARE,
    Domain,
    about_school,
    school_share,
    strays,
    topic_words,
    topicality,
)
from corpus.bundled import bundled_documents

DOMAIN = Domain.from_texts(d.text for d in bundled_documents())


def reflection(sentence: str, first: str, second: str) -> Task:
    """A reflection task worded as the generator words it."""
    prompt = ("结合你所在学校或任教班级的实际，谈谈你将如何落实下面这项要求：\n"
              f"“{sentence}”\n（建议从现状分析、具体做法、预期效果三方面作答；用自己的话写，至少 30 字，100 字左右为宜。）")
    rubric = (f"准确理解原文要求，提到“{first}”", f"围绕“{second}”提出至少一项具体做法", "联系本校或本班的实际情况",
              "说明预期效果或检验方式")
    return Task(f"r-{first}", "reflection", prompt, TaskSource("c", "d", "通知", "二、重点工作", sentence), "参考要点",
                (), (), rubric)


def practice(sentence: str, deliverable: str, term: str) -> Task:
    prompt = (f"实践任务：设计一份{deliverable}。\n依据：“{sentence}”\n"
              "请结合本校实际完成，写明目标、参与对象和时间安排、具体步骤和分工、成果形式与评价方式。")
    checklist = (f"方案紧扣原文“{term}”的要求", "写明目标、参与对象和时间安排", "列出具体步骤和分工", "说明成果形式与评价方式")
    return Task(f"p-{term}", "practice", prompt, TaskSource("c", "d", "通知", "二、重点工作", sentence),
                f"一份{deliverable}，覆盖清单各项。", (), (), checklist)


LAYERS = reflection("强化分层分类，实施精准培训。", "分层分类", "精准培训")
SHORTAGE = reflection("加大体育、音乐、美术、劳动、科学等紧缺学科教师培训力度，", "紧缺学科", "教师培训")
GUOPEI = reflection("推进以教师自主学习、系统提升、持续发展为导向的“国培计划”改革，实行分层分类精准培训，建立教师自主发展机制。",
                    "国培计划", "分层分类")
PLAN = practice("强化分层分类，实施精准培训。", "个人周期性发展规划", "分层分类")
ETHICS = practice("围绕落实立德树人根本任务，统筹思想政治、师德师风、业务能力培训，将思想政治和师德师风作为必修内容。",
                  "师德师风主题学习活动方案", "立德树人")
FUNDS = practice("中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费，保障“国培计划”实施。",
                 "本校教师培训经费使用计划", "公用经费")

REAL = {
    "colloquial": (LAYERS, "说实话我们学校的培训以前就是听讲座，大家在下面改作业。我觉得分层分类是对的，比如我们数学组可以让刚毕业的"
                           "老师先练板书和提问，老教师去带徒弟、研究新课标，这样精准培训，每个人学的都是自己需要的。学期末开个交流会，"
                           "看看课堂上是不是有变化。"),
    "kindergarten": (LAYERS, "我在乡镇幼儿园带小班，园里老师有的是幼师毕业，有的是转岗来的，基础不一样。分层分类培训对我们很实用：转岗"
                             "老师先学习一日生活常规和游戏组织，比如午睡、吃饭环节怎么照顾孩子，幼师毕业的老师学习观察记录。精准培训"
                             "之后，园长每月看半日活动，家长问卷也能反映效果。"),
    "toddlers": (LAYERS, "我们幼儿园小班的孩子刚入园，吃饭、午睡、洗手都要老师手把手教，新来的老师常常手忙脚乱。分层分类培训很有"
                         "必要：新老师先跟着老教师学习生活环节的组织，老教师学习游戏观察记录。精准培训后，每月园长随班看一次，"
                         "家长满意度调查也能看出效果。"),
    "short": (LAYERS, "我班学生基础差别大，我自己的培训也应该分层分类。我会根据上学期的听课反馈，选一门适合自己的线上课程做精准"
                      "培训，每周学两节，并在教研组分享，期末请师傅听课评价我的改进。"),
    "special school": (LAYERS, "我带的是特殊教育学校的培智班，孩子们的障碍类型和程度差别很大。分层分类培训对我们特别重要，我希望学校"
                               "按照自闭症、智力障碍等方向安排精准培训，让每位老师深入学习一种康复训练方法。半年后通过个别化教育计划"
                               "的完成情况检验效果。"),
    "reading": (LAYERS, "我教初中语文，班里有的学生一学期读不完一本书，有的已经在看《红楼梦》。我们语文组想先给老师们做个需求调查，"
                        "再分层分类安排培训：刚入职的老师练习整本书阅读的课堂组织，老教师研究读写结合，精准培训。每月一次读书沙龙，"
                        "期末比较学生的阅读量和作文成绩。"),
    "county": (GUOPEI, "我们县里的国培计划以前大多是集中听课，老师回来用不上。我校准备落实分层分类：青年教师参加课堂教学的工作坊，"
                       "骨干教师跟岗学习，并用学校的平台让老师自主选学。学期末看老师的公开课和学生评教，检验效果。"),
    "growth plan": (PLAN, "目标：三年内从新手成长为能独立承担公开课的骨干，落实分层分类的要求。参与对象是我本人和带教师傅王老师。"
                          "时间安排：第一学期每周听师傅两节课，第二学期起每月上一节汇报课。具体步骤：先做自我诊断，再制定读书和练课"
                          "计划，教研组长负责督促，师傅负责指导。成果形式是一份教学反思集和一节录像课，评价方式是学校考核和学生问卷。"),
    "ethics month": (ETHICS, "活动目标是让全体教师深入理解立德树人的要求，参与对象为全校62名教师，时间安排在九月到十二月，每月最后"
                             "一个周四下午。步骤：第一阶段集中学习十项准则，第二阶段各教研组讲述身边的师德故事，第三阶段评选“最美"
                             "教师”。分工：校办负责组织，教研组长负责讨论记录。成果形式是师德故事汇编，评价方式是家长和学生满意度调查。"),
    "learn from lei feng": (ETHICS, "我们策划的师德师风主题活动，目标是让老师们从身边的好人好事中学习立德树人。参与对象是全体教师，时间安排"
                                    "在三月学雷锋月。具体步骤：第一周每个年级推荐一位爱生如子的老师，第二周在升旗仪式上讲他们的故事，"
                                    "第三周组织老师到敬老院做志愿服务。德育主任负责统筹，年级组长负责推荐。成果形式是一本故事集，"
                                    "评价方式是教师互评和学生投票。"),
    "budget": (FUNDS, "目标是把公用经费的5%用好，让全体教师都能参加一次高质量培训。参与对象是全校35名老师，时间为本学年。步骤："
                      "九月调研需求，十月制定预算，其中外出学习占四成、专家进校讲座占三成、图书和网络课程占三成；总务处负责报账，"
                      "教务处负责安排。成果是培训总结和教师的课例，评价方式是年终审计和老师的满意度问卷。"),
    "dated budget": (FUNDS, "目标是用好公用经费的5%，让全体老师都参加培训。具体步骤：9月由教导处调研需求，10月组织两次校本研修，"
                            "11月选派骨干参加县里的集中培训；分工上校长审批，教导主任负责组织，财务负责报销。期末用问卷和听课"
                            "评价效果，形成总结报告。"),
    # Real answers about things policies never mention, and that fail the rubric for other reasons: the check
    # must not make them worse.
    "vegetable garden": (SHORTAGE, "我校是乡村学校，劳动课以前常被占用。落实紧缺学科培训后，我准备带学生在学校后面的菜园种白菜和萝卜，"
                                   "每个班分一块地，学生轮流浇水、除草，老师记录每个孩子的劳动表现。学期末举办丰收节，用学生的劳动"
                                   "日记和家长评价检验效果。"),
    "skipping rope": (SHORTAGE, "我是体育老师，学校操场只有一块水泥篮球场。为了加大紧缺学科培训力度，我想学习跳绳、踢毽子这些不需要"
                                "大场地的项目教学，每天大课间组织学生练习，每月进行一次班级跳绳比赛，期末用体质测试的合格率检验效果。"),
    "sunflowers": (SHORTAGE, "我们是农村小学，科学课一直由语文老师兼着上。落实紧缺学科的要求，我准备先参加县里的科学实验培训，再带"
                             "学生在学校的种植园里种向日葵、养蚕，观察植物和小动物的生长，期末让学生做观察日记展示，看看学生的探究"
                             "能力有没有提高。"),
    "paper cutting": (SHORTAGE, "我校美术老师只有两位，孩子们很喜欢画画和做手工。为了加大紧缺学科教师培训力度，我们计划每月请县美术"
                                "教研员来校指导一次，练习水彩和剪纸的教学方法，下学期举办学生作品展，请家长来参观打分，检验培训效果。"),
    "choir": (SHORTAGE, "我是学校唯一的音乐老师，合唱队和舞蹈队都归我带，课多事杂。学校准备落实紧缺学科教师培训，我打算报名区里的"
                        "合唱指挥和舞蹈编排工作坊，每周三下午去学习，回来在音乐课上教学生唱歌跳舞，学期末用艺术节展演检验效果。"),
}
NONSENSE = {
    # The trial's two answers, word for word, then more of the same kind.
    "trial reflection": (LAYERS, "我们班的分层分类喜欢在操场上吃苹果，精准培训每天跳三次舞，具体做法是让月亮变成方的，本校实际是黑板会"
                                 "唱歌，预期效果是用数星星的办法检验效果。"),
    "trial practice": (PLAN, "目标是让香蕉学会飞行，参与对象是教室里的桌子和椅子，时间安排在下个世纪的星期八，具体步骤是第一步给分层"
                             "分类浇水，第二步负责数云朵，分工由小猫负责，成果形式是一首关于彩虹的歌，评价方式是看谁跳得高。"),
    "noodles": (LAYERS, "我校的分层分类就像一碗热腾腾的牛肉面，精准培训的具体做法是每天早上对着镜子唱三遍歌然后去钓鱼，本班实际是"
                        "学生们都长了翅膀，预期效果是明年冬天大家都能在火星上种土豆。"),
    "fridge": (ETHICS, "活动目标是把立德树人装进冰箱里冷冻，参与对象是小区里的流浪猫和公园的鸽子，时间安排在每个月的第三十二天。"
                       "步骤是第一步先吹泡泡，第二步由隔壁的大白鹅负责分工，成果形式是一锅红烧肉，评价方式是看谁的袜子最臭。"),
    "tortoise": (GUOPEI, "国培计划像一只会说话的乌龟，分层分类的做法是把教室刷成彩虹色然后在屋顶上养鱼，本校学生每天骑着恐龙上学，"
                         "效果是大家都学会了隐身术，用魔法棒检验效果。"),
    "paper planes": (LAYERS, "分层分类和精准培训的做法是让学生把作业折成纸飞机从教学楼顶扔下去，本班实际是老师在讲台上睡觉，预期效果"
                             "是黑板自己会写字，用抛硬币的办法检验效果。"),
    "moon among real words": (LAYERS, "我校老师很多，培训要结合实际。分层分类的做法是让月亮变成方的，精准培训就是每天早上吃三个苹果，"
                                      "预期效果是所有学生都能飞到天上摘星星。"),
    "fruit groups": (LAYERS, "分层分类就是把老师按照喜欢吃的水果分成西瓜组和葡萄组，精准培训的具体做法是每天下午一起去河边钓鱼晒太阳，"
                             "本校实际是食堂的馒头很好吃，预期效果是大家都胖了十斤。"),
    "zoo": (SHORTAGE, "紧缺学科教师培训的具体做法是带老师们去动物园看熊猫吃竹子，本校实际是校长养了一只会唱歌的鹦鹉，预期效果是"
                      "全校老师都学会了倒立走路，用比赛吹气球检验效果。"),
    "cake": (LAYERS, "分层分类的具体做法是把蛋糕切成三层，精准培训就是每个人用筷子夹住一粒花生，本校实际是天上下起了巧克力雨，"
                     "预期效果是所有人都变成了超人。"),
    "giraffe": (ETHICS, "目标是让立德树人在大海里游泳，参与对象是森林里的老虎和狮子，时间安排在月球上的晚上，步骤是先煮一锅饺子，"
                        "再由长颈鹿负责分工，成果形式是一双漂亮的皮鞋，评价方式是看谁的头发最长。"),
    "milk tea": (GUOPEI, "国培计划就像一杯奶茶，我们学校实际情况是每天早上吃油条喝豆浆，具体做法是组织全体大象跳绳，预期效果是明天"
                         "会下雪，用温度计检验效果。"),
}
SHALLOW = {
    "slogans": (LAYERS, "分层分类、精准培训很重要，我们学校一定会认真落实，努力提高培训质量，争取取得更好的效果。"),
    "checklist echoed": (PLAN, "我们会按照分层分类的要求制定计划，目标明确，对象是全体老师，时间按学校安排，步骤和分工清楚，成果和评价按"
                               "上级要求执行。"),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_answers_keep_the_grade_they_had(name: str) -> None:
    task, answer = REAL[name]
    before, after = grade(task, answer), grade(task, answer, DOMAIN)
    assert after.answered and (after.correct, after.score) == (before.correct, before.score), after.feedback
    assert "无关" not in after.feedback
    assert topicality(answer, DOMAIN, frozenset()).share <= 0.2


@pytest.mark.parametrize("name", sorted(NONSENSE))
def test_nonsense_that_names_the_rubric_earns_nothing(name: str) -> None:
    task, answer = NONSENSE[name]
    g = grade(task, answer, DOMAIN)
    assert not g.correct and g.score < PASS_COVERAGE, g.feedback
    if g.answered:  # a few absurd sentences among sound ones: the points they carry are not counted, and said so
        assert "这些句子说的与学校教育教学无关，其中的要点不计" in g.feedback
    else:  # mostly talk of other things: not an answer yet, nothing recorded, nothing of the rubric shown
        assert "与学校教育教学无关" in g.feedback and "这次不计入作答记录" in g.feedback and "原文：" not in g.feedback


def test_the_trial_answers_are_told_what_is_wrong() -> None:
    task, answer = NONSENSE["trial reflection"]
    assert grade(task, answer).correct, "without the check it covered 4/4 points"
    g = grade(task, answer, DOMAIN)
    assert g.feedback == ("还不能算完成：回答里有不少与学校教育教学无关的内容（如“苹果”“月亮”“黑板”），请结合本校、本班的实际"
                          "写出你的想法和做法。请改写后再提交，这次不计入作答记录。")
    task, answer = NONSENSE["trial practice"]
    assert grade(task, answer).score == 1.0
    assert "“香蕉”“桌子”“椅子”“云朵”" in grade(task, answer, DOMAIN).feedback


@pytest.mark.parametrize("name", sorted(SHALLOW))
def test_shallow_answers_are_left_to_the_rubric(name: str) -> None:
    """Slogans are about school: whether they cover the points is the rubric's business, not this check's."""
    task, answer = SHALLOW[name]
    assert grade(task, answer, DOMAIN).score == grade(task, answer).score


def test_copied_source_is_still_refused_as_a_copy() -> None:
    task = GUOPEI
    g = grade(task, task.source.text + "我会落实。", DOMAIN)
    assert not g.answered and "照抄原文或题目" in g.feedback


def test_words_are_judged_by_their_field_in_the_thesaurus() -> None:
    assert DOMAIN.judge("老师") and DOMAIN.judge("孩子") and DOMAIN.judge("操场")
    assert DOMAIN.judge("苹果") is False and DOMAIN.judge("恐龙") is False and DOMAIN.judge("红烧肉") is False
    assert DOMAIN.judge("希沃") is None  # unknown: not counted either way
    assert DOMAIN.judge("吹泡泡") is False  # a compound the thesaurus lacks, judged by 泡泡


def test_a_larger_knowledge_base_knows_more_fields() -> None:
    """A knowledge base with a labour-education resource makes vegetables part of school."""
    wider = Domain([*DOMAIN.words, "蔬菜"])
    assert DOMAIN.judge("白菜") is False and wider.judge("白菜")


def test_strays_are_the_off_topic_things_a_clause_names() -> None:
    given = frozenset({"分层分类", "做法"})
    assert strays("分层分类的做法是让月亮变成方的", DOMAIN, given) == ("月亮",)
    assert strays("我们按教龄把老师分成三个层次", DOMAIN, given) == ()
    assert strays("家长满意度调查也能看出效果", DOMAIN, given) == ()  # an odd verb does not make a clause stray


def test_the_share_is_of_the_words_the_answer_brings() -> None:
    """Words the task supplied are left out, so hanging them on nonsense does not dilute it."""
    answer = NONSENSE["trial reflection"][1]
    top = topicality(answer, DOMAIN, frozenset({"分层分类", "精准培训", "具体做法", "本校", "预期", "效果", "检验"}))
    assert top.unrelated and top.share >= MAX_OFF_SHARE and top.off == ("苹果", "月亮", "黑板")


CAT = ("我家的猫每天早上八点吃饭，下午睡觉，晚上在院子里玩耍，周末我们一起去公园散步，目标是让猫更健康，参与对象是全家人，"
       "时间安排在周末，步骤是先买猫粮再去公园，成果形式是照片，评价方式是看猫的体重。")


def test_an_ordinary_answer_about_something_else_is_not_an_answer() -> None:
    """The trial's cat: nothing in it is odd for everyday life, so no word is off topic, yet nothing is school's.
    It covered 3/4 checklist points and earned credit; now it is refused and nothing is recorded."""
    assert grade(FUNDS, CAT).correct, "without the knowledge base only the form and the checklist count"
    assert not topicality(CAT, DOMAIN, frozenset()).unrelated
    g = grade(FUNDS, CAT, DOMAIN)
    assert not g.answered and not g.correct and g.score == 0.0
    assert "与学校教育教学无关" in g.feedback and "这次不计入作答记录" in g.feedback and "原文：" not in g.feedback


@pytest.mark.parametrize("name", sorted({**REAL, **SHALLOW}))
def test_real_and_shallow_answers_are_mostly_about_school(name: str) -> None:
    task, answer = {**REAL, **SHALLOW}[name]
    clauses = assess(answer, source=task.source.text, prompt=task.prompt, terms=()).clauses
    assert school_share(clauses, topic_words(task.source.text)) >= max(0.5, MIN_SCHOOL_SHARE)


def test_a_clause_is_about_school_by_its_words_or_the_tasks_topic() -> None:
    topic = topic_words(FUNDS.source.text)
    assert about_school("我是体育老师", topic) and about_school("学期末开个交流会", topic)
    assert about_school("先把公用经费的账算清楚", topic)
    assert not about_school("周末我们一起去公园散步", topic) and not about_school("评价方式是看猫的体重", topic)
