from assistant.candidates import candidates
from assistant.question import analyse
from assistant.retrieval import Hit
from assistant.scoring import score
from assistant.selection import choose
from tests.assistant.kb import retrieval


def test_a_figure_question_prefers_the_sentence_with_the_figure() -> None:
    q = "学校每年要拿出多少经费用于教师培训？"
    r = retrieval(q, "notice:1")
    best = choose(analyse(q), score(analyse(q), r, candidates(r)))
    assert "5%" in best[0].text
    assert all("资金使用的重要方向" not in s.text for s in best), "a sentence without the figure rides along"


def test_each_document_that_answers_is_quoted_once() -> None:
    q = "中小学按公用经费的多少安排培训经费？"
    r = retrieval(q, "notice:1", "plan:2")
    chosen = choose(analyse(q), score(analyse(q), r, candidates(r)))
    assert {s.hit.doc_id for s in chosen} == {"notice", "plan"}


def test_a_list_answered_by_a_table_quotes_the_whole_table_under_its_heading_row() -> None:
    q = "哪些活动可以认定校本研修学时？"
    r = retrieval(q, "guide:1")
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert texts[-4:] == ["研修活动 | 认定学时", "听评课（每次） | 2", "公开课（每节） | 6", "专题讲座（每场） | 3"]
    one = "公开课每节认定几个学时？"
    r = retrieval(one, "guide:1")
    assert [s.text for s in choose(analyse(one), score(analyse(one), r, candidates(r)))] == ["公开课（每节） | 6"]


def test_a_figure_in_the_unit_asked_for_comes_before_one_in_a_related_unit() -> None:
    q = "每学年学分要求是多少？"
    r = retrieval(q, "guide:2")
    best = choose(analyse(q), score(analyse(q), r, candidates(r)))[0]
    assert best.text == "每位教师每学年累计不少于12学分。"


def test_a_table_introduced_by_the_answer_is_quoted_whole_whatever_was_asked() -> None:
    q = "校本研修学时怎么认定？"
    r = retrieval(q, "guide:1")
    chosen = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert chosen == ["校本研修学时按下表认定。", "研修活动 | 认定学时", "听评课（每次） | 2", "公开课（每节） | 6",
                      "专题讲座（每场） | 3"]


def test_beside_a_figure_another_document_is_quoted_for_the_same_kind_of_figure() -> None:
    from assistant.retrieval import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE, PLAN

    def made(cid: str, text: str, meta: dict, score: float) -> Hit:
        return Hit(cid, text, {**meta, "ordinal": 9, "section": "学分"}, dense=0.9, score=score, sentence=0.93,
                   sentences=[(s, e, 0.93) for s, e in sentences(text)])

    q = "校本研修每年要完成多少学时？"
    hits = [made("guide:9", "每位教师每学年参加校本研修不少于七十二学时。", GUIDE, 0.8),
            # The conversion rate outranks the yearly amount here; it answers another question.
            made("plan:9", "校本研修每完成12学时折算1学分。", PLAN, 0.72),
            made("plan:8", "每学年参加校本研修不少于48学时。", PLAN, 0.66)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE)
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert texts[0] == "每位教师每学年参加校本研修不少于七十二学时。"
    assert "每学年参加校本研修不少于48学时。" in texts
    assert "校本研修每完成12学时折算1学分。" not in texts


