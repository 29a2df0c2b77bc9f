"""Parts of a passage read whole: here, a long table split over two passages, as a syllabus's module table is."""

from __future__ import annotations

from dataclasses import replace

from assistant.candidates import candidates
from assistant.compose import quote_block
from assistant.hits import Hit, Retrieval
from assistant.question import analyse
from assistant.scoring import score
from assistant.selection import choose
from assistant.units import extreme_rows, heading_row, items_of
from indexer.chunking import sentences
from tests.assistant.kb import CATALOGUE

SYLLABUS = {"doc_id": "syllabus", "title": "小学语文骨干教师研修课程大纲", "doc_number": "", "section": "三、课程模块"}
OPENS = ("三、课程模块\n模块 | 学时 | 方式 | 主要内容\n模块一：师德修养 | 8 | 集中面授 | 准则解读；乡村教师案例研讨\n"
         "模块二：课标解读 | 12 | 集中面授 | 核心素养；统编教材编排体系")
GOES_ON = "优质课堂观摩与评议\n模块三：习作教学 | 16 | 工作坊 | 单元设计；习作评改与讲评课\n模块四：作业设计 | 8 | 工作坊 | 分层作业；表现性评价任务设计"


def _passages(q: str, meta: dict, *passages: tuple[str, str, int, float]) -> Retrieval:
    """A retrieval of ``passages`` (chunk id, text, ordinal, score) of one document, every sentence equally close."""
    hits = [Hit(cid, text, {**meta, "ordinal": ordinal}, dense=0.9, score=score, sentence=0.93,
                sentences=[(s, e, 0.93) for s, e in sentences(text)]) for cid, text, ordinal, score in passages]
    return Retrieval(query=q, terms=analyse(q).terms, hits=hits, strength=0.9, question=analyse(q),
                     documents=CATALOGUE)


def _retrieval(q: str) -> Retrieval:
    return _passages(q, SYLLABUS, ("syllabus:7", GOES_ON, 7, 0.8), ("syllabus:6", OPENS, 6, 0.78))


def test_rows_of_a_table_another_passage_opened_read_by_its_heading_row() -> None:
    pool = candidates(_retrieval("各模块学时"))
    rows = {s.text: s.header for s in pool if s.hit.id == "syllabus:7"}
    assert rows["模块三：习作教学 | 16 | 工作坊 | 单元设计；"] == "模块 | 学时 | 方式 | 主要内容"
    assert rows["习作评改与讲评课"] == "模块 | 学时 | 方式 | 主要内容", "the rest of a row's cell is still in the table"
    assert rows["优质课堂观摩与评议"] == "", "a line before the first row is no row"
    # The heading row is cited only to the passage that holds it.
    assert heading_row(next(s for s in pool if s.text.startswith("模块三"))) is None
    assert heading_row(next(s for s in pool if s.text.startswith("模块一"))).hit.id == "syllabus:6"


def test_the_row_with_the_least_or_most_is_read_off_the_whole_table() -> None:
    q = "哪个模块学时最少？"
    r = _retrieval(q)
    ranked = score(analyse(q), r, candidates(r))
    least = extreme_rows(next(s for s in ranked if s.text.startswith("模块三")), ranked, q)
    assert [s.text for s in least] == ["模块 | 学时 | 方式 | 主要内容", "模块一：师德修养 | 8 | 集中面授 | 准则解读；", "乡村教师案例研讨",
                                       "模块四：作业设计 | 8 | 工作坊 | 分层作业；", "表现性评价任务设计"]
    most = [s.text for s in choose(analyse("哪个模块学时最多？"), ranked)]
    assert most == ["模块三：习作教学 | 16 | 工作坊 | 单元设计；", "习作评改与讲评课"]
    assert extreme_rows(ranked[0], ranked, "各模块学时是多少") == [], "no superlative, no comparison"


def test_a_rows_cell_of_several_clauses_stays_on_its_line() -> None:
    q = "哪个模块学时最多？"
    r = _retrieval(q)
    text, _ = quote_block(choose(analyse(q), score(analyse(q), r, candidates(r))))
    assert text.splitlines()[1] == "模块三：习作教学 | 16 | 工作坊 | 单元设计；[1]习作评改与讲评课[1]"


