from pathlib import Path

from assistant.catalogue import subject_terms
from assistant.hits import Hit, dense_norm, evidence_strength
from assistant.question_reading import _query_terms, _said
from assistant.rerank import HEADING_DISCOUNT, _names_section, each_named
from assistant.service import Assistant


def test_dense_norm_is_clipped():
    assert dense_norm(0.1) == 0.0 and dense_norm(0.99) == 1.0 and 0 < dense_norm(0.8) < 1


def test_cross_lingual_questions_are_put_on_the_same_scale():
    hit = Hit("x", "t", {}, dense=0.80, sentence=0.80)
    assert evidence_strength(hit, cross_lingual=True) > evidence_strength(hit)


def test_hybrid_ranking_puts_the_gold_section_first(embedded_assistant: Assistant):
    r = embedded_assistant.retrieve("完善学分认定登记制度的同时要建设什么？")
    assert r.hits[0].section.endswith("3. 完善教师自主发展机制")
    assert r.hits[0].sentences, "the top candidates are scored sentence by sentence"
    scores = [h.score for h in r.hits]
    assert scores == sorted(scores, reverse=True)


def test_lexical_only_candidates_get_a_dense_score(embedded_assistant: Assistant):
    r = embedded_assistant.retriever.retrieve("乡村振兴重点帮扶县", k=30)
    assert all(h.dense > 0 for h in r.hits)


def test_a_teachers_word_also_looks_up_the_documents_word_at_a_synonyms_weight():
    terms, boost = _query_terms(("路费", "报销"), {"路费": ("交通费",)})
    assert terms[:2] == ("路费", "报销") and "交通费" in terms
    assert boost is not None and boost["交通费"] == 0.7 and "路费" not in boost
    assert _query_terms(("路费",), {}) == (("路费",), None)


def test_a_question_names_a_section_by_its_headings_name_within_the_document_it_names():
    guiding = Hit("plan:1", "坚持以……为指导。", {"doc_id": "plan", "section": "一、指导思想和总体目标 > （一）指导思想"})
    assert _names_section("咱们省的实施方案指导思想是怎么写的", guiding, ("plan",))
    assert _names_section("指导思想是怎么写的", guiding, ())
    assert not _names_section("省里的思想是怎么写的", guiding, ())
    anonymous = Hit("faq:7", "……", {"doc_id": "faq", "section": "七、匿名评价 > 22. 训后的匿名评价是怎么回事？"})
    assert _names_section("匿名评价会影响我的成绩吗", anonymous, ())
    assert not _names_section("学员匿名评价，国家通知是要求每个项目都得做吗？", anonymous, ("notice",))


def test_the_pieces_of_an_a_not_a_question_are_not_looked_up_by_their_synonyms():
    # 占比够不够 asks whether; 不够 in it states no shortfall to find as 未达标.
    assert _said(("实践", "占", "不够", "够不够")) == ("实践", "占", "够不够")
    assert _said(("学分", "不够", "影响")) == ("学分", "不够", "影响")


def test_an_faq_entry_is_as_close_as_the_question_in_its_heading(tmp_path):
    from assistant.settings import Settings
    from corpus.documents import DocumentMeta, SourceDocument

    first = ("答：项目面向项目县公办中小学、幼儿园在编在岗教师。骨干类项目要求为县级以上骨干教师，年龄原则上不超过"
             "五十周岁，乡村学校教师可以放宽到五十五周岁。各个项目的具体条件以当年下发的项目通知为准，请留意学校转发的通知。")
    second = ("答：可以报名，但三年内参加过同类项目的教师原则上不再推荐。参加不同类型的项目，比如先参加骨干教师项目、"
              "再参加培训团队研修项目，不受这个限制。是否推荐由县级教育行政部门根据名额和遴选顺序统一确定。")
    faq = (f"# 参训教师常见问题解答\n\n## 一、参训资格\n\n### 1. 哪些教师可以参加国培项目？\n\n{first}\n\n"
           f"### 2. 前几年参加过，今年还能再报吗？\n\n{second}\n")
    kb = Assistant.from_settings(Settings(data_dir=tmp_path))
    kb.index_documents([SourceDocument("faq", faq, DocumentMeta(title="参训教师常见问题解答", kind="resource",
                                                                 source="faq.md"))])
    question = "民办学校的老师能参加国培吗？"
    hits = {h.section.split(" > ")[-1]: h for h in kb.retrieve(question).hits}
    entry = hits["1. 哪些教师可以参加国培项目？"]
    qvec = kb.store.embedder.embed_query(question)
    (heading,) = kb.store.embedder.embed_documents(["1. 哪些教师可以参加国培项目？"])
    assert entry.sentence >= sum(a * b for a, b in zip(qvec, heading, strict=True)) - HEADING_DISCOUNT - 1e-6