def test_a_figure_of_the_same_kind_on_another_topic_is_no_answer_beside_the_best() -> None:
    """Comparing two named documents on leave, the plan's 五年内不重复参加 is a span of time like 请假1天以上,
    but about something else: the plan's own sentence on leave answers beside the FAQ's."""
    from assistant.retrieval import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE, PLAN

    def made(cid: str, text: str, meta: dict, score: float) -> Hit:
        return Hit(cid, text, {**meta, "ordinal": 9, "section": "考核"}, dense=0.9, score=score, sentence=0.93,
                   sentences=[(s, e, 0.93) for s, e in sentences(text)])

    q = "市里指南和省里方案的请假上限说法一样吗？"
    hits = [made("guide:9", "集中研修期间请假累计超过2天的，不予结业。", GUIDE, 0.8),
            made("plan:9", "同一教师五年内原则上不重复参加同类项目。请假累计超过总学时10%的，不予结业。", PLAN, 0.7)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE,
                  named=("guide", "plan"))
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)), ("guide", "plan"))]
    assert texts == ["集中研修期间请假累计超过2天的，不予结业。", "请假累计超过总学时10%的，不予结业。"]


def _first_chosen(text: str, section: str, question: str) -> str:
    """The sentence answered first from one passage whose first sentence is the closer to the question."""
    from assistant.retrieval import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    h = Hit("guide:9", text, {**GUIDE, "ordinal": 9, "section": section}, dense=0.9, score=0.8, sentence=0.93,
            sentences=[(s, e, 0.95 if i == 0 else 0.93) for i, (s, e) in enumerate(sentences(text))])
    q = analyse(question)
    r = Retrieval(query=question, terms=q.terms, hits=[h], strength=0.9, question=q, documents=CATALOGUE)
    return choose(q, score(q, r, candidates(r)))[0].text


def test_a_how_to_question_is_answered_by_the_step_before_the_rule() -> None:
    text = "集中研修期间累计请假超过2天的，不予结业。确需请假的，应向班主任提交书面申请。"

    def first(question: str) -> str:
        return _first_chosen(text, "考勤", question)

    assert first("培训期间请假要办什么手续？") == "确需请假的，应向班主任提交书面申请。"
    assert first("培训期间请假多了会怎么样？") == "集中研修期间累计请假超过2天的，不予结业。"


def test_a_claimed_cycle_length_is_checked_against_the_sentence_that_gives_one() -> None:
    text = "学分按周期登记，学分在一个周期内累计有效，学分周期结束后不结转。另外，教师培训实行五年一周期的管理。"
    assert _first_chosen(text, "四、学分管理", "学分是三年一个周期吗？") == "另外，教师培训实行五年一周期的管理。"
    from assistant.selection import _claims_cycle

    # Naming the cycle by its length (五年周期结束) claims nothing to check.
    assert not _claims_cycle(analyse("五年周期结束，多修的学分能带到下一个周期吗？"))


def test_falling_short_is_answered_by_what_follows_from_failing() -> None:
    text = ("每位教师每学年参加校本研修不少于七十二学时，其中集中研修不少于二十四学时。"
            "区教师发展中心每学年对学校校本研修工作进行一次抽查，抽查结果纳入学校年度办学绩效评价。"
            "考核不合格的教师，下一学年须补足所缺学时。")
    first = _first_chosen(text, "五、考核评价", "校本研修每学年学时要是没达到会怎么样？")
    assert first == "考核不合格的教师，下一学年须补足所缺学时。", first


def test_whether_one_may_take_part_is_answered_by_whom_the_training_is_for() -> None:
    text = ("参加国培项目校本实践阶段的学时，不冲抵学校的校本研修学时。"
            "国培项目面向项目县公办中小学、幼儿园在编在岗教师。")

    def first(question: str) -> str:
        return _first_chosen(text, "资格", question)

    assert first("民办学校的老师能参加国培吗？") == "国培项目面向项目县公办中小学、幼儿园在编在岗教师。"
    assert first("参加国培的校本实践学时能顶学校的校本研修学时吗？").startswith("参加国培项目校本实践阶段")


