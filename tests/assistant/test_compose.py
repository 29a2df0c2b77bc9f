from dataclasses import replace

from assistant.candidates import candidates
from assistant.compose import conflict_note, quote_block
from assistant.hits import Hit
from assistant.question import analyse
from assistant.quote import Quote, section_of
from assistant.scoring import score
from assistant.selection import choose
from indexer.chunking import sentences
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


def test_dates_of_two_documents_each_for_its_own_year_are_told_apart_by_year() -> None:
    """The 2026 and the 2025 registration notices do not contradict each other: the note says whose year is whose."""
    def dated(doc_id: str, year: int, text: str) -> Quote:
        hit = Hit(f"{doc_id}:0", text, {"doc_id": doc_id, "title": f"关于做好{year}年“国培计划”报名工作的通知"})
        return Quote(text, hit, 0, 0, 0, len(text))

    quotes = [dated("new", 2026, "2026年3月1日至3月20日。"), dated("old", 2025, "2025年4月1日至4月15日。")]
    note = conflict_note(analyse("国培报名什么时候截止"), quotes)
    assert note == ("\n注意：以上文件给出的时间不同（3月1日、3月20日；4月1日、4月15日），它们分别是2026年、2025年的文件，"
                    "请以您所问年份的那份为准。")


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
    # 一个周期 names a span without its length: nothing to disagree with 30日.
    when = analyse("学分多久能查到？")
    assert conflict_note(when, [_quote("faq", "培训机构在项目结束后30日内完成登记。"),
                                _quote("plan", "学分在一个周期内累计有效。")]) == ""


def test_a_percentage_in_a_table_column_is_what_its_heading_says() -> None:
    """A row's 20% weight in the assessment is not a share of the course hours: no disagreement with 50%."""
    q = analyse("实践性课程要占多大比例？")
    row = "集中研修表现 | 20% | 出勤、课堂参与"
    weight = replace(_quote("syllabus", row), header="考核项目 | 权重 | 考核内容")
    share = _quote("plan", "实践性课程不低于课程总量的50%。")
    assert conflict_note(q, [share, weight]) == ""
    other = replace(_quote("guide", "实践课程 | 40% | 听评课"), header="课程类型 | 权重 | 内容")
    assert "（20%；40%）" in conflict_note(q, [weight, other]), "two weights in the same column do disagree"
    assert "（50%；60%）" in conflict_note(q, [share, _quote("guide", "实践性课程不低于课程总量的60%。")])


def test_sibling_sections_sharing_a_passage_are_each_named_over_their_own_sentences() -> None:
    """The chunker joins short sibling sections into one passage named after the last (三、考核): a sentence under
    一、研修时间 is cited to 一、研修时间, each section under its own source line, one marker for the passage."""

    text = ("一、研修时间\n每位教师每学年校本研修不少于50学时。\n二、研修记录\n教师应在平台上填写研修日志，每月不少于2篇。\n"
            "三、考核\n学校每学年末组织考核。")
    meta = {"doc_id": "county", "title": "某县校本研修安排", "section": "三、考核"}
    hit = Hit("county:0", text, meta)
    spans = [(s, e) for s, e in sentences(text) if "。" in text[s:e]]
    quotes = [Quote(text[s:e], hit, 0, i, s, e) for i, (s, e) in enumerate(spans)]
    body, cits = quote_block([quotes[0], quotes[2]])
    assert body.split("\n") == ["根据《某县校本研修安排》「一、研修时间」：", "每位教师每学年校本研修不少于50学时。[1]",
                                "根据《某县校本研修安排》「三、考核」：", "学校每学年末组织考核。[1]"]
    assert len(cits) == 1 and cits["county:0"].section == "一、研修时间"
    # A heading the passage is already named after keeps the fuller name (三、保障措施 > （一）健全工作机制).
    nested = Hit("n:0", "三、保障措施\n（一）健全工作机制。强化示范引领作用。", {"section": "三、保障措施 > （一）健全工作机制"})
    s = nested.text.index("强化")
    assert section_of(Quote("强化示范引领作用。", nested, 0, 0, s, len(nested.text))) == "三、保障措施 > （一）健全工作机制"
    # The document's own title over its opening lines names no part of it.
    head = Hit("d:0", "# 研修课程大纲\n- 项目名称：骨干教师能力提升培训", {"section": "前言", "title": "研修课程大纲"})
    s = head.text.index("- ")
    assert section_of(Quote(head.text[s:], head, 0, 0, s, len(head.text))) == "前言"
    # Articles that run on into their text on one line (第1条 各学校应当…) share a passage named after the last.
    rules = Hit("r:0", "某县细则\n第1条 各学校每学期组织校本研修不少于2次。\n第2条 各学校每学年整理档案1次。",
                {"section": "第2条", "title": "某县细则"})
    first, second = (rules.text.index(t) for t in ("第1条", "第2条"))
    assert section_of(Quote(rules.text[first:second - 1], rules, 0, 0, first, second - 1)) == "第1条"
    assert section_of(Quote(rules.text[second:], rules, 0, 1, second, len(rules.text))) == "第2条"


