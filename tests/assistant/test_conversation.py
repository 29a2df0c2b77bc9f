from assistant.conversation import (
    contextualize,
    latest_list,
    named_item,
    needs_context,
    points_back,
    unresolved_reference,
)
from assistant.question import Asks, analyse

HISTORY = [{"role": "user", "content": "什么是学分银行？"}, {"role": "assistant", "content": "……"}]


def test_pronoun_follow_up_carries_the_previous_topic():
    q = contextualize("它和学历教育是什么关系？", HISTORY)
    assert "学分银行" in q and q.endswith("它和学历教育是什么关系？")


def test_self_contained_questions_are_left_alone():
    q = "学校每年要拿出多少经费用于教师培训？"
    assert contextualize(q, HISTORY) == q
    assert not needs_context(q)


def test_chains_of_follow_ups_keep_the_original_topic():
    history = [*HISTORY, {"role": "user", "content": "它是谁建设的？"}, {"role": "assistant", "content": "…"}]
    assert "学分银行" in contextualize("那它有什么用？", history)


def test_no_history_means_no_rewrite():
    assert contextualize("它有什么用？", None) == "它有什么用？"
    assert contextualize("它有什么用？", [{"role": "assistant", "content": "你好"}]) == "它有什么用？"


def test_those_days_point_back_to_the_course_asked_about():
    history = [{"role": "user", "content": "这门课是什么形式"}, {"role": "assistant", "content": "线上线下混合。"}]
    q = contextualize("线下那几天在哪上课", history)
    assert q.startswith("这门") and q.endswith("线下那几天在哪上课")


def test_a_comparison_with_one_side_missing_takes_the_other_from_the_last_question():
    history = [{"role": "user", "content": "省方案里学时和学分怎么折算"}, {"role": "assistant", "content": "……"}]
    q = contextualize("跟市里校本研修指南的算法一样吗", history)
    assert "折算" in q and "方案" in q and q.endswith("跟市里校本研修指南的算法一样吗")
    assert needs_context("和省里的一样吗") and needs_context("与去年相比有变化吗")
    assert not needs_context("教师和校长的培训有什么不同")  # 和 inside the question joins two named things


def test_an_ordinal_after_a_list_answer_is_that_item_by_name():
    listed = ("根据《某省实施规划》「二、项目设置」，共有以下 3 项（想了解哪一项，直接问它的名称即可）：\n"
              "「（一）示范引领项目」[1]\n「（二）骨干教师能力提升项目」[2]\n「（三）送教下乡培训项目」[3]")
    history = [{"role": "user", "content": "省里开了哪些培训项目？"}, {"role": "assistant", "content": listed}]
    assert contextualize("第三项具体怎么搞？", history) == "送教下乡培训项目具体怎么搞？"
    assert contextualize("第2个面向哪些老师", history) == "骨干教师能力提升项目面向哪些老师"
    assert contextualize("最后一项每年培训多少人", history) == "送教下乡培训项目每年培训多少人"
    # Past the end of the list, or with no list before it, 第N项 is read as it stands.
    assert contextualize("第五项呢", history).endswith("第五项呢")
    plain = [{"role": "user", "content": "学分怎么认定？"}, {"role": "assistant", "content": "根据……：每十学时折算一学分。[1]"}]
    assert "第三项" in contextualize("第三项是什么", plain)


def test_an_ordinal_counts_in_the_latest_list_long_enough_to_have_that_item():
    """那第四项呢 comes after the reply to 第三项, which quotes three things in a row: the outline before it is meant."""
    outline = ("根据《通知》「二、重点工作」，共有以下 4 项（想了解哪一项，直接问它的名称即可）：\n「（一）聚焦素养提升」[1]\n"
               "「（二）推进重点改革」[2]\n「（三）强化能力建设」[3]\n「（四）完善过程管理」[4]")
    third = "根据《通知》「二、重点工作 > （三）强化能力建设」：\n高水平大学、专业机构、优质中小学共同参与。[1]"
    history = [{"role": "user", "content": "重点工作有哪些？"}, {"role": "assistant", "content": outline},
               {"role": "user", "content": "第三项具体怎么搞？"}, {"role": "assistant", "content": third}]
    # Nothing asked beside an outline's item (那第四项呢): what that part holds.
    assert contextualize("那第四项呢？", history) == "完善过程管理包括哪些内容"
    assert contextualize("第四项有什么要求？", history) == "完善过程管理有什么要求？"
    assert contextualize("第二个呢？", history) == "专业机构呢？", "the latest list that has a second item"


