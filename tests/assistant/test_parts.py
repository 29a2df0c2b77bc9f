from assistant.parts import answer_parts, further_parts
from assistant.question import Asks, analyse
from assistant.selection import candidates, choose, score
from tests.assistant.kb import retrieval


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
