from assistant.candidates import candidates
from assistant.hits import Hit
from assistant.question import analyse
from assistant.scoring import score
from assistant.selection import choose
from tests.assistant.kb import first_chosen_in, retrieval


def test_a_figure_question_prefers_the_sentence_with_the_figure() -> None:
    q = "学校每年要拿出多少经费用于教师培训？"
    r = retrieval(q, "notice:1")
    best = choose(analyse(q), score(analyse(q), r, candidates(r)))
    assert "5%" in best[0].text
    assert all("资金使用的重要方向" not in s.text for s in best), "a sentence without the figure rides along"


def test_a_figure_in_the_unit_asked_for_comes_before_one_in_a_related_unit() -> None:
    q = "每学年学分要求是多少？"
    r = retrieval(q, "guide:2")
    best = choose(analyse(q), score(analyse(q), r, candidates(r)))[0]
    assert best.text == "每位教师每学年累计不少于12学分。"


def _first_chosen(text: str, section: str, question: str) -> str:
    """The sentence answered first from one passage whose first sentence is the closer to the question."""
    from assistant.hits import Retrieval
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
    from assistant.leading import _claims_cycle

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


def test_the_named_documents_own_answer_leads_when_nearly_as_good() -> None:
    from assistant.hits import Retrieval
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
    from assistant.hits import Retrieval
    from tests.assistant.kb import CATALOGUE, GUIDE

    text = "学校每学年末对教师校本研修情况进行考核，考核结果分为三个等次。考核不合格的教师，下一学年须补足所缺学时。"
    h = Hit("guide:9", text, {**GUIDE, "ordinal": 9, "section": "五、考核评价"}, dense=0.9, score=0.8, sentence=0.93,
            sentences=[(0, 31, 0.95), (31, len(text), 0.85)])
    q = "校本研修考核是一年考一次吗？"
    r = Retrieval(query=q, terms=analyse(q).terms, hits=[h], strength=0.9, question=analyse(q), documents=CATALOGUE)
    assert analyse(q).checks_figure
    assert choose(analyse(q), score(analyse(q), r, candidates(r)))[0].text.startswith("学校每学年末")



def test_a_list_question_is_answered_first_by_a_sentence_naming_a_kind_of_what_it_lists() -> None:
    """国培计划有哪些项目: 实施示范项目 names a project; 强化“国培计划”项目规划 only uses the word."""
    text = "强化省域内“国培计划”项目规划、项目区县遴选和绩效考核评估。实施示范项目，重点加强方向方法引领。"
    assert first_chosen_in(text, "国培计划有哪些项目？").startswith("实施示范项目")


def test_asked_what_follows_the_sentence_saying_what_follows_leads() -> None:
    from assistant.hits import Retrieval
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


def test_a_list_question_leads_with_the_sentence_that_points_to_a_table_of_what_it_lists() -> None:
    """The table's first column is 研修活动: the sentence introducing it (按下表认定) names the activities asked for,
    ahead of a slightly closer rule about 校本研修学时 that names none."""
    for q in ("哪些活动可以计入校本研修学时？", "校本研修可以搞哪些形式的活动？"):
        r = retrieval(q, "guide:2", "guide:1")
        texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
        assert texts[:2] == ["校本研修学时按下表认定。", "研修活动 | 认定学时"], (q, texts)
