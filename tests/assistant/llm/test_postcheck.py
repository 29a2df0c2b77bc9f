"""What a checked reply says of itself: whether it opens by declining, and what it says is not stated."""

from __future__ import annotations

from assistant.llm.postcheck import Checked, Sentence, Verdict, canonical_markers, split_sentences


def checked(*verdicts: Verdict) -> Checked:
    return Checked("", [], list(verdicts))


def test_a_reply_that_opens_with_not_stated_declines_and_names_the_gap() -> None:
    frame = Verdict(Sentence("文件没有写明「误餐补助的标准」，只规定了综合定额。", ()), frame=True)
    claim = Verdict(Sentence("集中培训综合定额标准为每人每天不超过450元[1]。", (1,)))
    reply = checked(frame, claim)
    assert reply.declined and reply.gap == "误餐补助的标准"


def test_a_reply_that_answers_first_does_not_decline() -> None:
    claim = Verdict(Sentence("集中培训综合定额标准为每人每天不超过450元[1]。", (1,)))
    later = Verdict(Sentence("文件没有写明误餐补助。", ()), frame=True)
    assert not checked(claim, later).declined and checked(claim, later).gap == ""


def test_a_dropped_first_sentence_does_not_count() -> None:
    dropped = Verdict(Sentence("文件没有写明补助标准。", ()), reason="number")
    claim = Verdict(Sentence("综合定额每人每天不超过450元[1]。", (1,)))
    assert not checked(dropped, claim).declined


def test_a_bare_not_stated_names_what_was_asked_generically() -> None:
    frame = Verdict(Sentence("文件没有写明。", ()), frame=True)
    assert checked(frame).gap == "所问的内容"


def test_markers_are_normalised_and_sentences_split_after_them() -> None:
    assert canonical_markers("见【1】与［2］[^3][1,2]") == "见[1]与[2][3][1][2]"
    done, rest = split_sentences("第一句[1]。第二句还没写完", final=False)
    assert [s.text for s in done] == ["第一句[1]。"] and rest == "第二句还没写完"