def test_figures_of_another_kind_than_asked_are_not_set_against_each_other() -> None:
    hours = analyse("教师资格证定期注册需要多少培训学时？")
    beside = [_quote("plan", "教师培训实行五年一周期的学分管理。"), _quote("syllabus", "结业后10个工作日内登记学分。")]
    assert conflict_note(hours, beside) == ""
    money = analyse("每人每天补助多少钱？")
    shares = [_quote("plan", "市县按不低于中央补助资金20%的比例安排配套经费。"), _quote("notice", "按公用经费的5%安排培训经费。")]
    assert conflict_note(money, shares) == ""


def test_a_quote_inside_another_of_the_same_passage_is_said_once() -> None:
    text = "模块一：师德修养 | 8 | 集中面授\n模块二：课程标准 | 12 | 集中面授"
    hit = Hit("syllabus:6", text, {"doc_id": "syllabus", "section": "三、课程模块"})
    cell = Quote("模块一：师德修养", hit, 0, 0, 0, len("模块一：师德修养"), header="模块 | 学时 | 方式")
    row = Quote("模块一：师德修养 | 8 | 集中面授", hit, 0, 0, 0, len("模块一：师德修养 | 8 | 集中面授"), header="模块 | 学时 | 方式")
    body, citations = quote_block([cell, row])
    assert body.count("模块一：师德修养") == 1
    assert citations["syllabus:6"].text in text


def test_a_sentence_chosen_twice_is_quoted_once() -> None:
    """A table row that answers, chosen again with its table, would print twice in the quoted 原文."""
    text = "工作坊经费每坊每年3万元。\n项目 | 比例\n专家讲座 | 40%\n资料印刷 | 10%"
    hit = Hit("ws:0", text, {"doc_id": "ws", "section": "二、经费管理"})

    def at(part: str, header: str = "") -> Quote:
        return Quote(part, hit, 0, 0, text.index(part), text.index(part) + len(part), header=header)

    row = at("专家讲座 | 40%", "项目 | 比例")
    body, citations = quote_block([at("工作坊经费每坊每年3万元。"), row, at("项目 | 比例", "项目 | 比例"), row,
                                   at("资料印刷 | 10%", "项目 | 比例")])
    assert body.count("专家讲座 | 40%") == 1 and citations["ws:0"].text == text


def test_a_sentence_is_named_after_the_numbered_name_its_own_line_opens_with() -> None:
    """（一）县教育局。负责统筹规划…： in a passage named after （二）县教师发展中心, 负责统筹规划 is the 教育局's duty."""
    text = "二、组织与职责\n（一）县教育局。负责统筹规划和督导检查。\n（二）县教师发展中心。负责方案制定和学时审核。"
    hit = Hit("c:1", text, {"doc_id": "c", "title": "某县方案", "section": "二、组织与职责 > （二）县教师发展中心"})
    s = text.index("负责统筹")
    first = Quote("负责统筹规划和督导检查。", hit, 0, 0, s, s + len("负责统筹规划和督导检查。"))
    assert section_of(first) == "二、组织与职责 > （一）县教育局"
    s = text.index("负责方案")
    second = Quote("负责方案制定和学时审核。", hit, 0, 1, s, s + len("负责方案制定和学时审核。"))
    assert section_of(second) == "二、组织与职责 > （二）县教师发展中心"
