from indexer.tokenizer import lexical_terms, tagged_words, to_simplified, word_frequency, words


def test_policy_terms_stay_whole_and_their_parts_are_searchable_too() -> None:
    assert "学分银行" in words("建立教师培训学分银行")
    terms = lexical_terms("建立教师培训学分银行")
    assert {"学分银行", "学分", "银行"} <= set(terms)


def test_question_scaffolding_is_not_a_search_term() -> None:
    assert "什么" not in lexical_terms("学分银行是什么")
    assert "吗" not in lexical_terms("能参加国培吗")
    # 这件事上, 这方面: pointing at the topic, not naming it (学校在教师参训这件事上要负什么责).
    assert lexical_terms("学校在教师参训这件事上要负什么责")[:3] == ("学校", "教师", "参训")
    assert not {"这件", "事上", "这方", "这方面"} & set(lexical_terms("这件事上这方面有什么规定"))


def test_traditional_questions_read_as_simplified() -> None:
    assert to_simplified("學分銀行是什麼意思") == "学分银行是什么意思"
    assert words(to_simplified("學分銀行")) == ["学分银行"]
    assert tagged_words("学分银行")[0][0] == "学分银行"


def test_word_frequency_tells_dictionary_words_from_words_made_up_in_segmentation() -> None:
    assert word_frequency("培训") > 100
    assert word_frequency("学分银行") > 0  # from the project's own dictionary
    assert word_frequency("能录") == 0


def test_a_score_and_the_verb_after_it_are_not_one_word() -> None:
    """多少分算合格 is 分 + 算: jieba's 分算 made a term the documents never use, read as an unknown subject."""
    assert lexical_terms("考核多少分算合格") == ("考核", "分", "算", "合格")
    assert "分才" not in lexical_terms("多少分才算优秀") and "分及" not in lexical_terms("总评70分及以上为合格")
    assert "课" in lexical_terms("缺了几次课能不能补学")


def test_a_class_and_online_learning_are_not_a_bus_route() -> None:
    """骨干班线上学 is 班 + 线上 + 学: jieba's 班线 (a bus route) and 上学 made a subject no document speaks of."""
    assert lexical_terms("骨干班线上学多少学时") == ("骨干", "班", "线上", "学", "学时")
    assert "线下" in lexical_terms("骨干班线下集中几天")


def test_hours_and_credits_survive_the_verb_before_them() -> None:
    """能算学时吗, 算学分吗, 继续教育学时, 网上学学时: jieba's 算学 (arithmetic), 教育学 and 学学 swallowed the 学 of
    学时 or 学分, so the unit the teacher asked about was no term of the question at all."""
    assert lexical_terms("听课能算学时吗")[-1] == "学时"
    assert "学分" in lexical_terms("送教下乡算学分吗")
    assert "学时" in lexical_terms("继续教育学时") and "继续教育" in lexical_terms("继续教育学时")
    assert "学时" in lexical_terms("网上学学时") and "学时" in lexical_terms("学时会不会清零")
    assert "报到" in lexical_terms("骨干班报到要带什么")
    assert lexical_terms("记入学时") == ("记入", "学时") and "入学" in lexical_terms("新生入学")


def test_not_having_received_is_not_confiscating() -> None:
    """一直没收到通知 is 没 + 收到; jieba's 没收 (confiscate) left the question without 收到."""
    assert "收到" in lexical_terms("一直没收到通知")


def test_the_fields_own_words_are_whole() -> None:
    """跟岗, 教研组长, 时长, 听评课 are words of the documents; cut up (跟/岗, 长能, 时 + 长) they matched nothing, or
    only a stopword and one character."""
    assert "跟岗" in lexical_terms("跟岗学习多久") and "教研组长" in lexical_terms("教研组长能报吗")
    assert "时长" in lexical_terms("线上学习时长") and "时长" in lexical_terms("有效学习时长每45分钟计1学时")
    assert {"听评课", "评课"} <= set(lexical_terms("听评课记录")) and "评课" in lexical_terms("评课算学时吗")


def test_which_and_the_thing_asked_about_are_two_words() -> None:
    # jieba's own 哪些项目 made the thing asked about (项目) a term no passage holds.
    assert "项目" in lexical_terms("国培计划有哪些项目") and "哪些项目" not in lexical_terms("国培计划有哪些项目")


def test_a_share_is_one_word_and_means_a_proportion() -> None:
    # 乡村老师占多大比例 is answered by 乡村教师占比不低于70%: 占比 cut into 占 + 比 would match neither word.
    from indexer.thesaurus import synonyms

    assert "占比" in lexical_terms("其中乡村教师占比不低于70%")
    assert "比例" in synonyms("占比")