def test_whom_a_project_supports_answers_first_though_a_funding_rule_shares_more_words() -> None:
    """我是幼儿园老师，国培有我的份吗: 中小学、幼儿园按照…5%安排教师培训经费 shares 幼儿园 and 国培 and scores higher."""
    from assistant.quote import Quote

    def quote(doc: str, text: str, score: float) -> Quote:
        return Quote(text, Hit(f"{doc}:0", text, {"doc_id": doc}), 0, 0, 0, len(text), score=score)

    funding = quote("notice", "中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费，保障“国培计划”实施。", 1.47)
    support = quote("plan", "实施中西部骨干项目，重点支持中西部欠发达地区农村义务教育学校、幼儿园骨干教师深度培训。", 1.24)
    assert choose(analyse("我是幼儿园老师，国培有我的份吗"), [funding, support])[0] is support
    assert choose(analyse("幼儿园的培训经费怎么安排？"), [funding, support])[0] is funding
    far = quote("plan", support.text, 1.0)  # less than four fifths of the best: not what answers
    assert choose(analyse("我是幼儿园老师，国培有我的份吗"), [funding, far])[0] is funding


def test_another_document_is_quoted_by_its_own_step_when_the_question_asks_how_to() -> None:
    """请假要办什么手续: the FAQ beside the syllabus gives its step (向班主任提交书面申请), not its rule that only
    scores a little higher (累计请假超过2天的，不予结业)."""
    from assistant.quote import Quote

    def quote(doc: str, text: str, score: float) -> Quote:
        return Quote(text, Hit(f"{doc}:0", text, {"doc_id": doc}), 0, 0, 0, len(text), score=score)

    step = quote("guide", "半天以上须经项目负责人批准，并提交派出学校盖章的书面说明。", 1.5)
    rule = quote("faq", "集中研修期间累计请假超过2天的，不予结业。", 1.4)
    faq_step = quote("faq", "确需请假的，应向班主任提交书面申请。", 1.3)
    texts = [s.text for s in choose(analyse("培训期间请假要办什么手续？"), [step, rule, faq_step])]
    assert texts[:2] == [step.text, faq_step.text]
    texts = [s.text for s in choose(analyse("请假超过几天不能结业？"), [step, rule, faq_step])]
    assert rule.text in texts and faq_step.text not in texts


def test_a_sum_asked_of_what_is_never_paid_is_answered_by_the_rule_that_rules_it_out() -> None:
    """国培补贴每天多少钱: 不得…发放参训教师补贴 answers, ahead of a per-day amount of something else that scores a
    little higher; a rule against fees (不得…收费) does not, it speaks of no 补贴."""
    from assistant.quote import Quote

    def quote(doc: str, text: str, score: float) -> Quote:
        return Quote(text, Hit(f"{doc}:0", text, {"doc_id": doc}), 0, 0, 0, len(text), score=score, fact=True)

    amount = quote("plan", "集中培训综合定额标准为每人每天不超过450元，包括住宿费、伙食费。", 1.4)
    none = quote("plan2", "项目经费专款专用，不得用于购置设备、基本建设和发放参训教师补贴。", 1.25)
    fees = quote("faq", "“国培计划”项目的培训费由项目经费支付，培训机构不得以任何名义向参训教师收费。", 1.3)
    assert choose(analyse("国培补贴每天多少钱？"), [amount, fees, none])[0] is none
    assert choose(analyse("外出培训有没有额外补助？每人补多少？"), [amount, fees, none])[0] is none, "补助 is 补贴"
    assert choose(analyse("集中培训每天的标准是多少钱？"), [amount, fees, none])[0] is amount
    # Asked only whether there is one (参加国培有没有补贴), the rule that none is paid answers too, ahead of where the
    # programme's money comes from; a yes/no on a fee (要交培训费吗) is no question of an allowance.
    source = quote("plan", "“国培计划”经费由中央财政补助资金、省级专项资金和市县配套资金共同保障。", 1.4)
    assert choose(analyse("参加国培有没有补贴？"), [source, fees, none])[0] is none
    assert choose(analyse("参加国培要交培训费吗？"), [source, fees, none])[0] is not none


def test_a_bulleted_list_is_quoted_whole_with_the_lines_that_label_its_parts() -> None:
    from assistant.compose import quote_block
    from assistant.retrieval import Retrieval
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
    from assistant.retrieval import Retrieval
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
    from assistant.retrieval import Retrieval
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


