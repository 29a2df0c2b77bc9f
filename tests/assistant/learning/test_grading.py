from __future__ import annotations

import pytest

from assistant.learning.grading import grade, normalize, reads_as_question
from assistant.learning.tasks import FALSE, TRUE, Task, TaskSource

TEXT = "加大体育、音乐、美术、劳动、科学等紧缺学科教师培训力度。中小学按照公用经费预算总额的5%安排教师培训经费。"
SRC = TaskSource("c", "d", "关于实施国培计划的通知", "二、重点工作", TEXT, "教师函〔2021〕4号")
s5 = TEXT.index("5%")
SINGLE = Task("s", "single_choice", "…的____安排…", SRC, "5%", ("3%", "5%", "8%", "10%"), ((s5, s5 + 2),))
MULTI = Task("m", "multiple_choice", "加大____等", SRC, ("体育", "美术"), ("体育", "英语", "美术", "数学"),
             ((2, 4), (8, 10)))
CLOZE = Task("c", "cloze", "…的____安排…", SRC, "5%", (), ((s5, s5 + 2),))
TF = Task("t", "true_false", "判断正误：…", SRC, FALSE, (), ((0, 28), (2, 4)))
REFLECT = Task("r", "reflection", "结合你所在学校…", SRC, "参考要点", (), (),
               ("准确理解原文要求，提到“紧缺学科”", "围绕“教师培训”提出至少一项具体做法", "联系本校或本班的实际情况",
                "说明预期效果或检验方式"))


@pytest.mark.parametrize("response", ["B", "b", "Ｂ", " b ", "5%", "５％", "5 %", ["B"], "百分之五", "百分之5", "五%",
                                      "5", "５", "B.5%"])
def test_single_choice_accepts_letters_and_text(response: str) -> None:
    assert grade(SINGLE, response).correct


@pytest.mark.parametrize("response", ["A", "百分之三", "3", "15%", "AB", "E"])
def test_single_choice_rejects(response: str) -> None:
    assert not grade(SINGLE, response).correct


@pytest.mark.parametrize("response", ["A、C", "CA", "ac", "Ａ，Ｃ", "C A", "美术、体育", ["C", "A"], ["体育", "美术"],
                                      "A和C"])
def test_multiple_choice_order_insensitive(response: str | list[str]) -> None:
    assert grade(MULTI, response).correct


def test_multiple_choice_partial_is_wrong_with_partial_score() -> None:
    g = grade(MULTI, "A")
    assert not g.correct and 0 < g.score < 1
    assert not grade(MULTI, "ABC").correct


@pytest.mark.parametrize(("response", "ok"), [("错", True), ("错误", True), ("×", True), ("F", True),
                                             ("false", True), ("否", True), ("对", False), ("√", False),
                                             ("T", False), ("是", False), ("正确", False)])
def test_true_false_words(response: str, ok: bool) -> None:
    assert grade(TF, response).correct is ok
    true_task = Task("t2", "true_false", "判断正误：…", SRC, TRUE, (), ((0, 28),))
    assert grade(true_task, response).correct is (not ok)


def test_cloze_normalises_width_and_spaces() -> None:
    assert grade(CLOZE, " ５ ％ ").correct
    assert not grade(CLOZE, "5").correct  # the blank is a rate: a bare number leaves out what it counts
    assert normalize("Ａ、 Ｃ。") == "ac"


def test_feedback_quotes_source_with_citation() -> None:
    for task, response in [(SINGLE, "B"), (SINGLE, "A"), (CLOZE, "3%")]:
        fb = grade(task, response).feedback
        assert "原文：“中小学按照公用经费预算总额的5%安排教师培训经费。”" in fb
        assert "——《关于实施国培计划的通知》（教师函〔2021〕4号）二、重点工作" in fb
    assert "原文：“加大体育、音乐、美术、劳动、科学等紧缺学科教师培训力度。”——《" in grade(TF, "对").feedback
    assert grade(SINGLE, "B").feedback.startswith("回答正确！")
    assert "正确答案：5%" in grade(SINGLE, "A").feedback


@pytest.mark.parametrize("task", [SINGLE, MULTI, CLOZE, TF, REFLECT])
@pytest.mark.parametrize("response", ["", "   ", [], "？", "……"])
def test_empty_response_scores_zero(task: Task, response: str | list[str]) -> None:
    g = grade(task, response)
    assert not g.correct and g.score == 0 and "作答" in g.feedback


