from assistant.documents import document_answer
from assistant.question import analyse
from tests.assistant.kb import BY_ID, retrieval


def _reply(q: str, *chunks: str, named: tuple[str, ...] = ()):
    return document_answer(analyse(q), retrieval(q, *chunks, named=named))


def test_only_questions_about_a_document_are_answered_here() -> None:
    assert _reply("培训经费怎么安排？", "notice:1") is None


def test_number_issuers_date_title_each_quote_the_line_that_states_them() -> None:
    number = _reply("这份通知的文号是什么？", "notice:1")
    assert number.stated and number.citations[0].text == "教师函〔2021〕4号"
    issuers = _reply("省里的方案是哪个部门发的？", "plan:1", named=("plan",))
    assert "某省教育厅、某省财政厅" in issuers.text and issuers.cited[0].id == "plan:2"
    date = _reply("省里的方案是什么时候印发的？", "plan:1", named=("plan",))
    assert "2021年6月18日" in date.text
    title = _reply("这份文件的全称叫什么？", "notice:1")
    assert "《教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知》" in title.text


def test_the_addressees_are_quoted_from_the_salutation() -> None:
    reply = _reply("这个通知是发给哪些单位的？", "notice:1")
    assert reply.stated and "主送各省、自治区、直辖市教育厅（教委）、财政厅（局）。" in reply.text
    assert reply.citations[0].text == "各省、自治区、直辖市教育厅（教委）、财政厅（局）："


def test_a_missing_field_is_said_plainly() -> None:
    reply = _reply("校本研修指南的文号是多少？", "guide:0", named=("guide",))
    assert not reply.stated and "没有文号" in reply.text and reply.citations == []
    reply = _reply("校本研修指南是发给谁的？", "guide:0", named=("guide",))
    assert not reply.stated and "没有写明主送单位" in reply.text


def test_whether_a_document_is_provisional_is_read_from_its_title() -> None:
    reply = _reply("校本研修指南是哪个单位发的？现在是试行的吗？", "guide:0", named=("guide",))
    assert "没有写明发文单位" in reply.text and "标题注明了“试行”，是试行文件" in reply.text
    assert reply.stated and reply.citations[0].text == "某市中小学校本研修实施指南（试行）"
    plan = _reply("省里的方案是试行的吗？", "plan:1", named=("plan",))
    assert not plan.stated and "标题中没有“试行”“暂行”之类的字样" in plan.text


def test_a_year_answers_when_but_not_which_day() -> None:
    """The notice carries its year in its 文号 and no date: 哪年 is answered, 哪天 is not specified."""
    year = _reply("国家那个通知是什么时候发的？", "notice:1")
    assert year.stated and "于2021年印发" in year.text
    day = _reply("国家那个通知是哪天印发的？", "notice:1")
    assert not day.stated and "没有写明具体日期" in day.text and day.citations[0].text == "教师函〔2021〕4号"


def test_two_head_fields_asked_together_are_both_answered() -> None:
    reply = _reply("省里的方案是谁发的，什么时候发的？", "plan:1", named=("plan",))
    assert reply.stated and "由某省教育厅、某省财政厅印发" in reply.text and "2021年6月18日" in reply.text
    english = _reply("Who issued the provincial plan, and when?", "plan:1", named=("plan",))
    assert "某省教育厅" in english.text and "2021年6月18日" in english.text


def test_the_years_a_programme_covers_come_from_its_title() -> None:
    reply = _reply("这一轮国培计划管的是哪几年？", "plan:1")
    assert reply.stated and "覆盖2021年至2025年（共5年）" in reply.text
    assert reply.cited[0].id == "notice:0" and "2021—2025年" in reply.citations[0].text
    guide = _reply("校本研修指南的实施期是哪几年？", "guide:0", named=("guide",))
    assert not guide.stated and "没有写明实施的起止年份" in guide.text


def test_head_fields_of_the_programme_come_from_the_notice_that_sets_it_up() -> None:
    """国培计划 names the programme, not a document: its 文号, issuers, date and years are the notice's, even
    when the best passage is the provincial plan's (which has a 文号 of its own)."""
    number = _reply("国培计划的文号是什么", "plan:1")
    assert number.stated and number.citations[0].text == "教师函〔2021〕4号"
    issuers = _reply("国培计划是哪个部门出台的？", "plan:1")
    assert issuers.stated and "由教育部、财政部印发" in issuers.text and issuers.cited[0].doc_id == "notice"
    years = _reply("国培计划一共实施几年？", "plan:1")
    assert years.stated and "覆盖2021年至2025年（共5年）" in years.text
    plan = _reply("省里的国培方案文号是多少？", "plan:1", named=("plan",))
    assert plan.cited[0].doc_id == "plan", "a document the question names is still the one answered"