def test_the_named_documents_own_answer_leads_when_nearly_as_good() -> None:
    from assistant.retrieval import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE, PLAN

    def made(cid: str, text: str, meta: dict, score: float) -> Hit:
        return Hit(cid, text, {**meta, "ordinal": 9, "section": "学分"}, dense=0.9, score=score, sentence=0.93,
                   sentences=[(s, e, 0.93) for s, e in sentences(text)])

    hits = [made("plan:9", "每学年参加校本研修不少于48学时，每12学时折算1学分。", PLAN, 0.8),
            made("guide:9", "校本研修每十学时折算一学分。", GUIDE, 0.78)]

    def first(q: str, named: tuple[str, ...]) -> str:
        r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q),
                      documents=CATALOGUE, named=named)
        return choose(analyse(q), score(analyse(q), r, candidates(r)), named)[0].text

    assert first("按市里的指南，校本研修几个学时折1学分？", ("guide",)) == "校本研修每十学时折算一学分。"
    assert first("校本研修几个学时折1学分？", ()) != "校本研修每十学时折算一学分。"


def test_a_stated_figure_is_checked_against_a_clearly_better_sentence_that_says_it_in_words() -> None:
    from assistant.retrieval import Retrieval
    from tests.assistant.kb import CATALOGUE, GUIDE

    text = "学校每学年末对教师校本研修情况进行考核，考核结果分为三个等次。考核不合格的教师，下一学年须补足所缺学时。"
    h = Hit("guide:9", text, {**GUIDE, "ordinal": 9, "section": "五、考核评价"}, dense=0.9, score=0.8, sentence=0.93,
            sentences=[(0, 31, 0.95), (31, len(text), 0.85)])
    q = "校本研修考核是一年考一次吗？"
    r = Retrieval(query=q, terms=analyse(q).terms, hits=[h], strength=0.9, question=analyse(q), documents=CATALOGUE)
    assert analyse(q).checks_figure
    assert choose(analyse(q), score(analyse(q), r, candidates(r)))[0].text.startswith("学校每学年末")


def _first_chosen_in(text: str, question: str) -> str:
    from assistant.retrieval import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, PLAN

    h = Hit("plan:9", text, {**PLAN, "ordinal": 9, "section": "一、基本思路"}, dense=0.9, score=0.8, sentence=0.93,
            sentences=[(s, e, 0.95 if i == 0 else 0.93) for i, (s, e) in enumerate(sentences(text))])
    q = analyse(question)
    r = Retrieval(query=question, terms=q.terms, hits=[h], strength=0.9, question=q, documents=CATALOGUE)
    return choose(q, score(q, r, candidates(r)))[0].text


def test_a_list_question_is_answered_first_by_a_sentence_naming_a_kind_of_what_it_lists() -> None:
    """国培计划有哪些项目: 实施示范项目 names a project; 强化“国培计划”项目规划 only uses the word."""
    text = "强化省域内“国培计划”项目规划、项目区县遴选和绩效考核评估。实施示范项目，重点加强方向方法引领。"
    assert _first_chosen_in(text, "国培计划有哪些项目？").startswith("实施示范项目")


def test_asked_what_follows_the_sentence_saying_what_follows_leads() -> None:
    from assistant.retrieval import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, PLAN

    def made(cid: str, text: str, score: float, sentence: float) -> Hit:
        return Hit(cid, text, {**PLAN, "ordinal": 9, "section": "四、学分管理"}, dense=0.9, score=score,
                   sentence=sentence, sentences=[(s, e, sentence) for s, e in sentences(text)])

    q = "一个周期学分没修满会有什么后果？"
    hits = [made("plan:8", "每位教师每个周期累计不少于36学分。", 0.8, 0.95),
            made("plan:9", "周期学分未达标的教师，当年年度考核不得评为优秀等次。", 0.78, 0.93)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE)
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert texts[0].startswith("周期学分未达标")


