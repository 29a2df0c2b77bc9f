from indexer.bilingual import candidates, render, singular, stems


def freq(**counts: int):
    """A knowledge base that uses exactly these words, this many times."""
    return lambda word: counts.get(word, 0)


def test_glosses_from_the_bundled_dictionary_are_read_backwards() -> None:
    assert "补考" in candidates("make-up exam")
    assert "教育部" in candidates("Ministry of Education")
    assert "学分" in candidates("credit"), "the head noun of a gloss (course credit) counts too"
    assert candidates("no-such-english-word") == ()


def test_plurals_and_past_forms_are_looked_up_by_their_base_form() -> None:
    assert singular("hours") == "hour" and singular("policies") == "policy" and singular("classes") == "class"
    assert singular("bus") == "bus" and singular("basis") == "basis"
    assert candidates("hours") == candidates("hour") and "学时" in candidates("class hours")
    assert "count" in stems("counted") and "travel" in stems("travelling") and "issue" in stems("issued")
    assert candidates("counted") == candidates("count")
    assert candidates("trainers")[0] == "培训者", "the programme's word for trainers, not the dictionary's"
    assert candidates("primary")[0] == "小学", "primary school, not 第一"


def test_phrases_are_rendered_before_their_words() -> None:
    (unit,) = render("Who works at the Ministry of Education?", freq(教育部=3), limit=2)[1:]
    assert unit.english == "ministry of education" and unit.chinese == ("教育部",)
    units = render("If I fail, is there a make-up exam?", freq(补考=1, 考试=9, 不及格=2))
    assert [(u.english, u.chinese) for u in units] == [("fail", ("不及格",)), ("make-up exam", ("补考",))]


def test_a_phrase_the_knowledge_base_has_no_word_for_falls_back_to_its_words() -> None:
    units = render("driver's license", freq(执照=2))
    assert [(u.english, u.chinese) for u in units] == [("driver", ()), ("license", ("执照",))]


def test_stop_words_are_skipped_and_words_counted_once() -> None:
    assert render("What is it that you would do?") == []
    units = render("credit bank for credits", freq(学分=40, 银行=5))
    assert [u.english for u in units] == ["credit", "bank"]


def test_candidates_are_the_knowledge_bases_most_used_words_and_capped() -> None:
    (training,) = render("training", freq(培训=120, 训练=4, 熏陶=1))
    assert training.chinese == ("培训", "训练", "熏陶")
    (pay,) = render("pay", lambda w: 1)
    assert len(pay.chinese) == 3 and all(len(w) >= 2 for w in pay.chinese)
    (province,) = render("province", lambda w: 1)
    assert "省" not in province.chinese, "one-character headwords are too ambiguous"


def test_a_word_the_knowledge_base_never_uses_stays_untranslated() -> None:
    units = render("How do I learn to play the guitar?", freq(学习=7))
    assert [(u.english, u.chinese) for u in units] == [("learn", ("学习",)), ("play", ()), ("guitar", ())]


def test_an_ing_form_whose_own_sense_is_unused_is_read_by_its_base_form() -> None:
    """"funding" glosses 招商 (attracting investment); a policy text says 经费, which glosses "fund"."""
    units = render("How much funding goes to training?", freq(经费=9, 培训=20))
    assert [(u.english, u.chinese) for u in units] == [("funding", ("经费",)), ("training", ("培训",))]
    (own,) = render("funding", freq(招商=1, 经费=9))
    assert own.chinese == ("招商",), "a sense of its own that the knowledge base uses comes first"


def test_a_word_that_only_qualifies_a_gloss_renders_it_below_exact_glosses() -> None:
    (rural,) = render("rural", freq(农村=2, 乡下=1))
    assert rural.chinese == ("农村", "乡下"), "农村 is a 'rural area', 乡下 'the countryside; rural area'"
    assert render("rural", freq(乡间=3, 农村=3))[0].chinese == ("乡间", "农村"), "an exact gloss first at equal use"


def test_what_a_document_says_is_question_scaffolding() -> None:
    assert [u.english for u in render("What does it say or mention about credits?", freq(学分=4))] == ["credits"]


def test_the_programmes_own_english_comes_before_the_dictionarys() -> None:
    """CC-CEDICT has no 省级 for "provincial", renders "leave" as 下场 first and "school-based" as 学校."""
    uses = freq(省级=9, 请假=4, 校本研修=12, 下场=1, 学校=30, 指南=2, 结对=1)
    units = {u.english: u.chinese for u in render("Does the provincial guide limit leave for school-based training?",
                                                   uses)}
    assert units == {"provincial": ("省级",), "guide": ("指南",), "limit": units["limit"], "leave": ("请假",),
                     "school-based training": ("校本研修",)}
    assert render("mentoring", uses)[0].chinese == ("结对",)


def test_hedging_words_are_scaffolding() -> None:
    assert [u.english for u in render("They seem to say anything about credits?", freq(学分=4))] == ["credits"]


def test_who_sends_teachers_and_the_bureau_are_the_programmes_words() -> None:
    uses = freq(教育局=5, 派出=3, 县级=8)
    units = {u.english: u.chinese for u in render("What is the county education bureau supposed to do when "
                                                   "teachers are sent away?", uses)}
    assert units["education bureau"] == ("教育局",) and units["sent"] == ("派出",)
    assert "supposed" not in units and "away" not in units


def test_national_programmes_and_their_priorities_are_the_programmes_words() -> None:
    uses = freq(国家=9, 计划=7, 项目=12, 重点=6, 适用=2, 计入=3)
    units = {u.english: u.chinese for u in render("Which regions does the national programme give priority to? "
                                                   "Which rule applies?", uses)}
    assert units["national"] == ("国家",) and units["programme"][0] in ("计划", "项目")
    assert units["priority"] == ("重点",) and units["applies"] == ("适用",) and "give" not in units


def test_the_programmes_words_for_school_based_training_terms() -> None:
    assert candidates("lesson observation")[0] == "听评课" and candidates("teaching-research group") == ("教研组",)
    assert candidates("degree") == ("学历",) and candidates("part-time") == ("在职",)
    assert candidates("converted") == ("折算",), "the past form finds the programme's word"
    units = render("How often does each group hold sessions?", freq(教研组=2))
    assert all(u.english not in ("often", "hold", "sessions") for u in units), "scaffolding, not what is asked"


def test_a_phrase_of_the_fields_own_may_end_in_a_function_word() -> None:
    rendered = {r.english: r.chinese for r in render("how many hours count as one credit")}
    assert rendered["count as"] == ("计入", "折算")
    assert "hours as" not in rendered