def test_an_item_of_a_list_written_out_in_a_sentence_is_named_too():
    said = [{"role": "user", "content": "三段式培训是哪三段？"},
            {"role": "assistant", "content": "按省里方案，分为集中研修、回校实践和总结提升三个阶段。"}]
    assert contextualize("那中间那段要多久", said) == "那回校实践要多久"
    assert contextualize("最后一段做什么", said) == "总结提升做什么"
    assert contextualize("第一阶段多少天", said) == "集中研修多少天"
    quoted = [{"role": "user", "content": "骨干项目怎么培训"},
              {"role": "assistant", "content": "采取“集中研修—校本实践—总结提升”三段式混合培训。[1]"}]
    assert contextualize("第二段在哪里进行", quoted) == "校本实践在哪里进行"
    # Two items are no list to count in, and the middle of four is no one item.
    pair = [{"role": "user", "content": "考核分几部分"}, {"role": "assistant", "content": "分为过程性考核和成果考核。"}]
    assert "第二个" in contextualize("第二个占多少", pair)
    four = [{"role": "user", "content": "有哪些形式"}, {"role": "assistant", "content": "包括听评课、公开课、专题讲座和课题研究。"}]
    assert contextualize("第四种算几个学时", four) == "课题研究算几个学时"
    assert "中间那个" in contextualize("中间那个算几个学时", four)


def test_an_english_follow_up_keeps_its_topic_words_apart() -> None:
    history = [{"role": "user", "content": "How many credits do I get for the backbone teacher course?"},
               {"role": "assistant", "content": "According to the syllabus, the course is worth a set number of credits."}]
    query = contextualize("And do those count toward my yearly minimum?", history)
    assert "backbone teacher course" in query
    assert contextualize("它呢？", [{"role": "user", "content": "学分银行怎么登记学分？"}]).startswith("学分银行登记：")


def test_a_question_that_names_nothing_of_its_own_takes_the_last_topic() -> None:
    history = [{"role": "user", "content": "学分几年一个周期？"}, {"role": "assistant", "content": "五年一周期。"}]
    assert contextualize("每年最低是多少？", history) != "每年最低是多少？"
    assert "学分" in contextualize("每年最低是多少？", history)
    assert contextualize("校本研修每年要多少学时？", history) == "校本研修每年要多少学时？"


def test_a_thank_you_after_an_answer_stays_a_thank_you():
    history = [{"role": "user", "content": "什么是学分银行？"}, {"role": "assistant", "content": "……"}]
    assert contextualize("谢谢！", history) == "谢谢！"
    assert contextualize("你好", history) == "你好"


def test_a_follow_up_looks_first_in_the_document_the_last_reply_came_from() -> None:
    history = [{"role": "user", "content": "校本研修每年有学时要求吗"},
               {"role": "assistant", "content": "有，市里的指南规定了每年最低的校本研修学时。"}]
    query = contextualize("要是没达到会怎么样？", history)
    assert "市里" in query and "指南" in query and query.endswith("要是没达到会怎么样？")
    # A follow-up that names its own document keeps it alone.
    assert "指南" not in contextualize("那省里的方案呢？", history)


def test_forced_the_conversations_topic_is_joined_to_a_question_that_stands_alone() -> None:
    history = [{"role": "user", "content": "骨干班学员回去要带青年教师吗？"}, {"role": "assistant", "content": "是的。"}]
    q = "带几个？最后要交啥材料？"
    assert contextualize(q, history) == q
    joined = contextualize(q, history, force=True)
    assert joined.endswith(q) and "青年教师" in joined
    assert contextualize("你好", history, force=True) == "你好"


def test_the_documents_a_reply_named_come_in_the_replys_order_whatever_the_hash_seed() -> None:
    import os
    import subprocess
    import sys

    code = "from assistant.conversation import _naming; print(_naming('市里的校本研修指南说了，省里方案和大纲'))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert runs == {"['市里', '指南', '省里', '方案', '大纲']\n"}


def test_the_earlier_questions_counting_words_are_not_carried_over():
    """几次 from 一天要签到几次 would turn 迟到和早退处理起来一样吗 into a question after a count."""
    history = [{"role": "user", "content": "骨干班一天要签到几次？"},
               {"role": "assistant", "content": "大纲里对签到和考勤有规定。"}]
    joined = contextualize("早退半小时和迟到半小时，处理起来一样吗？", history, force=True)
    assert "签到" in joined and "几次" not in joined
    assert analyse(joined).asks == Asks.YESNO


def test_what_about_the_other_kind_leaves_the_first_kind_out_of_the_topic():
    """那线下呢 after 线上学多少学时 asks the hours of 线下: 线上 carried over would find 线上线下混合教学 again."""
    history = [{"role": "user", "content": "骨干班线上学多少学时"}, {"role": "assistant", "content": "网络研修24学时。"}]
    joined = contextualize("那线下呢", history)
    assert "线上" not in joined and "学时" in joined and "骨干" in joined
    # Compared with the other kind, the first one stays: it is one side of the comparison.
    assert "线上" in contextualize("跟线下一样吗", history)
    history = [{"role": "user", "content": "国家通知里提到的学分银行是干嘛的？"}, {"role": "assistant", "content": "……"}]
    joined = contextualize("那省里呢？", history)
    assert "国家" not in joined and "学分银行" in joined
    # One stage of a training for another, though the tokenizer splits 跟岗实践 and 集中培训 into their parts.
    history = [{"role": "user", "content": "跟岗实践要多少天？"}, {"role": "assistant", "content": "跟岗不少于15天。"}]
    joined = contextualize("那集中培训呢？", history)
    assert "跟岗" not in joined and "天" in joined


