from dataclasses import replace

from assistant.answering import ExtractiveAnswerer
from assistant.catalogue import build_catalogue
from assistant.hits import Hit, Retrieval
from assistant.outline import _topic, outline_answer
from assistant.question import analyse
from evals.metrics import attribution_problems
from indexer.chunking import sentences
from indexer.store import StoredChunk

PLAN = {"doc_id": "plan", "title": "某省“国培计划”（2021—2025年）实施规划", "doc_number": "某教师〔2021〕12号",
        "issuers": "某省教育厅", "year": 2021, "date": "", "kind": "resource"}
_SECTIONS = [
    ("二、项目设置 > （一）示范引领项目", "二、项目设置\n（一）示范引领项目。面向省级骨干教师，每年培训约4000人。"),
    ("二、项目设置 > （二）骨干教师能力提升项目", "（二）骨干教师能力提升项目。面向县级骨干教师开展培训，分三个阶段实施。"),
    ("二、项目设置 > （三）送教下乡培训项目", "（三）送教下乡培训项目。以县为单位组织全员培训。"),
    ("三、培训模式 > （一）集中研修阶段 > 1.时间安排", "三、培训模式\n（一）集中研修阶段\n1.时间安排。集中培训不少于10天。"),
    ("三、培训模式 > （一）集中研修阶段 > 2.参训教师任务", "2.参训教师任务。制订个人研修计划。"),
    ("三、培训模式 > （一）集中研修阶段 > 3.考核要求", "3.考核要求。提交研修总结。"),
    ("三、培训模式 > （二）校本实践阶段", "（二）校本实践阶段。培训结束后返岗开展校本实践。"),
    ("三、培训模式 > （三）总结提升阶段", "（三）总结提升阶段。返回培训机构集中展示成果。"),
    ("五、职责分工 > （一）省级职责", "五、职责分工\n（一）省级职责。省教育厅负责统筹全省教师培训。"),
    ("五、职责分工 > （二）县级职责", "（二）县级职责。县级教育行政部门负责遴选参训教师。"),
    ("五、职责分工 > （三）学校职责", "（三）学校职责。学校保障参训教师的工资福利待遇。"),
]
CHUNKS = [StoredChunk(f"plan:v1:{i:05d}", text, {**PLAN, "ordinal": i, "section": section})
          for i, (section, text) in enumerate(_SECTIONS)]


def _retrieval(question: str, *ranked: int) -> Retrieval:
    hits = [Hit(CHUNKS[i].id, CHUNKS[i].text, dict(CHUNKS[i].metadata), dense=0.9, score=2.0 - 0.1 * n,
                sentence=0.93, sentences=[(s, e, 0.93) for s, e in sentences(CHUNKS[i].text)])
            for n, i in enumerate(ranked)]
    q = analyse(question)
    return Retrieval(query=question, terms=q.terms, hits=hits, strength=0.9, question=q,
                     documents=build_catalogue(CHUNKS), named=("plan",))


def test_a_list_of_kinds_is_answered_by_the_headings_under_its_part() -> None:
    reply = outline_answer(analyse("省里都开了哪些类型的培训项目？"), _retrieval("省里都开了哪些类型的培训项目？", 2, 0))
    assert reply is not None
    assert reply.text.splitlines() == [
        "根据《某省“国培计划”（2021—2025年）实施规划》（某教师〔2021〕12号）「二、项目设置」，共有以下 3 项（想了解哪一项，直接问它的名称即可）：",
        "「（一）示范引领项目」[1]", "「（二）骨干教师能力提升项目」[2]", "「（三）送教下乡培训项目」[3]"]
    assert [c.chunk_id for c in reply.citations] == [c.id for c in CHUNKS[:3]]


def test_a_question_about_one_of_the_parts_gets_no_outline() -> None:
    # 学校 names one of the headings under 五、职责分工, not what they all are.
    assert outline_answer(analyse("学校有哪些职责？"), _retrieval("学校有哪些职责？", 10, 9)) is None
    # 各级职责 are listed when all of them are asked for.
    reply = outline_answer(analyse("职责分工包括哪些方面？"), _retrieval("职责分工包括哪些方面？", 8, 9))
    assert reply is not None and reply.text.count("职责」[") == 3


def test_a_part_that_is_one_of_the_things_listed_does_not_list_its_own_parts() -> None:
    # （一）集中研修阶段 is one 阶段: its 1.时间安排, 2.参训教师任务 are not stages.
    reply = outline_answer(analyse("培训分几个阶段？"), _retrieval("培训分几个阶段？", 3, 4))
    assert reply is not None
    assert reply.text.splitlines()[1:] == ["「（一）集中研修阶段」[1]", "「（二）校本实践阶段」[2]", "「（三）总结提升阶段」[3]"]


def test_an_outline_answers_only_where_the_retriever_found_the_question() -> None:
    assert outline_answer(analyse("有哪些培训项目？"), _retrieval("有哪些培训项目？", 8, 9, 10)) is None
    assert outline_answer(analyse("示范引领项目面向谁？"), _retrieval("示范引领项目面向谁？", 0)) is None


def test_the_answer_quotes_each_heading_where_it_stands() -> None:
    question = "省里的培训项目分几类？"
    r = _retrieval(question, 0, 1)
    answer = ExtractiveAnswerer(0.4).answer(question, r)
    assert answer.structured and answer.verdict == "answered" and not answer.abstained
    citations = [c.as_dict() for c in answer.citations]
    chunks = {c.id: c.text for c in CHUNKS}
    assert attribution_problems(answer.text, citations, chunks) == []
    assert [h.id for h in answer.retrieved][:2] == [CHUNKS[0].id, CHUNKS[1].id]  # the retriever's order first


