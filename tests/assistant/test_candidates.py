from assistant.candidates import candidates
from tests.assistant.kb import retrieval


def test_candidates_skip_titles_planted_instructions_and_table_headings() -> None:
    r = retrieval("q", "plan:0", "notice:1")
    texts = [s.text for s in candidates(r)]
    assert "某省“国培计划”（2021—2025年）实施规划" not in texts
    assert any("5%" in t for t in texts)


def test_a_documents_frame_is_never_quoted_as_an_answer() -> None:
    r = retrieval("省教育厅和市教育局要做什么？", "notice:0", "plan:2")
    texts = [s.text for s in candidates(r)]
    assert not any(t.startswith("各省") or t == "教师函〔2021〕4号" for t in texts)  # salutation, 文号
    assert not any("某省财政厅" in t or t == "2021年6月18日" for t in texts)  # signature, date
    assert any("8%" in t for t in texts)


def test_a_preamble_answers_only_why_a_document_was_issued_and_what_it_rests_on() -> None:
    texts = lambda q: [s.text for s in candidates(retrieval(q, "guide:0"))]  # noqa: E731
    assert "为落实教师自主发展机制，制定本指南。" not in texts("幼儿园老师也要参加校本研修吗？")
    assert "本指南适用于全市公办中小学和幼儿园。" in texts("幼儿园老师也要参加校本研修吗？")
    assert "为落实教师自主发展机制，制定本指南。" in texts("为什么要搞校本研修？")
    assert "为落实教师自主发展机制，制定本指南。" in texts("这个指南是依据什么制定的？")
