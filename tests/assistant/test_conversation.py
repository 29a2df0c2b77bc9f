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
