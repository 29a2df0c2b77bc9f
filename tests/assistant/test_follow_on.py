from assistant.candidates import candidates
from assistant.hits import Hit
from assistant.question import analyse
from assistant.scoring import score
from assistant.selection import choose
from tests.assistant.kb import retrieval


def test_a_list_answered_by_a_table_quotes_the_whole_table_under_its_heading_row() -> None:
    q = "哪些活动可以认定校本研修学时？"
    r = retrieval(q, "guide:1")
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert texts[-4:] == ["研修活动 | 认定学时", "听评课（每次） | 2", "公开课（每节） | 6", "专题讲座（每场） | 3"]
    one = "公开课每节认定几个学时？"
    r = retrieval(one, "guide:1")
    assert [s.text for s in choose(analyse(one), score(analyse(one), r, candidates(r)))] == ["公开课（每节） | 6"]


def test_a_table_introduced_by_the_answer_is_quoted_whole_whatever_was_asked() -> None:
    q = "校本研修学时怎么认定？"
    r = retrieval(q, "guide:1")
    chosen = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert chosen == ["校本研修学时按下表认定。", "研修活动 | 认定学时", "听评课（每次） | 2", "公开课（每节） | 6",
                      "专题讲座（每场） | 3"]


def test_a_bulleted_list_is_quoted_whole_with_the_lines_that_label_its_parts() -> None:
    from assistant.compose import quote_block
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    text = "七、推荐阅读书目\n必读书目：\n- 《义务教育语文课程标准》\n- 《教师职业行为十项准则》\n选读书目：\n- 《给教师的建议》\n- 《静悄悄的革命》"
    h = Hit("guide:9", text, {**GUIDE, "ordinal": 9, "section": "七、推荐阅读书目"}, dense=0.9, score=0.8,
            sentence=0.93, sentences=[(s, e, 0.95 if i == 2 else 0.9) for i, (s, e) in enumerate(sentences(text))])
    q = analyse("推荐了哪些书要读？")
    r = Retrieval(query=q.text, terms=q.terms, hits=[h], strength=0.9, question=q, documents=CATALOGUE)
    chosen = choose(q, score(q, r, candidates(r)))
    assert [s.text for s in sorted(chosen, key=lambda s: s.start) if s.text.startswith("-")] == [
        "- 《义务教育语文课程标准》", "- 《教师职业行为十项准则》", "- 《给教师的建议》", "- 《静悄悄的革命》"]
    body, _ = quote_block(chosen)
    assert body.splitlines()[1:] == ["必读书目：[1]", "- 《义务教育语文课程标准》[1]", "- 《教师职业行为十项准则》[1]",
                                     "选读书目：[1]", "- 《给教师的建议》[1]", "- 《静悄悄的革命》[1]"]


def _faq_hit(section: str, text: str, best: int) -> Hit:
    from indexer.chunking import sentences
    from tests.assistant.kb import GUIDE

    return Hit("guide:9", text, {**GUIDE, "ordinal": 9, "section": section}, dense=0.9, score=0.8, sentence=0.93,
               sentences=[(s, e, 0.95 if i == best else 0.85) for i, (s, e) in enumerate(sentences(text))])


def _chosen(question: str, h: Hit) -> list[str]:
    from assistant.hits import Retrieval
    from tests.assistant.kb import CATALOGUE

    q = analyse(question)
    r = Retrieval(query=question, terms=q.terms, hits=[h], strength=0.9, question=q, documents=CATALOGUE)
    return [s.text for s in choose(q, score(q, r, candidates(r)))]


def test_a_short_paragraph_is_quoted_whole_best_sentence_first() -> None:
    text = ("20. 学习记录没有保存怎么办？\n答：先尝试清除浏览器缓存或更换浏览器。仍无法解决的，请截图发给班级辅导员。"
            "因平台故障未记录的学时，经核实后予以补记。\n21. 平台账号谁来开？\n答：由县级教师发展中心统一开通。")
    chosen = _chosen("学习记录突然没了怎么办", _faq_hit("六、网络研修平台", text, best=2))
    assert chosen[0] == "因平台故障未记录的学时，经核实后予以补记。"
    assert set(chosen) == {"答：先尝试清除浏览器缓存或更换浏览器。", "仍无法解决的，请截图发给班级辅导员。",
                           "因平台故障未记录的学时，经核实后予以补记。"}, "the next entry's answer rides along"