def test_a_part_named_by_its_heading_is_listed_wherever_the_retriever_looked() -> None:
    # The best passages are about projects; the question names 职责分工 itself.
    reply = outline_answer(analyse("职责分工包括哪些方面？"), _retrieval("职责分工包括哪些方面？", 0, 1))
    assert reply is not None and "「五、职责分工」" in reply.text.splitlines()[0]


def test_the_name_of_the_document_does_not_narrow_the_part() -> None:
    doc = replace(build_catalogue(CHUNKS)[0], purpose="为推进教师培训，就“十四五”期间国家级培训计划（以下简称“国培计划”）实施工作通知如下。")
    assert _topic(analyse("国培计划的重点工作有哪些？"), doc) == ["重点", "工作"]


def test_how_many_entries_a_part_has_is_answered_by_listing_them() -> None:
    question = "省方案里讲职责分工的有几条？"
    reply = outline_answer(analyse(question), _retrieval(question, 9, 8, 10))
    assert reply is not None and reply.text.count("「（") == 3


_GUARANTEES = [("六、保障措施 > （一）组织保障", "六、保障措施\n（一）组织保障。成立省级领导小组。"),
               ("六、保障措施 > （二）经费保障", "（二）经费保障。省级财政安排专项经费。")]
WITH_GUARANTEES = CHUNKS + [StoredChunk(f"plan:v1:{len(CHUNKS) + i:05d}", text,
                                        {**PLAN, "ordinal": len(CHUNKS) + i, "section": section})
                            for i, (section, text) in enumerate(_GUARANTEES)]


def _on_guarantees(question: str, asked: str = "") -> Retrieval:
    hits = [Hit(c.id, c.text, dict(c.metadata), dense=0.9, score=2.0 - 0.1 * n, sentence=0.93,
                sentences=[(s, e, 0.93) for s, e in sentences(c.text)]) for n, c in enumerate(WITH_GUARANTEES[-1:])]
    q = analyse(question)
    return Retrieval(query=question, terms=q.terms, hits=hits, strength=0.9, question=q, asked=asked,
                     documents=build_catalogue(WITH_GUARANTEES), named=("plan",))


def test_a_part_of_two_is_listed_when_the_question_names_it() -> None:
    """保障措施有哪几条 is answered by its two headings (a part reached only through the retriever needs three)."""
    reply = outline_answer(analyse("保障措施有哪几条？"), _on_guarantees("保障措施有哪几条？"))
    assert reply is not None and reply.text.splitlines()[1:] == ["「（一）组织保障」[1]", "「（二）经费保障」[2]"]


def test_a_follow_up_names_the_part_in_its_own_words() -> None:
    """After a question on funding, 保障措施有哪几条 is read joined with 经费; the part it names is its own."""
    joined = "省级财政每年安排多少经费 保障措施有哪几条？"
    reply = outline_answer(analyse(joined), _on_guarantees(joined, asked="保障措施有哪几条？"))
    assert reply is not None and reply.text.splitlines()[1:] == ["「（一）组织保障」[1]", "「（二）经费保障」[2]"]


def test_the_parts_whose_own_text_says_what_sets_them_apart_are_listed() -> None:
    """给乡村学校老师的项目有哪些: of the projects under 二、项目设置, the ones whose text says 乡村."""
    projects = [
        ("二、项目设置 > （一）示范引领项目", "二、项目设置\n（一）示范引领项目。面向省级骨干教师，每年培训约4000人。"),
        ("二、项目设置 > （二）骨干教师能力提升项目", "（二）骨干教师能力提升项目。面向乡村学校骨干教师，分三个阶段实施。"),
        ("二、项目设置 > （三）送教下乡培训项目", "（三）送教下乡培训项目。面向乡村学校和教学点全体教师。"),
        ("二、项目设置 > （四）乡村校园长培训项目", "（四）乡村校园长培训项目。面向乡村中小学校长。"),
        ("二、项目设置 > （五）培训者团队研修项目", "（五）培训者团队研修项目。面向市县教研员。"),
    ]
    chunks = [StoredChunk(f"plan:v2:{i:05d}", text, {**PLAN, "ordinal": i, "section": section})
              for i, (section, text) in enumerate(projects + _SECTIONS[3:])]
    question = "省里专门给乡村老师的项目有哪些？"
    q = analyse(question)
    hits = [Hit(chunks[i].id, chunks[i].text, dict(chunks[i].metadata), dense=0.9, score=2.0 - 0.1 * n, sentence=0.93,
                sentences=[(s, e, 0.93) for s, e in sentences(chunks[i].text)]) for n, i in enumerate((2, 1))]
    r = Retrieval(query=question, terms=q.terms, hits=hits, strength=0.9, question=q,
                  documents=build_catalogue(chunks), named=("plan",))
    reply = outline_answer(q, r)
    assert reply is not None
    lines = reply.text.splitlines()
    assert "写到「乡村」的有以下 3 项" in lines[0]
    assert lines[1:] == ["「（二）骨干教师能力提升项目」[1]", "「（三）送教下乡培训项目」[2]", "「（四）乡村校园长培训项目」[3]"]
