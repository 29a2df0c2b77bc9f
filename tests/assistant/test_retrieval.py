from pathlib import Path

from assistant.catalogue import subject_terms
from assistant.service import Assistant


def test_hybrid_ranking_puts_the_gold_section_first(embedded_assistant: Assistant):
    r = embedded_assistant.retrieve("完善学分认定登记制度的同时要建设什么？")
    assert r.hits[0].section.endswith("3. 完善教师自主发展机制")
    assert r.hits[0].sentences, "the top candidates are scored sentence by sentence"
    scores = [h.score for h in r.hits]
    assert scores == sorted(scores, reverse=True)


def test_lexical_only_candidates_get_a_dense_score(embedded_assistant: Assistant):
    r = embedded_assistant.retriever.retrieve("乡村振兴重点帮扶县", k=30)
    assert all(h.dense > 0 for h in r.hits)


def test_the_name_of_a_documents_whole_subject_does_not_pick_its_passages(embedded_assistant: Assistant):
    # 国培计划 is what the whole notice is about: the passages that repeat the name are no nearer to the
    # projects than 支持重点, which lists them (示范项目, 中西部骨干项目) without it.
    (notice,) = embedded_assistant.retriever.documents()
    assert subject_terms(("国培", "计划", "国培计划", "项目"), [notice]) == {"国培", "计划", "国培计划"}
    r = embedded_assistant.retrieve("国培计划有哪些项目")
    assert any(h.section.endswith("（一）支持重点") for h in r.hits[:2])


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
