from indexer.tokenizer import lexical_terms, tagged_words, to_simplified, word_frequency, words


def test_policy_terms_stay_whole_and_their_parts_are_searchable_too() -> None:
    assert "学分银行" in words("建立教师培训学分银行")
    terms = lexical_terms("建立教师培训学分银行")
    assert {"学分银行", "学分", "银行"} <= set(terms)


def test_question_scaffolding_is_not_a_search_term() -> None:
    assert "什么" not in lexical_terms("学分银行是什么")
    assert "吗" not in lexical_terms("能参加国培吗")


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
