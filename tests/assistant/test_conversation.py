from assistant.conversation import contextualize, needs_context

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
