from assistant.candidates import candidates
from assistant.hits import Hit, Retrieval
from assistant.parts import answer_parts, further_parts, leading_part
from assistant.question import Asks, analyse
from assistant.scoring import score
from assistant.selection import choose
from indexer.chunking import sentences
from tests.assistant.kb import CATALOGUE, retrieval


def _answer(question: str, *chunk_ids: str) -> list[str]:
    q = analyse(question)
    r = retrieval(question, *chunk_ids)
    ranked = score(q, r, candidates(r))
    return [s.text for s in answer_parts(q, ranked, choose(q, ranked))]


def test_an_elliptical_part_is_read_with_what_the_rest_of_the_question_named() -> None:
    (part,) = further_parts(analyse("学分是几年一个周期，每年最少要拿多少分？"))
    assert part.question.asks == Asks.QUANTITY
    assert part.question.unit == "credits"  # 拿多少分 in a question about 学分
    assert part.own == ()


def test_parts_that_only_frame_or_repeat_the_leading_ask_are_not_parts() -> None:
    assert further_parts(analyse("学时折学分的比例，国家通知有没有给个全国统一标准？")) == []
    assert further_parts(analyse("三段式里网上自学那部分有没有封顶？最多能占多少学时？")) == []
    assert further_parts(analyse("优秀学员的名额上限，省方案定的是多少，骨干班大纲又定的多少？")) == []
    assert further_parts(analyse("公开课每学期要上几节？")) == []


def test_a_second_part_gets_the_sentence_that_answers_it() -> None:
    texts = _answer("校本研修每学年要多少学时？每年最少要拿几个学分？", "guide:2")
    assert any("48学时" in t for t in texts)
    assert any("12学分" in t for t in texts)


def test_a_part_the_chosen_sentence_already_answers_adds_nothing() -> None:
    q = analyse("校本实践要多长时间？每人要上几节示范课？")
    r = retrieval(q.text, "plan:1", "guide:1")
    ranked = score(q, r, candidates(r))
    chosen = choose(q, ranked)
    assert answer_parts(q, ranked, chosen) == chosen


def test_an_elliptical_part_is_answered_only_from_a_passage_already_quoted() -> None:
    # The lead (学时 per year) is answered by the guide; the notice's 5% is a share, but of another topic.
    texts = _answer("校本研修每学年要多少学时？占多大比例？", "guide:2", "notice:1")
    assert not any("5%" in t for t in texts)


def _faq_retrieval(question: str) -> list[str]:
    """The FAQ's fee entry first, its travel entry second: the order a question about fees ranks them in."""
    faq = {"doc_id": "faq", "title": "参训教师常见问题解答", "doc_number": "", "issuers": "", "year": 0, "date": "",
           "kind": "resource"}
    entries = [
        ("faq:7", "答：不需要。培训费、资料费由项目经费支付，培训机构不得以任何名义向参训教师收费。"
                  "如遇收费情况，可向所在县（市、区）教育局反映。", "三、培训费用 > 7. 参加国培需要交培训费吗？", 0.93),
        ("faq:8", "往返交通费由所在县（市、区）教育局从县级教师培训经费中统一报销。", "三、培训费用 > 8. 往返路费谁承担？", 0.85),
    ]
    hits = [Hit(cid, text, {**faq, "ordinal": i, "section": section}, dense=0.9, score=0.8 - 0.2 * i, sentence=cos,
                sentences=[(s, e, cos) for s, e in sentences(text)])
            for i, (cid, text, section, cos) in enumerate(entries)]
    q = analyse(question)
    r = Retrieval(query=question, terms=q.terms, hits=hits, strength=0.9, question=q, documents=CATALOGUE)
    ranked = score(q, r, candidates(r))
    return [s.text for s in answer_parts(q, ranked, choose(q, ranked))]


def test_the_leading_question_of_two_is_answered_on_its_own_topic() -> None:
    # 谁出 leads; the fee entry's 教育局 (where to report a fee) is an actor, but not of the travel money asked.
    texts = _faq_retrieval("参加国培要不要自己交培训费？来回路费谁出？")
    assert any("往返交通费" in t for t in texts)
    assert leading_part(analyse("参加国培要不要自己交培训费？来回路费谁出？")).own == ("来回", "路费")


def test_one_question_has_no_leading_part_to_check() -> None:
    assert leading_part(analyse("来回路费谁出？")) is None
    assert leading_part(analyse("参加国培要不要交培训费，来回路费谁出？")) is None  # one question, in two clauses