def test_unrecognised_option_asks_for_letter() -> None:
    g = grade(SINGLE, "随便选一个")
    assert not g.correct and "选项字母" in g.feedback


def test_reflection_rubric_coverage() -> None:
    good = ("我校音乐、美术等紧缺学科教师不足，我计划每月组织一次教师培训，开展同课异构，"
            "学期末通过学生评价检验效果。")
    g = grade(REFLECT, good)
    assert g.correct and g.score >= 0.75 and len(g.covered) >= 3
    assert "原文：" in g.feedback
    weak = grade(REFLECT, "这条要求很重要，我们应该认真学习领会，努力做好相关工作，争取在今后的工作中取得更好的成绩。")
    assert weak.answered and not weak.correct and "可以再补充" in weak.feedback


def test_short_open_response_scores_zero_with_hint() -> None:
    g = grade(REFLECT, "我会落实教师培训")
    assert not g.correct and g.score == 0 and "太简短" in g.feedback


MORAL = TaskSource("m", "d", "通知", "二、课程", "开齐开足道德与法治、历史、地理等课程。", "")
MULTI_TEXT = Task("mt", "multiple_choice", "开齐开足____等课程", MORAL, ("道德与法治", "历史"),
                  ("道德与法治", "数学", "历史", "地理"), ((4, 9), (10, 12)))


@pytest.mark.parametrize("response", [
    "道德与法治,历史", "历史，道德与法治", "道德与法治、历史", "道德与法治；历史", "道德与法治 历史", "道德与法治　历史",
    "道德与法治和历史", "道德与法治历史", "历史、 道德与法治。", "A,C", "c a", "Ａ、Ｃ", "ＡＣ", "A.道德与法治、C.历史",
    "Ｃ；Ａ", "A和C", "道德与法治，C", ["历史", "道德与法治"], ["A", "历史"], "道德与法治／历史", "道德与法治|历史",
])
def test_multiple_choice_accepts_option_texts_and_letters_in_any_form(response: str | list[str]) -> None:
    """README: 选项字母或选项文字; "道德与法治,历史" was refused because 与 was a separator."""
    g = grade(MULTI_TEXT, response)
    assert g.correct and g.answered, (response, g.feedback)


@pytest.mark.parametrize(("response", "answered"), [("道德与法治", True), ("A", True), ("A、B、C", True),
                                                    ("道德,历史", False), ("政治、历史", False), ("E", False)])
def test_multiple_choice_wrong_or_unrecognised(response: str, answered: bool) -> None:
    g = grade(MULTI_TEXT, response)
    assert not g.correct and g.answered is answered


@pytest.mark.parametrize(("task", "response"), [(SINGLE, "不知道"), (MULTI_TEXT, "道德"), (TF, "也许"),
                                                 (REFLECT, "我会落实教师培训"), (CLOZE, " ")])
def test_non_answers_are_not_recorded_and_reveal_nothing(task: Task, response: str) -> None:
    """Probing with junk must not show the quoted source (the key) nor the rubric."""
    g = grade(task, response)
    assert not g.answered and not g.correct
    assert "原文：" not in g.feedback and "——《" not in g.feedback
    assert "5%" not in g.feedback and "紧缺学科" not in g.feedback and "要点" not in g.feedback


MORAL_TEXT = "围绕落实立德树人根本任务，统筹思想政治、师德师风、业务能力培训。"
MORAL_SRC = TaskSource("mt", "d", "通知", "一、素养", MORAL_TEXT, "")
m0 = MORAL_TEXT.index("立德树人")
MORAL_CLOZE = Task("mc", "cloze", "围绕落实____根本任务", MORAL_SRC, "立德树人", (), ((m0, m0 + 4),))


@pytest.mark.parametrize(("task", "response", "ok"), [
    (MORAL_CLOZE, "立德樹人", True), (MORAL_CLOZE, "立德樹人。", True),
    (TF, "錯", True), (TF, "錯誤", True), (TF, "對", False), (TF, "正確", False),
    (MULTI, "體育、美術", True), (MULTI, ["體育", "美術"], True), (SINGLE, "５％", True),
])
def test_traditional_characters_are_read_as_simplified(task: Task, response: str | list[str], ok: bool) -> None:
    """A teacher typing traditional characters is graded on what they wrote, not refused or marked wrong."""
    g = grade(task, response)
    assert g.answered and g.correct is ok, g.feedback


