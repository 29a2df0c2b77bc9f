"""A citation names the section its quoted sentence is under, even when the passage is named after another.

Short sibling sections share one passage, named after the last of them (or what they share). A teacher
reading 「第二章 职责 > 第一条」 looks for 第一条 in the wrong chapter, so the section is read from the heading
lines inside the passage, as the structure parser reads the whole document.
"""

from __future__ import annotations

from assistant.hits import Hit
from assistant.quote import Quote, section_of
from indexer.chunking import chunk_document
from indexer.normalize import normalize_text
from indexer.structure import parse_structure


def _cited(document: str, sentence: str) -> tuple[str, str]:
    """The one passage's name, and the section a citation of ``sentence`` in it gives."""
    text = normalize_text(document)
    [chunk] = chunk_document("d", text)
    hit = Hit("d:0", chunk.text, {"doc_id": "d", "title": parse_structure(text).title, "section": chunk.section})
    start = chunk.text.index(sentence)
    return chunk.section, section_of(Quote(sentence, hit, 0, 0, start, start + len(sentence)))


def test_an_article_of_the_first_chapter_is_cited_under_that_chapter() -> None:
    rules = ("青山县校本研修管理办法\n第一章 总则\n第一条 本办法适用于全县中小学校本研修。\n"
             "第二章 职责\n第二条 学校校长是校本研修第一责任人。\n")
    assert _cited(rules, "第一条 本办法适用于全县中小学校本研修。") == ("第二章 职责 > 第二条", "第一章 总则 > 第一条")
    assert _cited(rules, "第二条 学校校长是校本研修第一责任人。")[1] == "第二章 职责 > 第二条"


def test_a_sentence_under_the_first_of_two_headings_is_cited_there() -> None:
    notice = ("青山县暑期培训通知\n一、培训时间\n2025年7月10日至7月15日，共六天。\n"
              "二、培训内容\n围绕新课标开展大单元教学设计研修。\n")
    assert _cited(notice, "2025年7月10日至7月15日，共六天。") == ("二、培训内容", "一、培训时间")
    assert _cited(notice, "围绕新课标开展大单元教学设计研修。")[1] == "二、培训内容"


def test_a_heading_that_states_its_fact_on_its_own_line_is_its_own_section() -> None:
    """一、时间：7月10日至15日。 is a heading line with its value, not a sentence of the passage's last section."""
    notice = ("青山县暑期培训通知\n一、时间：2025年7月10日至7月15日。\n二、地点：青山县第三中学。\n"
              "三、要求\n参训教师须全程参加，不得缺勤。\n")
    label, cited = _cited(notice, "二、地点：青山县第三中学。")
    assert label == "三、要求" and cited == "二、地点：青山县第三中学"
    assert _cited(notice, "参训教师须全程参加，不得缺勤。")[1] == "三、要求"


def test_a_numbered_rule_quoted_whole_keeps_the_name_its_passage_has() -> None:
    """A rule line is its own section; its citation does not repeat the rule as the section's name."""
    rules = "三、学分认定\n1.集中培训每8学时折算1学分。\n2.网络研修每10学时折算1学分。\n"
    label, cited = _cited(rules, "1.集中培训每8学时折算1学分。")
    assert cited == label == "三、学分认定"


def test_a_numbered_rule_that_runs_on_past_its_number_is_no_section_of_its_own() -> None:
    """2. 请假：集中研修期间原则上不得请假。确需请假的… is a rule of 六、学员须知, not a heading: its next sentence is
    cited under 六、学员须知, not under 「六、学员须知 > 2. 请假：集中研修期间原则上不得请假」."""
    notes = ("课程大纲\n六、学员须知\n1. 考勤：集中研修每天上午、下午各签到一次。\n"
             "2. 请假：集中研修期间原则上不得请假。确需请假的，半天以内由班主任批准。\n")
    section, cited = _cited(notes, "确需请假的，半天以内由班主任批准。")
    assert cited == section == "六、学员须知"