def test_a_word_of_the_same_kind_replaces_the_last_ones_without_a_list_of_kinds():
    """那网络研修呢 after 校本研修一年要多少学时: both are 研修, so 校本研修 (and its part 校本) leaves the topic; 那城区
    教师呢 does the same to 乡村教师. A word that merely ends alike inside the last one (研修) replaces nothing."""
    history = [{"role": "user", "content": "校本研修一年要多少学时"}, {"role": "assistant", "content": "……"}]
    joined = contextualize("那网络研修呢", history)
    assert "校本" not in joined and "学时" in joined, joined
    history = [{"role": "user", "content": "乡村教师每年有几次培训机会"}, {"role": "assistant", "content": "……"}]
    joined = contextualize("那城区教师呢", history)
    assert "乡村" not in joined and "培训" in joined, joined
    history = [{"role": "user", "content": "校本研修一年要多少学时"}, {"role": "assistant", "content": "……"}]
    assert "校本研修" in contextualize("那研修日志呢", history)


def test_an_item_counted_with_no_list_before_it_is_unresolved() -> None:
    outline = [{"role": "user", "content": "国培计划有哪些重点工作？"},
               {"role": "assistant", "content": "「（一）聚焦素养提升」[1]\n「（二）推进重点改革」[2]\n「（三）强化能力建设」[3]"}]
    assert unresolved_reference("第三项具体怎么搞？", None) == "第三项"
    assert unresolved_reference("最后一项呢", []) == "最后一项"
    assert unresolved_reference("第三项具体怎么搞？", outline) == ""  # the list answers it
    # A question that names its subject, or an article of a regulation, is a question of its own.
    assert unresolved_reference("送教下乡的第三项任务是什么", None) == ""
    assert unresolved_reference("第五条说的是什么", None) == ""


def test_an_item_counted_by_its_own_unit_is_named_from_the_list_that_counts_in_it():
    from assistant.conversation import named_item

    reply = ("综合提升学科育德、教学实施、学生评价和家庭教育指导能力。[1]"
             "加强义务教育新课程标准培训，强化道德与法治、语文、历史三科统编教材培训。[1]")
    history = [{"role": "user", "content": "统编教材具体指哪几科？"}, {"role": "assistant", "content": reply}]
    # 三科 is the list 第二科 counts in, not the first run of the reply; 道德与法治 is one subject.
    assert named_item("那第二科呢？", history) == ("第二科", "语文")
    assert named_item("第一科呢", history) == ("第一科", "道德与法治")
    assert named_item("第二科有什么要求？", history) is None  # asked about it, not which it is


def test_what_points_back_to_the_conversation() -> None:
    for q in ("它和学历教育是什么关系？", "那市里呢", "第二项具体怎么搞", "剩下的部分能自己安排吗？"):
        assert points_back(q), q
    for q in ("今天天气怎么样", "学校每年要拿出多少经费用于教师培训？"):
        assert not points_back(q), q


def test_an_ordinal_counts_in_a_numbered_list_quoted_line_by_line() -> None:
    """Five tasks quoted 1. to 5.; the reply on the second quotes one that names three things in a row: 那第三条呢
    still counts in the tasks, and 第七条 is past their end."""
    tasks = ("根据《大纲》「四、校本实践任务」：\n校本实践期间，学员在本校完成以下任务：[1]\n1. 上研究课不少于2节。[1]\n"
             "2. 每节研究课提交教学设计和课后反思。[2]\n3. 组织1次主题教研活动，提交活动方案、签到表和活动简报。[2]\n"
             "4. 指导1名青年教师。[3]\n5. 每周撰写研修日志1篇。[3]")
    second = "根据《大纲》「四、校本实践任务」：\n3. 组织1次主题教研活动，提交活动方案、签到表和活动简报。[1]"
    history = [{"role": "user", "content": "校本实践要完成哪些任务？"}, {"role": "assistant", "content": tasks}]
    assert named_item("那第二条呢", history) == ("第二条", "每节研究课提交教学设计和课后反思")
    later = [*history, {"role": "user", "content": "那第三条呢"}, {"role": "assistant", "content": second}]
    assert named_item("那第四条呢", later) == ("第四条", "指导1名青年教师")
    assert named_item("那第三条呢", later) == ("第三条", "组织1次主题教研活动，提交活动方案、签到表和活动简报")
    assert len(latest_list(later)) == 5 and unresolved_reference("第七条呢", later) == "第七条"
