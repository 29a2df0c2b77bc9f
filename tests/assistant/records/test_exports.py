from __future__ import annotations

import csv
import io

import pytest

from assistant.records import Records
from assistant.records.exports import COHORT_HEADERS, TEACHER_HEADERS
from tests.assistant.records.conftest import NOON, add_task


def read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_teacher_csv_has_bom_chinese_headers_attempts_and_ledger(records: Records, teacher) -> None:
    add_task(records, "k1", "师德师风")
    records.teachers.update_profile(teacher.id, stage="新任", subject="语文", school_level="小学")
    records.record_answer(teacher.id, "k1", "A", True, now=NOON)
    entry = records.ledger.add(teacher.id, 3, 0.3, "集中培训，含逗号,和\"引号\"", "training", "p1", now=NOON)
    records.ledger.correct(entry.id, "重复登记", now=NOON)
    rows = read(records.exports.teacher_csv(teacher.id))
    assert tuple(rows[0]) == TEACHER_HEADERS
    kinds = [r[5] for r in rows[1:]]
    assert kinds == ["答题", "学分记入", "学分记入", "学分更正"]
    assert rows[1][:5] == [teacher.id, "王老师", "新任", "语文", "小学"]
    assert rows[1][6] == "2026-03-10 12:00:00"  # Beijing time
    assert rows[3][7] == "集中培训，含逗号,和\"引号\""
    assert rows[4][10:12] == ["-3", "-0.3"]
    # 来源类型 in words, not the ledger's task/training identifiers
    assert [r[12] for r in rows[1:]] == ["学习任务", "学习任务", "培训项目", "学分更正"]
    with pytest.raises(LookupError):
        records.exports.teacher_csv("t_0000000000000000")


def test_cohort_csv_one_row_per_teacher_and_formula_escaping(records: Records, teacher) -> None:
    other = records.teachers.get_or_create_by_channel("cli", "x", "=HYPERLINK(\"http://evil\")")
    records.ledger.add(other.id, 2, 0.2, "讲座", "resource", "r1")
    rows = read(records.exports.cohort_csv())
    assert tuple(rows[0]) == COHORT_HEADERS
    by_id = {r[0]: r for r in rows[1:]}
    assert set(by_id) == {teacher.id, other.id}
    assert by_id[other.id][1].startswith("'=")
    assert by_id[other.id][10:12] == ["2", "0.2"]
    assert by_id[other.id][6:9] == ["0", "0", ""] and by_id[other.id][13] == "0"
    only = read(records.exports.cohort_csv([teacher.id]))
    assert [r[0] for r in only[1:]] == [teacher.id]


def test_cohort_accuracy_counts_tasks_by_their_counted_attempts_as_progress_does(records: Records, teacher) -> None:
    add_task(records, "k1")
    add_task(records, "k2")
    records.record_answer(teacher.id, "k1", "A", True)
    records.record_answer(teacher.id, "k2", "B", False)
    for _ in range(4):  # practice: right every time, and not in the accuracy
        records.record_answer(teacher.id, "k2", "A", True)
    row = {r[0]: r for r in read(records.exports.cohort_csv())[1:]}[teacher.id]
    header = read(records.exports.cohort_csv())[0]
    cells = dict(zip(header, row, strict=True))
    assert (cells["作答题数"], cells["答对题数"], cells["正确率（不含练习）"], cells["作答次数（含练习）"]) == ("2", "1", "50%", "6")
    assert cells["正确率（不含练习）"] == f"{records.progress(teacher.id)['accuracy']:.0%}"


def test_what_was_studied_names_the_document_beside_the_section(records: Records, teacher) -> None:
    """「三、课程模块」 alone does not say which document: the 内容 column, for the answer and for the credit it
    earned, names the document by its short title."""
    records.tasks.save({"id": "k9", "type": "single_choice", "topic": "三、课程模块", "answer": "A",
                        "source": {"title": "“国培计划”小学语文骨干教师研修课程大纲", "section": "三、课程模块"}})
    records.record_answer(teacher.id, "k9", "A", True, now=NOON)
    rows = read(records.exports.teacher_csv(teacher.id))
    content = rows[0].index("内容")
    assert [r[content] for r in rows[1:]] == ["《小学语文骨干教师研修课程大纲》三、课程模块",
                                              "完成学习任务：《小学语文骨干教师研修课程大纲》三、课程模块"]