def test_a_rule_is_quoted_with_the_exception_that_follows_it() -> None:
    from assistant.retrieval import Retrieval
    from assistant.selection import with_exceptions
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE

    text = "同一年度原则上只参加1个集中研修项目。送教下乡等以县为单位组织的全员培训不计入此限。请按时报到。"
    hit = Hit("guide:9", text, {**GUIDE, "ordinal": 9, "section": "参训"}, dense=0.9, score=0.8, sentence=0.93,
              sentences=[(s, e, 0.93) for s, e in sentences(text)])
    q = "一年最多能参加几个项目？"
    r = Retrieval(query=q, terms=analyse(q).terms, hits=[hit], strength=0.9, question=analyse(q), documents=CATALOGUE)
    ranked = score(analyse(q), r, candidates(r))
    chosen = choose(analyse(q), ranked)
    assert [s.text for s in chosen] == ["同一年度原则上只参加1个集中研修项目。"]
    assert [s.text for s in with_exceptions(chosen, ranked)] == [
        "同一年度原则上只参加1个集中研修项目。", "送教下乡等以县为单位组织的全员培训不计入此限。"]


def test_a_list_asked_of_a_chunked_table_is_answered_by_its_first_column() -> None:
    from assistant.compose import quote_block
    from assistant.retrieval import Retrieval
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
    from assistant.retrieval import Retrieval
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


def test_two_documents_compared_on_how_a_thing_is_counted_are_quoted_for_their_rates() -> None:
    from assistant.retrieval import Retrieval
    from indexer.chunking import sentences
    from tests.assistant.kb import CATALOGUE, GUIDE, PLAN

    def made(cid: str, meta: dict, text: str, cos: dict[str, float], score: float) -> Hit:
        spans = [(s, e, next((v for k, v in cos.items() if k in text[s:e]), 0.8)) for s, e in sentences(text)]
        return Hit(cid, text, {**meta, "ordinal": 5, "section": "网络研修"}, dense=0.9, score=score,
                   sentence=max(c for _, _, c in spans), sentences=spans)

    q = "线上学习时长怎么算，市里指南和省方案的口径一样吗？"
    hits = [made("guide:5", GUIDE, "网络研修按有效学习时长计算，每45分钟计1学时。", {"每45分钟": 0.93}, 0.8),
            made("plan:6", PLAN, "网络研修采用线上线下混合教学。", {"混合教学": 0.9}, 0.79),
            made("plan:5", PLAN, "有效学习时长每40分钟计1学时。", {"每40分钟": 0.86}, 0.78)]
    r = Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q), documents=CATALOGUE,
                  named=("guide", "plan"))
    chosen = choose(analyse(q), score(analyse(q), r, candidates(r)), r.named)
    assert "有效学习时长每40分钟计1学时。" in [s.text for s in chosen]
    assert "网络研修采用线上线下混合教学。" not in [s.text for s in chosen]


def test_a_list_question_leads_with_the_sentence_that_points_to_a_table_of_what_it_lists() -> None:
    """The table's first column is 研修活动: the sentence introducing it (按下表认定) names the activities asked for,
    ahead of a slightly closer rule about 校本研修学时 that names none."""
    for q in ("哪些活动可以计入校本研修学时？", "校本研修可以搞哪些形式的活动？"):
        r = retrieval(q, "guide:2", "guide:1")
        texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
        assert texts[:2] == ["校本研修学时按下表认定。", "研修活动 | 认定学时"], (q, texts)


def test_items_asked_of_a_section_that_numbers_them_are_quoted_whole_across_passages() -> None:
    """目标有几条, asked of 二、课程目标 chunked into two passages: every numbered item, in order, not only the two
    of the passage that matched best."""
    from assistant.retrieval import Retrieval
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
    from assistant.retrieval import Retrieval
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