def test_what_a_document_says_as_a_whole_is_read_off_its_headings() -> None:
    reply = _reply("市里的校本研修指南主要讲了什么？", "guide:2", named=("guide",))
    assert reply.stated and "正文分为 4 个部分" in reply.text
    assert [c.text for c in reply.citations] == ["一、总则", "四、学时认定", "五、学分", "六、总结"]
    assert all(c.text in BY_ID[c.chunk_id].text for c in reply.citations), "each heading is quoted from its chunk"
    flat = _reply("这个通知讲了啥", "notice:1", named=("notice",))
    assert not flat.stated and "没有分部分的标题" in flat.text, "too few headings to outline: said, not invented"


def test_why_a_document_was_issued_is_quoted_from_its_preamble() -> None:
    reply = _reply("市里为什么要制定这个指南？", "guide:0", named=("guide",))
    assert reply.stated and reply.citations[0].text == "为落实教师自主发展机制，制定本指南。"
    missing = _reply("省里的规划的目的是什么？", "plan:1", named=("plan",))
    assert not missing.stated and "没有一句说明制定目的的话" in missing.text


def test_asked_who_it_is_the_assistant_says_what_it_does_and_lists_its_documents() -> None:
    reply = _reply("你是谁？都能回答什么问题", "notice:1")
    assert reply.text.startswith("我是国培助手") and "知识库中现有 3 份文件" in reply.text
    assert not reply.stated, "who we are is no answer from the knowledge base"
    assert sorted(c.doc_id for c in reply.citations) == ["guide", "notice", "plan"]
    assert "「某市中小学校本研修实施指南（试行）」" in reply.text, "a Markdown heading mark is not quoted"


def test_a_wrong_end_year_of_a_programme_is_corrected_from_its_title() -> None:
    wrong = _reply("这个省方案2030年到期以后怎么办？", "plan:1", named=("plan",))
    assert wrong.stated and wrong.text.startswith("需要更正：它到2025年为止，不是2030年。")
    right = _reply("省里的方案2025年结束以后呢？", "plan:1", named=("plan",))
    assert not right.stated and "需要更正" not in right.text and "没有写明2025年以后的安排" in right.text
    assert analyse("2026年以后还有国培吗").document_fields == (), "a later year is no claim about the period"


def test_a_wrong_start_year_or_length_of_a_programme_is_corrected_from_its_title() -> None:
    start = _reply("国培计划是2020年开始的吧？", "plan:1")
    assert start.stated and start.text.startswith("需要更正：它从2021年开始，不是2020年。")
    length = _reply("国培计划为期三年对吗？", "plan:1")
    assert length.stated and length.text.startswith("需要更正：它为期5年，不是3年。")
    right = _reply("国培计划是2021年开始的吗？", "plan:1")
    assert right.stated and "需要更正" not in right.text and "覆盖2021年至2025年（共5年）" in right.text
    asked = _reply("国培计划为期几年？", "plan:1")
    assert asked.stated and "（共5年）" in asked.text
    assert analyse("我们学校2020年开始搞校本研修").document_fields == (), "a statement is no claim to check"


def test_one_issuer_said_to_have_issued_alone_what_two_issued_together_is_corrected() -> None:
    alone = _reply("国培计划是教育部单独发的吗？", "plan:1")
    assert alone.stated and alone.text.startswith("需要更正：它由教育部、财政部联合印发，不是教育部单独印发的。")
    together = _reply("国培计划是教育部和财政部联合发的吗？", "plan:1")
    assert together.stated and "需要更正" not in together.text and "由教育部、财政部印发" in together.text


def test_a_greeting_is_answered_with_what_the_assistant_does_and_thanks_with_a_word_back() -> None:
    hello = _reply("你好", "notice:1")
    assert hello.text.startswith("您好！我是国培助手") and "知识库中现有 3 份文件" in hello.text and not hello.stated
    thanks = _reply("谢谢！", "notice:1")
    assert thanks.text.startswith("不客气") and thanks.citations == [] and not thanks.stated


def test_an_introduction_names_a_few_documents_and_says_how_many_more_there_are(monkeypatch) -> None:
    import assistant.documents as documents

    monkeypatch.setattr(documents, "LISTED_IN_INTRODUCTION", 2)
    reply = _reply("你是谁", "notice:1")
    assert len(reply.citations) == 2 and reply.text.endswith("……另有 1 份未列出。")
    assert len(_reply("知识库里有哪些文件？", "notice:1").citations) == 3, "asked for the holdings: all of them"


