from assistant.compose import conflict_note, quote_block
from assistant.question import analyse
from assistant.quote import Quote
from assistant.retrieval import Hit
from assistant.selection import candidates, choose, score
from tests.assistant.kb import retrieval


def test_one_source_line_per_passage_in_the_order_quoted_and_markers_by_passage() -> None:
    q = "培训经费怎么安排"
    r = retrieval(q, "plan:2", "notice:1")
    ranked = score(analyse(q), r, candidates(r))
    plan = next(s for s in ranked if s.hit.id == "plan:2")
    notice = [s for s in ranked if s.hit.id == "notice:1"][:2]
    text, cits = quote_block([plan, *notice])
    lines = text.split("\n")
    assert lines[0].startswith("根据《某省“国培计划”（2021—2025年）实施规划》（某教师〔2021〕12号）「六、经费保障」")
    assert lines[1].endswith("[1]") and lines[2].startswith("根据《教育部 财政部")
    assert lines[3].count("[2]") == 2 and len(cits) == 2
    assert cits["notice:1"].text.startswith(notice[0].text if notice[0].start < notice[1].start else notice[1].text)


def test_table_rows_are_quoted_one_per_line() -> None:
    q = "哪些活动可以认定校本研修学时？"
    r = retrieval(q, "guide:1")
    body, cits = quote_block(choose(analyse(q), score(analyse(q), r, candidates(r))))
    assert "\n研修活动 | 认定学时[1]\n听评课（每次） | 2[1]\n" in body
    assert cits["guide:1"].text.endswith("研修活动 | 认定学时\n听评课（每次） | 2\n公开课（每节） | 6\n专题讲座（每场） | 3")


def test_different_dates_in_two_documents_are_flagged() -> None:
    q = "总结材料每年什么时候报送？"
    quotes = candidates(retrieval(q, "notice:2", "guide:3"))
    note = conflict_note(analyse(q), quotes)
    assert note == "\n注意：以上文件给出的时间不同（2月；1月15日），可能各自适用于不同的项目或地区，请以适用于您的文件为准。"
    assert conflict_note(analyse(q), [s for s in quotes if s.hit.doc_id == "notice"]) == ""


def _quote(doc_id: str, text: str) -> Quote:
    return Quote(text, Hit(f"{doc_id}:0", text, {"doc_id": doc_id}), 0, 0, 0, len(text))


def test_only_figures_that_say_the_same_kind_of_thing_are_flagged_as_different() -> None:
    q = analyse("校本研修一年要完成多少学时？")
    rate_and_amount = [_quote("plan", "校本研修每12学时折算1学分。"), _quote("guide", "每学年参加校本研修不少于七十二学时。")]
    assert conflict_note(q, rate_and_amount) == ""
    two_rates = [_quote("plan", "校本研修每12学时折算1学分。"), _quote("guide", "每十学时折算一学分。")]
    assert "（12学时；十学时）" in conflict_note(q, two_rates)
    # 十学时 and 10学时 agree; a third document's figure of another kind does not hide a disagreement.
    assert conflict_note(q, [_quote("guide", "每十学时折算一学分。"), _quote("syllabus", "按每10学时1学分折算。")]) == ""
    leave = analyse("请假超过多长时间就不能结业？")
    three = [_quote("faq", "累计请假超过2天的，不予结业。"), _quote("syllabus", "请假超过集中研修学时15%的，不予结业。"),
             _quote("plan", "请假累计超过总学时10%的，不予结业。")]
    assert "（15%；10%）" in conflict_note(leave, three)
