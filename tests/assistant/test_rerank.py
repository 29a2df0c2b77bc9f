from assistant.hits import Hit
from assistant.rerank import HEADING_DISCOUNT, _names_section, each_named
from assistant.service import Assistant


def test_a_question_names_a_section_by_its_headings_name_within_the_document_it_names():
    guiding = Hit("plan:1", "坚持以……为指导。", {"doc_id": "plan", "section": "一、指导思想和总体目标 > （一）指导思想"})
    assert _names_section("咱们省的实施方案指导思想是怎么写的", guiding, ("plan",))
    assert _names_section("指导思想是怎么写的", guiding, ())
    assert not _names_section("省里的思想是怎么写的", guiding, ())
    anonymous = Hit("faq:7", "……", {"doc_id": "faq", "section": "七、匿名评价 > 22. 训后的匿名评价是怎么回事？"})
    assert _names_section("匿名评价会影响我的成绩吗", anonymous, ())
    assert not _names_section("学员匿名评价，国家通知是要求每个项目都得做吗？", anonymous, ("notice",))


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


def test_each_document_a_comparison_names_has_a_place_among_the_results() -> None:
    def made(cid: str, doc: str, score: float) -> Hit:
        return Hit(cid, "……", {"doc_id": doc}, score=score)

    ranked = [made("p1", "plan", 1.6), made("p2", "plan", 1.5), made("g1", "guide", 1.4), made("p3", "plan", 1.3),
              made("n1", "notice", 0.7), made("n2", "notice", 0.6)]
    assert [h.id for h in each_named(ranked, 3, ("plan", "notice"))] == ["p1", "g1", "n1"]
    # A document already among them, or a question naming one document, changes nothing.
    assert [h.id for h in each_named(ranked, 3, ("plan", "guide"))] == ["p1", "p2", "g1"]
    assert [h.id for h in each_named(ranked, 3, ("notice",))] == ["p1", "p2", "g1"]


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