def test_greetings_and_thanks_need_no_documents() -> None:
    from assistant.hits import Retrieval

    for text, start in (("你好", "您好！我是国培助手"), ("谢谢", "不客气")):
        reply = document_answer(analyse(text), Retrieval(query=text, terms=()))
        assert reply is not None and reply.text.startswith(start) and not reply.stated


def test_which_document_came_first_is_read_off_the_dates_each_one_gives() -> None:
    """The notice gives only its year (from its 文号) and the plan a full date in the same year: which came
    first cannot be told from dates, and the reply says so rather than guess; the guide gives no date."""
    reply = _reply("这几份文件哪份发布最早？", "notice:1")
    assert reply.stated and reply.text.startswith("按各文件写明的时间，分不出哪份最早")
    assert "2021年6月18日" in reply.text and "没有写明时间：《某市中小学校本研修实施指南（试行）》" in reply.text
    assert [c.text for c in reply.citations] == ["教师函〔2021〕4号", "2021年6月18日", "某市中小学校本研修实施指南（试行）"]


def test_a_document_that_implements_another_came_after_it() -> None:
    from dataclasses import replace

    from tests.assistant.kb import CATALOGUE, retrieval

    notice, plan, guide = (next(d for d in CATALOGUE if d.doc_id == i) for i in ("notice", "plan", "guide"))
    head = replace(plan.head, text=plan.head.text + "\n为贯彻落实《" + notice.title + "》，制定本规划。")
    dated_guide = replace(guide, head=replace(guide.head, text="发布时间：2021年9月\n" + guide.head.text))
    documents = [notice, replace(plan, head=head), dated_guide]
    r = replace(retrieval("哪份文件发布最早？", "notice:1"), documents=documents)
    first = document_answer(analyse("哪份文件发布最早？"), r)
    assert first.text.startswith("按各文件写明的时间，最早的是《教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知》")
    assert "为落实它而制定" in first.text
    last = document_answer(analyse("哪份文件最新？"), replace(r, question=analyse("哪份文件最新？")))
    assert last.text.startswith("按各文件写明的时间，最晚的是《某市中小学校本研修实施指南（试行）》（2021年9月）")
    assert "发布时间：2021年9月" in [c.text for c in last.citations]


def test_a_head_field_asked_of_no_document_in_particular_is_answered_for_each() -> None:
    """文号是多少 / 发文单位是哪个 name no document and no topic: the best passage's document would be a guess."""
    number = _reply("文号是多少？", "guide:2")
    lines = number.text.splitlines()
    assert len(lines) == 3 and lines[0].startswith("《教育部 财政部") and "教师函〔2021〕4号" in lines[0]
    assert "某教师〔2021〕12号" in number.text and "《某市中小学校本研修实施指南（试行）》没有文号" in number.text
    issuers = _reply("发文单位是哪个？", "guide:2")
    assert "由教育部、财政部印发" in issuers.text and "某省教育厅、某省财政厅" in issuers.text
    # A topic (or a document) named narrows it to one.
    assert len(_reply("校本研修指南的文号是多少？", "guide:2", named=("guide",)).text.splitlines()) == 1


def test_which_department_sent_out_the_programme_is_a_head_field_but_who_sends_certificates_is_not() -> None:
    assert analyse("国培计划是哪个部门发的？").document_fields == ("issuers",)
    assert analyse("发文单位是哪个？").document_fields == ("issuers",)
    assert analyse("结业证书由哪个部门发的？").document_fields == ()
    assert analyse("国培什么时候发证书？").document_fields == ()


def test_whether_a_document_covers_a_body_is_answered_from_its_salutation() -> None:
    from assistant.documents import addressee_answer

    q = "新疆生产建设兵团也适用吗？"
    reply = addressee_answer(analyse(q), retrieval(q, "notice:1"))
    assert reply is None, "the notice of the test knowledge base is addressed to the provinces only"
    q = "自治区的教育厅也适用吗？"
    reply = addressee_answer(analyse(q), retrieval(q, "notice:1"))
    assert reply is not None and reply.stated and "主送单位中有「自治区」、「教育厅」" in reply.text, reply
    assert reply.citations[0].text == "各省、自治区、直辖市教育厅（教委）、财政厅（局）："
    assert addressee_answer(analyse("教育厅要做什么？"), retrieval("教育厅要做什么？", "notice:1")) is None