def test_an_open_answer_in_traditional_characters_passes_like_its_simplified_twin() -> None:
    good = ("我校音乐、美术等紧缺学科教师不足，我计划每月组织一次教师培训，开展同课异构，"
            "学期末通过学生评价检验效果。")
    traditional = ("我校音樂、美術等緊缺學科教師不足，我計劃每月組織一次教師培訓，開展同課異構，"
                   "學期末通過學生評價檢驗效果。")
    assert grade(REFLECT, traditional).score == grade(REFLECT, good).score >= 0.75


SUBJECTS_TEXT = "加大体育、音乐、劳动、科学等紧缺学科教师培训力度。"
MULTI3 = Task("m3", "multiple_choice", "加大____等", TaskSource("c3", "d", "通知", "二、重点", SUBJECTS_TEXT, ""),
              ("体育", "音乐", "科学"), ("体育", "音乐", "英语", "科学", "数学"), ((2, 4), (5, 7), (11, 13)))


@pytest.mark.parametrize(("response", "score", "head"), [
    ("ABD", 1.0, "回答正确"), ("DBA", 1.0, "回答正确"),
    ("AB", 0.6667, "回答不完全正确（少选）"), ("A", 0.3333, "回答不完全正确（少选）"),
    ("ABCD", 0.0, "回答错误"), ("ABCDE", 0.0, "回答错误"), ("C", 0.0, "回答错误"), ("AC", 0.0, "回答错误"),
])
def test_multiple_choice_any_wrong_option_scores_nothing_and_leaving_one_out_scores_in_proportion(
        response: str, score: float, head: str) -> None:
    """Three right and one wrong (ABCD) is no better than a wrong answer, and no longer ties with AB."""
    g = grade(MULTI3, response)
    assert g.answered and g.score == score and g.feedback.startswith(head), g.feedback
    assert g.correct is (score == 1.0)


@pytest.mark.parametrize("response", ["AB", "a c", ["A", "B"], "3%、5%", "5%和8%"])
def test_several_options_on_a_single_choice_are_refused_not_graded(response: str | list[str]) -> None:
    """Like an option that does not exist: a hint, nothing recorded, the task not locked on a slip."""
    g = grade(SINGLE, response)
    assert not g.answered and not g.correct and "单选题" in g.feedback and "5%" not in g.feedback


def test_connectors_alone_are_not_an_answer() -> None:
    assert not grade(MULTI, "和").answered


@pytest.mark.parametrize(("key", "response"), [("5%", "百分之五"), ("5%", "五%"), ("5%", "百分之5"), ("三科", "3科"),
                                               ("5万元", "五万元"), ("12学时", "十二学时"), ("2.5%", "百分之二点五"),
                                               ("十四五", "十四五"), ("一对一", "一对一")])
def test_cloze_reads_numbers_in_chinese_or_arabic_digits(key: str, response: str) -> None:
    text = f"规定为{key}。"
    task = Task("n", "cloze", "规定为____", TaskSource("n", "d", "通知", "一", text, ""), key, (), ((3, 3 + len(key)),))
    assert grade(task, response).correct


def test_a_bare_number_picks_an_option_only_when_one_option_has_it() -> None:
    hours = Task("h", "single_choice", "…", SRC, "12学时", ("12学时", "12学分", "24学时"), ((0, 1),))
    assert not grade(hours, "12").answered  # 12学时 or 12学分: ask again rather than guess
    assert grade(hours, "24").answered and not grade(hours, "24").correct
    assert grade(hours, "十二学时").correct


@pytest.mark.parametrize(("response", "ok"), [
    ("是错的，应该是立德树人", True), ("错，应为紧缺学科", True), ("错误。原文是体育、美术", True), ("不对，少了音乐", True),
    ("× 原文不是这样说的", True), ("对，原文就是这样", False), ("正确。", False), ("是对的", False),
])
def test_true_false_reads_a_clear_verdict_followed_by_an_explanation(response: str, ok: bool) -> None:
    g = grade(TF, response)
    assert g.answered and g.correct is ok, g.feedback


@pytest.mark.parametrize("response", ["正确的说法应该是紧缺学科", "错别字太多", "对不对我也不确定", "是的吧"])
def test_true_false_without_a_clear_verdict_asks_again(response: str) -> None:
    g = grade(TF, response)
    assert not g.answered and "理由可以写在判断之后" in g.feedback