def test_a_comparison_of_documents_is_ranked_by_its_topic_not_by_the_names_of_the_documents():
    from assistant.question_reading import topic_terms
    from tests.assistant.kb import CATALOGUE

    terms = ("国家", "通知", "省", "方案", "经费")
    assert topic_terms(terms, ("notice", "plan"), CATALOGUE) == ("经费",)
    assert topic_terms(("省", "方案", "经费"), ("plan",), CATALOGUE) == ("省", "方案", "经费")  # one document: kept
    assert topic_terms(("省", "方案"), ("notice", "plan"), CATALOGUE) == ("省", "方案")  # nothing else to rank by


def test_a_named_document_is_silent_on_what_most_of_the_question_is_about() -> None:
    from assistant.passage_index import PassageIndex
    from assistant.question import analyse
    from assistant.question_reading import _unsaid
    from indexer.store import StoredChunk
    from indexer.tokenizer import index_terms

    def chunk(doc: str, text: str) -> StoredChunk:
        return StoredChunk(f"{doc}:v1:00000", text, {"doc_id": doc, "title": doc, "ordinal": 0, "section": "一、总则",
                                                     "lex": " ".join(index_terms(text)), "kind": "resource"})

    index = PassageIndex([chunk("notice", "推进教师培训改革，完善混合式培训，强化学分银行建设。"),
                          chunk("plan", "送教下乡培训项目面向乡村学校，以县为单位组织实施。")])
    q = analyse("国家通知里有没有提到送教下乡？")
    assert set(_unsaid(q, ("notice",), index)) >= {"送教", "下乡"}
    assert _unsaid(q, ("plan",), index) == ()  # the plan speaks of it
    assert _unsaid(analyse("国家通知对送教下乡有什么要求？"), ("notice",), index) == ()  # not asked whether


def test_a_term_one_document_alone_uses_in_its_title_names_that_document() -> None:
    """访名校项目的经费比例 asks the 访名校 rules; a workshop budget's 40% elsewhere is no answer to it."""
    from assistant.passage_index import PassageIndex
    from assistant.question import analyse
    from assistant.question_reading import _named_by_own_term
    from indexer.store import StoredChunk
    from indexer.tokenizer import index_terms

    def chunk(doc: str, title: str, text: str) -> StoredChunk:
        return StoredChunk(f"{doc}:v1:00000", f"{title}\n{text}", {
            "doc_id": doc, "title": title, "ordinal": 0, "section": "一、总则",
            "lex": " ".join(index_terms(f"{title}\n{text}")), "kind": "resource"})

    index = PassageIndex([chunk("visit", "乡村教师访名校项目实施细则", "参训教师到城市优质学校跟岗学习两周。"),
                          chunk("workshop", "骨干教师工作坊管理办法", "工作坊经费中专家讲座占40%。"),
                          chunk("notice", "关于做好教师培训工作的通知", "按公用经费的5%安排教师培训经费。")])
    assert _named_by_own_term(analyse("访名校项目的经费比例是多少？").focus, index) == ("visit",)
    # 教师 is in every title and text; 经费 is used by two documents: neither names one.
    assert _named_by_own_term(analyse("教师培训经费比例是多少？").focus, index) == ()


def test_each_document_a_comparison_names_has_a_place_among_the_results() -> None:
    def made(cid: str, doc: str, score: float) -> Hit:
        return Hit(cid, "……", {"doc_id": doc}, score=score)

    ranked = [made("p1", "plan", 1.6), made("p2", "plan", 1.5), made("g1", "guide", 1.4), made("p3", "plan", 1.3),
              made("n1", "notice", 0.7), made("n2", "notice", 0.6)]
    assert [h.id for h in each_named(ranked, 3, ("plan", "notice"))] == ["p1", "g1", "n1"]
    # A document already among them, or a question naming one document, changes nothing.
    assert [h.id for h in each_named(ranked, 3, ("plan", "guide"))] == ["p1", "p2", "g1"]
    assert [h.id for h in each_named(ranked, 3, ("notice",))] == ["p1", "p2", "g1"]


def test_a_programme_or_policy_the_knowledge_base_never_names_is_alien() -> None:
    from assistant.passage_index import PassageIndex
    from assistant.question_reading import _alien
    from indexer.store import StoredChunk
    from indexer.tokenizer import index_terms

    text = "推进教师培训改革，完善混合式培训，送教下乡培训项目面向乡村学校。"
    index = PassageIndex([StoredChunk("notice:v1:00000", text, {
        "doc_id": "notice", "title": "“国培计划”实施规划", "ordinal": 0, "section": "一、总则",
        "lex": " ".join(index_terms(text)), "kind": "policy"})])
    assert _alien("强师计划", index) and _alien("双减", index)
    assert not _alien("送教下乡", index), "its words are the documents' words"
    assert not _alien("国培计划", index), "a title names it"


def test_the_name_of_a_documents_whole_subject_does_not_pick_its_passages(embedded_assistant: Assistant):
    # 国培计划 is what the whole notice is about: the passages that repeat the name are no nearer to the
    # projects than 支持重点, which lists them (示范项目, 中西部骨干项目) without it.
    (notice,) = embedded_assistant.retriever.documents()
    assert subject_terms(("国培", "计划", "国培计划", "项目"), [notice]) == {"国培", "计划", "国培计划"}
    r = embedded_assistant.retrieve("国培计划有哪些项目")
    assert any(h.section.endswith("（一）支持重点") for h in r.hits[:2])


