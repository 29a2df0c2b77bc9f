from assistant.spelling import SoundIndex, respell, sounds

VOCABULARY = [("国培", 12), ("国培计划", 10), ("研修", 4), ("校本研修", 3), ("银行", 1), ("学分银行", 1), ("培训", 30),
              ("陪同", 1), ("任教", 2), ("落实", 9)]


def test_a_word_is_read_character_by_character_every_reading_of_each_kept() -> None:
    assert ("guo", "pei") in sounds("国陪") and ("guo", "pei") in sounds("国培")
    assert ("yin", "hang") in sounds("银行") and ("yin", "xing") in sounds("银行"), "行 reads both ways"
    assert sounds("国") == [] and sounds("AI") == [] and sounds("2021年") == []


def test_an_unknown_word_is_read_as_the_known_word_that_sounds_the_same() -> None:
    index = SoundIndex(VOCABULARY)
    assert index.meant("国陪") == "国培" and index.meant("研休") == "研修" and index.meant("银航") == "银行"
    assert index.meant("国培") == "", "a known word is no typo of itself"
    assert index.meant("红烧") == ""
    assert index.meant("航行") == "", "a word that keeps none of the typed characters is another word"


def test_only_words_the_knowledge_base_does_not_know_are_respelled() -> None:
    index = SoundIndex(VOCABULARY)
    known = {t for t, _ in VOCABULARY} | {"经费", "保障", "计划"}
    text, fixed = respell("国陪计划的经费怎么保障", ["国陪", "计划", "经费", "保障"], known.__contains__, lambda: index)
    assert text == "国培计划的经费怎么保障" and fixed == (("国陪", "国培"),)
    same, none = respell("红烧肉怎么做", ["红烧肉", "做"], known.__contains__, lambda: index)
    assert same == "红烧肉怎么做" and none == ()
    # A real word the documents do not use is meant as typed (老师 sounds like 落实).
    assert respell("老师要落实什么", ["老师", "落实"], known.__contains__, lambda: index)[1] == ()


def test_a_made_up_word_is_respelled_only_where_a_longer_term_of_the_knowledge_base_then_stands() -> None:
    """一个人教语文 segments as 人教, which sounds like 任教; no term of the documents stands around it, so it is two
    words glued, not a slip. 校本研休 becomes 校本研修, a term the documents use."""
    index = SoundIndex(VOCABULARY)
    known = {t for t, _ in VOCABULARY}.__contains__
    assert respell("我一个人教语文", ["一个", "人教", "语文"], known, lambda: index)[1] == ()
    assert respell("校本研休要多少学时", ["校本", "研休", "学时"], known, lambda: index) == \
        ("校本研修要多少学时", (("研休", "研修"),))