@pytest.mark.parametrize("task", [SINGLE, MULTI, CLOZE, TF, REFLECT])
def test_an_answer_over_the_limit_is_refused_whatever_the_task(task: Task) -> None:
    for response in ("我" * 4001, ["体育" * 1000, "美术" * 1000]):
        g = grade(task, response)
        assert not g.answered and g.feedback.startswith("作答过长：最多 4000 个字"), g.feedback
    assert "过长" not in grade(task, "我" * 4000).feedback  # the limit itself is allowed


FUNDS_SRC = TaskSource("c", "d", "通知", "三、保障措施", "中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费。", "")
FUNDS_MULTI = Task("fm", "multiple_choice", "____按照…", FUNDS_SRC, ("中小学", "幼儿园"), ("教研室", "幼儿园", "财政厅", "中小学"),
                   ((0, 3), (4, 7)))


@pytest.mark.parametrize("response", ["财政厅", "教研室", "中小学，幼儿园，财政厅", "幼儿园、财政厅", "中小学 财政厅",
                                      "中小学和财政厅", "B、财政厅", "a,c", "教研室 和 中小学"])
def test_every_option_text_is_read_and_a_wrong_pick_is_graded_wrong(response: str) -> None:
    g = grade(FUNDS_MULTI, response)
    assert g.answered and not g.correct and g.score == 0.0, g.feedback


@pytest.mark.parametrize(("task", "reply", "asks"), [
    (CLOZE, "国培计划的目标任务是什么？", True), (CLOZE, "请问培训经费从哪里出", True), (CLOZE, "那幼儿园呢", True),
    (MORAL_CLOZE, "学校每年要拿出多少经费用于教师培训", True),  # asks, and far longer than 共 4 个字符
    (CLOZE, "5%", False), (CLOZE, "百分之五", False), (CLOZE, "3%", False), (CLOZE, "？", False),
    (MORAL_CLOZE, "立德树人", False), (MORAL_CLOZE, "立德樹人", False), (MORAL_CLOZE, "立德树人的根本任务", False),
    (REFLECT, "这个怎么写？", True),
    (REFLECT, "我们学校会组织老师认真学习，这样做效果会好吗？我想是会的，学生也会受益。", False),
    (SINGLE, "哪个？", False),  # answered by buttons or letters: an unreadable option is refused anyway
])
def test_a_typed_reply_that_is_a_new_question_is_told_apart_from_an_answer(task: Task, reply: str, asks: bool) -> None:
    assert reads_as_question(task, reply) is asks


def test_a_question_typed_as_a_fill_in_answer_is_not_graded() -> None:
    """Every surface alike: a question is never recorded as the first attempt, and the hint gives nothing away."""
    g = grade(CLOZE, "国培计划的目标任务是什么？")
    assert not g.answered and g.score == 0.0 and "新问题" in g.feedback and "5%" not in g.feedback
    assert grade(CLOZE, "3%").answered


FUNDS_TEXT = "中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费，保障“国培计划”实施。"
FUNDS = Task("p", "practice", f"实践任务：编制一份本校教师培训经费使用计划。\n依据：“{FUNDS_TEXT}”\n"
             "请结合本校实际完成，写明目标、参与对象和时间安排、具体步骤和分工、成果形式与评价方式。",
             TaskSource("c", "d", "通知", "三、保障措施", FUNDS_TEXT, ""), "一份本校教师培训经费使用计划，覆盖清单各项。", (), (),
             ("方案紧扣原文“公用经费”的要求", "写明目标、参与对象和时间安排", "列出具体步骤和分工", "说明成果形式与评价方式"))
CREDITS_TEXT = "园本研修每8学时认定1学分，每学年不少于24学分。"
CREDITS = Task("r2", "reflection", f"结合你所在学校或任教班级的实际，谈谈你将如何落实下面这项要求：\n“{CREDITS_TEXT}”",
               TaskSource("c2", "k", "幼儿园园本研修管理办法", "三、学分认定", CREDITS_TEXT, ""), "参考要点", (), (),
               ("准确理解原文要求，提到“园本研修”", "围绕“学分”提出至少一项具体做法", "联系本校或本班的实际情况",
                "说明预期效果或检验方式"))