def test_whom_a_training_is_for_answers_whether_one_may_take_part(tmp_path):
    from assistant.settings import Settings
    from corpus.documents import DocumentMeta, SourceDocument

    faq = ("# 参训教师问答\n\n## 一、参训资格\n\n### 1. 哪些教师可以参加？\n\n答：项目面向项目县公办中小学、幼儿园在编在岗"
           "教师，骨干类项目要求为县级以上骨干教师。\n\n## 二、代课\n\n### 5. 参训期间我的课谁来上？\n\n答：由派出学校统筹安排"
           "代课，不得要求参训教师自行找人代课，代课老师的课时由学校统一安排。\n")
    kb = Assistant.from_settings(Settings(data_dir=tmp_path))
    kb.index_documents([SourceDocument("faq", faq, DocumentMeta(title="参训教师问答", kind="resource", source="faq.md"))])
    hits = kb.retrieve("民办学校的老师能参加吗").hits
    assert hits[0].section.endswith("1. 哪些教师可以参加？"), [h.section for h in hits]


def test_with_the_national_notice_alone_the_province_is_a_level_of_government(embedded_assistant: Assistant):
    # No provincial document is held: 省里要做什么 asks what the notice gives the provinces (加强省级统筹).
    r = embedded_assistant.retrieve("省里要做什么")
    assert "省里" not in r.question.text and any("省级统筹" in h.text for h in r.hits[:2])


def test_a_document_replaced_by_another_process_is_read_afresh(tmp_path: Path) -> None:
    """guopei index beside a running server: the embedded store the server opened is read again from disk, so the
    new text is found and the deleted chunks are neither returned nor fetched (that failed every question)."""
    import os
    import subprocess
    import sys
    import time

    from assistant.services import Services, read_settings

    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path / "data")}
    source = tmp_path / "青松.txt"

    def index(text: str) -> None:
        source.write_text(text, encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "channels.cli", "index", str(source)], env=env,
                             capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[2])
        assert run.returncode == 0, run.stderr
        time.sleep(1.2)  # the retriever looks for other processes' writes at most once a second

    index("青松镇校本教研安排\n青松镇中心学校的校本教研活动每月举行三次。\n")
    services = Services.from_settings(read_settings().model_copy(update={"data_dir": tmp_path / "data"}))
    try:
        question = "青松镇的校本教研活动每月举行几次？"
        assert "三次" in services.assistant.retriever.retrieve(question).hits[0].text
        index("青松镇校本教研安排\n青松镇中心学校的校本教研活动每月举行五次，由教研组长主持。\n")
        hits = services.assistant.retriever.retrieve(question).hits
        assert "五次" in hits[0].text and not any("三次" in h.text for h in hits)
        assert "五次" in services.assistant.answer(question).text
    finally:
        services.close()


def test_a_document_about_another_programme_does_not_answer_for_the_one_the_question_names(tmp_path):
    """国培补贴每人每天多少钱, with a county's own training plan uploaded beside the notice and the province's 国培
    plan: the county's 50元 a day is for its own training, not 国培's, and is not quoted beside the province's
    figure. Asked of the county's training, the county's plan is quoted, and first when the question says 县里."""
    from assistant.settings import Settings
    from corpus.documents import DocumentMeta, SourceDocument
    from evals.knowledge_base import eval_documents

    county = ("某县2026年县级教师培训实施方案\n一、培训安排\n（一）县级集中培训每年暑期举办，每期5天。\n"
              "（二）参加县级集中培训的乡村教师，每人每天补助交通和伙食费50元，由县教师发展中心统一发放。\n")
    kb = Assistant.from_settings(Settings(data_dir=tmp_path))
    kb.ensure_indexed()
    kb.index_documents([*eval_documents(("某省国培计划实施规划.pdf",)), SourceDocument(
        "county", county, DocumentMeta(title="某县2026年县级教师培训实施方案", kind="resource", source="county.txt"))])
    asked = kb.retrieve("国培补贴每人每天多少钱")
    assert asked.outside == ("county",)
    assert "county" not in [h.doc_id for h in asked.hits[:3]], [(h.doc_id, h.section) for h in asked.hits]
    answer = kb.ask("国培补贴每人每天多少钱")
    assert "county" not in {c["doc_id"] for c in answer["citations"]}, answer["answer"]
    assert "县教师发展中心" not in answer["answer"]
    county_answer = kb.ask("县级培训每天给乡村教师补助多少钱")
    assert "county" in {c["doc_id"] for c in county_answer["citations"]}
    assert "每人每天补助交通和伙食费50元" in county_answer["answer"]
    # 县里 names the county's papers as 省里 names the province's: the plan's rule for 国培 funds does not lead.
    assert kb.retrieve("县里的培训每期几天").named == ("county",)
    ours = kb.ask("今年县里的集中培训每期几天")
    assert {c["doc_id"] for c in ours["citations"]} == {"county"} and "每期5天" in ours["answer"], ours["answer"]