def test_a_paragraph_of_five_sentences_is_several_rules_not_one_answer() -> None:
    """学分银行是什么 is answered by the sentence about it, not by the four before it in the same paragraph."""
    text = ("3. 完善教师自主发展机制。强化分层分类，实施精准培训。完善线下集中培训、在线培训、校本研修融合的混合式培训。"
            "开展教师自主选学试点。开展教师培训整校研修模式改革探索。完善学分认定登记制度，强化培训学分银行建设。")
    chosen = _chosen("学分银行是干什么的", _faq_hit("二、重点工作", text, best=5))
    assert chosen == ["完善学分认定登记制度，强化培训学分银行建设。"]
    # Clauses joined by ； are one sentence: a paragraph listing five targets is still one answer.
    goals = "到2025年，培训15万人次；培养骨干教师6000名；建成学分银行；遴选精品课程300门；建成县级教师发展中心。"
    assert len(_chosen("到2025年要达到什么目标", _faq_hit("一、总体目标", goals, best=0))) == 5


def test_a_question_after_one_figure_still_gets_the_sentence_that_holds_it_alone() -> None:
    text = "答：培训机构在项目结束后30日内完成登记。教师可登录省教师培训管理平台查询学分档案。"
    assert _chosen("学分多少天内能登记好？", _faq_hit("五、学分", text, best=0)) == ["答：培训机构在项目结束后30日内完成登记。"]


def test_asked_for_a_figure_per_item_the_passages_table_is_read_whole() -> None:
    text = ("五、考核评价\n考核项目 | 权重\n集中研修表现 | 20%\n校本实践成果 | 40%\n结业考核 | 40%\n"
            "过程性考核占20%，成果考核占80%。总评70分及以上为合格。")
    h = _faq_hit("五、考核评价", text, best=4)
    chosen = _chosen("考核有哪些项目，各占多少比重？", h)
    assert {"集中研修表现 | 20%", "校本实践成果 | 40%", "结业考核 | 40%", "考核项目 | 权重"} <= set(chosen)
    assert _chosen("过程性考核占多少？", h) == ["过程性考核占20%，成果考核占80%。"], "one figure: no table"


def test_a_list_question_gets_the_table_a_later_sentence_introduces() -> None:
    from assistant.compose import quote_block
    from assistant.hits import Retrieval
    from tests.assistant.kb import CATALOGUE

    text = ("四、学时认定\n每位教师每学年参加校本研修不少于七十二学时。校本研修学时按下表认定。\n"
            "研修活动 | 认定学时\n听评课（每次） | 2\n公开课（每节） | 6\n每十学时折算一学分。")
    h = _faq_hit("四、学时认定", text, best=0)
    q = analyse("校本研修都可以搞哪些活动？")
    r = Retrieval(query=q.text, terms=q.terms, hits=[h], strength=0.9, question=q, documents=CATALOGUE)
    chosen = choose(q, score(q, r, candidates(r)))
    assert {"校本研修学时按下表认定。", "研修活动 | 认定学时", "听评课（每次） | 2", "公开课（每节） | 6"} <= {
        s.text for s in chosen}
    body, _ = quote_block(chosen)
    assert "公开课（每节） | 6[1]\n" in body or body.endswith("公开课（每节） | 6[1]"), "what follows a row starts a line"


def test_a_list_asked_of_a_chunked_table_is_answered_by_its_first_column() -> None:
    from assistant.compose import quote_block
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    def made(cid: str, text: str, ordinal: int, score: float) -> Hit:
        return Hit(cid, text, {**GUIDE, "ordinal": ordinal, "section": "三、课程模块"}, dense=0.9, score=score,
                   sentence=0.93, sentences=[(s, e, 0.93) for s, e in sentences(text)])

    first = ("三、课程模块\n模块 | 学时 | 方式\n模块一：师德修养 | 8 | 集中面授\n模块二：课程标准解读 | 12 | 集中面授\n"
             "模块三：阅读教学 | 16 | 集中面授")
    second = "模块四：习作教学 | 12 | 工作坊\n模块五：作业设计 | 8 | 工作坊\n合计 | 56 | —"
    q = "研修班的课程分哪几个模块？"
    hits = [made("guide:8", first, 8, 0.8), made("guide:9", second, 9, 0.75)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE)
    chosen = choose(analyse(q), score(analyse(q), r, candidates(r)))
    assert [s.text for s in chosen] == ["模块一：师德修养", "模块二：课程标准解读", "模块三：阅读教学", "模块四：习作教学",
                                        "模块五：作业设计"]
    body, _ = quote_block(chosen)
    assert "模块一：师德修养[1]\n模块二：课程标准解读[1]" in body and "模块四：习作教学[2]\n模块五：作业设计[2]" in body