def test_dated_steps_and_a_division_of_work_are_the_steps_and_division_asked_for() -> None:
    """The trial's plan: its steps are dated actions and its division says who does what, without the words
    步骤 or 负责 in a clause the grader kept; it was graded 0.75 and told to list steps and division."""
    g = grade(FUNDS, "目标是用好公用经费的5%，让全体老师都参加培训。具体步骤：9月由教导处调研需求，10月组织两次校本研修，"
                     "11月选派骨干参加县里的集中培训；分工上校长审批，教导主任负责组织，财务负责报销。期末用问卷和听课评价效果，"
                     "形成总结报告。")
    assert g.correct and g.score == 1.0 and "列出具体步骤和分工" in g.covered, g.feedback
    assert "可以再补充" not in g.feedback


def test_a_plan_without_steps_or_duties_is_still_told_to_add_them() -> None:
    g = grade(FUNDS, "目标是用好公用经费，让全体老师都参加培训，时间是9月到12月。我们要对学生负责，也要对家长负责。"
                     "期末用问卷评价效果，形成总结报告。")
    assert "列出具体步骤和分工" not in g.covered and "· 列出具体步骤和分工" in g.feedback.splitlines(), g.feedback


def test_an_open_answers_feedback_is_one_item_a_line() -> None:
    """The verdict, each point still missing and the source ran together in one line (可以再补充：A；B。原文：…)."""
    g = grade(FUNDS, "目标是用好公用经费，让全体老师都参加培训，时间是9月到12月。我们要对学生负责，也要对家长负责。"
                     "期末用问卷评价效果，形成总结报告。")
    lines = g.feedback.splitlines()
    missing = [p for p in FUNDS.rubric if p not in g.covered]
    assert lines == [lines[0], "可以再补充：", *(f"· {p}" for p in missing), lines[-1]], g.feedback
    assert lines[0].startswith("已覆盖 ") and lines[-1].startswith("原文：“") and len(missing) >= 2
    objective = grade(TF, "错").feedback.splitlines()
    assert len(objective) == 2 and objective[1].startswith("原文：“")


def test_a_village_school_and_what_it_expects_are_its_context_and_effect() -> None:
    """The trial's reflection named its school (村小, 6 个老师, 现状) and its expected effect (预期, 能提高) in words
    the grader did not know, and failed for missing both."""
    g = grade(CREDITS, "我们村小只有6个老师，现状是大家平时各上各的课，很少一起研修。我打算每两周组织一次园本研修，每次4学时，"
                       "大家轮流上课、一起评课。预期全体老师一年都能拿满学分，教研质量也能提高。")
    assert g.correct and {"联系本校或本班的实际情况", "说明预期效果或检验方式"} <= set(g.covered), g.feedback


def test_an_answer_that_names_no_school_and_no_effect_is_told_to_add_them() -> None:
    g = grade(CREDITS, "园本研修很重要，每个老师都应该认真参加，按照规定的学时认定学分，不能走过场，也不能弄虚作假。")
    assert g.answered and not g.correct, g.feedback
    assert "联系本校或本班的实际情况" not in g.covered and "说明预期效果或检验方式" not in g.covered


def test_without_verdict_leaves_what_a_verdict_line_does_not_say() -> None:
    from assistant.learning.grading import without_verdict

    assert without_verdict("回答正确！原文：“…”") == "原文：“…”"
    assert without_verdict("回答正确！\n原文：“…”") == "原文：“…”"
    assert without_verdict("（练习：本次只批改。）\n回答错误。正确答案：2天。\n原文：…") == "（练习：本次只批改。）\n正确答案：2天。\n原文：…"
    assert without_verdict("（练习：本次只批改。）回答错误。正确答案：2天。") == "（练习：本次只批改。）正确答案：2天。"
    assert without_verdict("回答错误：选了不属于正确答案的选项。") == "回答错误：选了不属于正确答案的选项。"
    assert without_verdict("完成得不错，覆盖了 3/4 个要点。") == "完成得不错，覆盖了 3/4 个要点。"


@pytest.mark.parametrize("task", [SINGLE, MULTI, CLOZE, TF, REFLECT])
@pytest.mark.parametrize("response", ["我不知道", "不会", "忘了。", "我真的不清楚啊"])
def test_dont_know_is_no_attempt_and_points_to_where_to_read(task: Task, response: str) -> None:
    g = grade(task, response)
    assert not g.answered and not g.correct
    assert "二、重点工作" in g.feedback and "5%" not in g.feedback, g.feedback