def test_a_superlative_is_read_off_a_table_below_a_sentence_that_scores_a_little_higher() -> None:
    from tests.assistant.kb import PLAN

    q = "哪个模块学时最多？"
    r = _retrieval(q)
    prose = "骨干教师能力提升项目总学时不少于120学时，各模块学时按课程安排执行。"
    r.hits.insert(0, Hit("plan:9", prose, {**PLAN, "ordinal": 9, "section": "课程"}, dense=0.9, score=0.82,
                         sentence=0.95, sentences=[(0, len(prose), 0.95)]))
    texts = [s.text for s in choose(analyse(q), score(analyse(q), r, candidates(r)))]
    assert texts == ["模块三：习作教学 | 16 | 工作坊 | 单元设计；", "习作评改与讲评课"]


PLAN = {"doc_id": "plan", "title": "某省国培计划实施规划", "doc_number": "", "section": "四、学分管理 > （二）学时折算"}
RATES = "（二）学时折算\n1.集中培训每8学时折算1学分。\n2.网络研修每10学时折算1学分，有效学习时长每45分钟计1学时。"
MORE_RATES = "3.校本研修每12学时折算1学分。\n4.考核等次为优秀的，另加1学分。"


def _rates(q: str) -> Retrieval:
    return _passages(q, PLAN, ("plan:4", RATES, 4, 0.8), ("plan:5", MORE_RATES, 5, 0.75))


def test_items_of_a_list_chunked_apart_are_found_in_document_order() -> None:
    pool = candidates(_rates("几个学时能折成1学分"))
    best = next(s for s in pool if s.text.startswith("2."))
    assert [s.text[:2] for s in items_of(best, pool)] == ["1.", "2.", "3.", "4."]
    plain = replace(best, text="网络研修每10学时折算1学分。")
    assert items_of(plain, pool) == []  # a sentence that opens no item


def test_a_figure_question_that_singles_out_no_item_gets_every_item_giving_that_figure() -> None:
    r = _rates("几个学时能折成1学分")
    chosen = [s.text for s in choose(r.question, score(r.question, r, candidates(r)))]
    assert [t[:2] for t in chosen if t[:1].isdigit()] == ["1.", "2.", "3."]  # not 4.: no hours per credit
    r = _rates("网络研修几个学时能折成1学分")
    chosen = [s.text for s in choose(r.question, score(r.question, r, candidates(r)))]
    assert chosen[0].startswith("2.网络研修") and not any(t.startswith(("1.", "3.")) for t in chosen)


TASKS = {"doc_id": "syllabus", "title": "小学语文骨干教师研修课程大纲", "doc_number": "", "section": "四、校本实践任务"}
TASKS_OPEN = "四、校本实践任务\n校本实践期间，学员在本校完成以下任务，并按时将材料上传研修平台：\n1. 在本校上研究课不少于2节。\n"
TASKS_ON = ["2. 每节研究课提交教学设计和课后反思。\n3. 在本校组织1次语文主题教研活动。\n",
            "4. 指导本校1名青年教师完成1次单元教学设计。\n5. 每周撰写研修日志1篇，共不少于6篇。\n"]


def test_a_list_that_runs_on_into_the_next_passages_of_its_section_is_quoted_whole_under_one_source_line() -> None:
    """Five tasks chunked two by two: the teacher who asks what to do gets all five, not the first alone, and the
    next passages are found though they repeat none of the question's words."""
    q = "校本实践期间我要完成哪些任务？"
    r = _passages(q, TASKS, ("syllabus:9", TASKS_OPEN, 9, 0.9))
    r.continued = {"syllabus:9": [Hit(f"syllabus:{9 + i}", text, {**TASKS, "ordinal": 9 + i})
                                  for i, text in enumerate(TASKS_ON, 1)]}
    chosen = choose(analyse(q), score(analyse(q), r, candidates(r)))
    assert [s.text[:2] for s in chosen] == ["校本", "1.", "2.", "3.", "4.", "5."]
    body, citations = quote_block(chosen)
    assert body.count("根据") == 1 and len(citations) == 3
    assert body.splitlines()[-1] == "5. 每周撰写研修日志1篇，共不少于6篇。[3]"
    r.continued = {}  # without the passages that continue it, the list stays as its own passage has it
    assert [s.text[:2] for s in choose(analyse(q), score(analyse(q), r, candidates(r)))] == ["校本", "1."]