def test_a_count_of_what_a_tables_first_column_names_is_answered_by_every_row_name() -> None:
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    text = ("三、课程模块\n模块 | 学时 | 方式\n模块一：师德修养 | 8 | 集中面授\n模块二：课程标准解读 | 12 | 集中面授\n"
            "模块三：阅读教学 | 16 | 集中面授\n模块四：习作教学 | 12 | 工作坊")
    hit = Hit("guide:8", text, {**GUIDE, "ordinal": 8, "section": "三、课程模块"}, dense=0.9, score=0.8,
              sentence=0.93, sentences=[(s, e, 0.93 if "模块四" in text[s:e] else 0.9) for s, e in sentences(text)])
    q = "整个课程分几个模块？"
    r = Retrieval(query=q, terms=analyse(q).terms, hits=[hit], strength=0.9, question=analyse(q), documents=CATALOGUE)
    chosen = choose(analyse(q), score(analyse(q), r, candidates(r)))
    # Not the one row whose 12 reads as a count: the names of all four, for the teacher to count.
    assert [s.text for s in chosen] == ["模块一：师德修养", "模块二：课程标准解读", "模块三：阅读教学", "模块四：习作教学"]


def test_items_asked_of_a_section_that_numbers_them_are_quoted_whole_across_passages() -> None:
    """目标有几条, asked of 二、课程目标 chunked into two passages: every numbered item, in order, not only the two
    of the passage that matched best."""
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    def hit(n: int, text: str, section: str = "二、课程目标") -> Hit:
        return Hit(f"guide:{10 + n}", text, {**GUIDE, "ordinal": 10 + n, "section": section}, dense=0.9,
                   score=0.8 - 0.1 * n, sentence=0.93, sentences=[(s, e, 0.93) for s, e in sentences(text)])

    items = ["1. 准确把握语文课程标准的理念与要求。", "2. 掌握单元整体教学设计的基本策略。", "3. 提升课堂教学诊断与改进能力。",
             "4. 具备组织校本主题教研的能力。", "5. 涵养乡村教育情怀，践行教师职业行为准则。"]
    q = "研修目标有几条？"
    hits = [hit(1, f"{items[2]}\n{items[3]}\n"), hit(0, f"二、课程目标\n{items[0]}\n{items[1]}\n"),
            hit(2, f"{items[4]}\n", "二、课程目标 > 5. 涵养乡村教育情怀，践行教师职业行为准则")]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE)
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert texts[:5] == items, texts


def test_a_schedule_asked_for_in_the_teachers_own_words_is_quoted_whole() -> None:
    """时间表是怎样的 wants every date of the list, though the question also names one step; a follow-up about one
    step after a talk of the schedule (工作安排：遴选在几月) wants that step's."""
    from assistant.hits import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, PLAN

    items = ["（一）每年3月底前，省教育厅下达年度项目计划和名额分配方案。", "（二）每年4月底前，各项目县完成参训教师遴选。",
             "（三）每年12月20日前，培训机构向省教育厅报送年度项目总结。"]
    text = "八、年度工作安排\n" + "\n".join(items) + "\n"
    h = Hit("plan:9", text, {**PLAN, "ordinal": 9, "section": "八、年度工作安排"}, dense=0.9, score=0.8, sentence=0.93,
            sentences=[(s, e, 0.93) for s, e in sentences(text)])

    def chosen(question: str, asked: str = "") -> list[str]:
        q = analyse(question)
        r = Retrieval(query=question, terms=q.terms, hits=[h], strength=0.9, question=q, documents=CATALOGUE)
        return [s.text for s in choose(q, score(q, r, candidates(r)), asked=asked)]

    assert chosen("省里每年的工作时间表是怎样的，年度项目计划几月份下达？") == items
    assert chosen("年度项目计划几月份下达？") == items[:1]
    follow_up = chosen("年度工作安排：遴选在几月？", asked="遴选在几月？")
    assert items[1] in follow_up and items[2] not in follow_up, follow_up


def test_a_figure_asked_by_pointing_at_the_table_is_answered_by_the_table() -> None:
    """按市里那张表能折多少学时: the rows the rule refers to (按下表认定) answer, not the rule alone."""
    q = "我这学期听了20节课，按那张表能折多少学时？"
    r = retrieval(q, "guide:1")
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert "研修活动 | 认定学时" in texts and "听评课（每次） | 2" in texts, texts
