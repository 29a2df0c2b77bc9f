"""CSV exports of training records and credits for schools and training offices.

Excel as used in China reads CSV as GBK unless it starts with a UTF-8 BOM, so every export starts with
one; headers are Chinese; times are Beijing time. Text cells that begin like a formula are prefixed with
an apostrophe, because display names are typed by users and would otherwise run in the spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.db import Database
from assistant.errors import NotFound
from assistant.records.attempts import AttemptLog
from assistant.records.teachers import Teacher, TeacherStore, beijing_time
from assistant.titles import titled

BOM = "\ufeff"
TEACHER_HEADERS = ("教师编号", "姓名", "发展阶段", "学科", "学段", "记录类型", "时间（北京时间）", "内容",
                   "结果", "得分", "学时", "学分", "来源类型", "来源编号", "更正账目")
# The ledger stores where a credit came from as an identifier; the sheet a school office opens says it in words.
SOURCE_KIND_LABELS = {"task": "学习任务", "resource": "培训资源", "training": "培训项目", "correction": "学分更正",
                      "manual": "手工登记"}
# 作答题数, 答对题数 and 正确率 count each task by its counted attempts, as progress does (practice left out);
# every answer, practice included, is in the last column, added there so the others keep their places.
COHORT_HEADERS = ("教师编号", "姓名", "发展阶段", "学科", "学段", "地区", "作答题数", "答对题数", "正确率（不含练习）",
                  "连续学习天数", "累计学时", "累计学分", "薄弱主题", "作答次数（含练习）")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _numeric(value):
        return "'" + value
    return "" if value is None else value


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _source_kind(kind: str) -> str:
    return SOURCE_KIND_LABELS.get(kind, kind)


def _render(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return BOM + out.getvalue()


class Exports:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.teachers = TeacherStore(db)
        self.log = AttemptLog(db)

    def _require(self, teacher_id: str) -> Teacher:
        teacher = self.teachers.get(teacher_id)
        if teacher is None:
            raise NotFound(f"找不到教师 {teacher_id}")
        return teacher

    def teacher_rows(self, teacher: Teacher) -> list[list[Any]]:
        """Answers and ledger entries of one teacher, interleaved by time."""
        who = [teacher.id, teacher.display_name, teacher.stage, teacher.subject, teacher.school_level]
        rows: list[tuple[str, int, list[Any]]] = []
        for a in self.log.attempts(teacher.id):
            kind = "练习" if a["practice"] else "答题"  # practice: a later attempt, never credited
            studied = titled(a["title"] or "", a["topic"]) if a["topic"] else a["task_id"]
            rows.append((a["created_at"], 0, [*who, kind, beijing_time(a["created_at"], seconds=True), studied,
                                              "正确" if a["correct"] else "错误", _num(a["score"]), "", "",
                                              _source_kind("task"), a["task_id"], ""]))
        ledger = self.db.conn.execute("SELECT * FROM credit_ledger WHERE teacher_id = ? ORDER BY id", (teacher.id,))
        for e in ledger:
            kind = "学分更正" if e["corrects_entry"] is not None else "学分记入"
            rows.append((e["created_at"], 1, [*who, kind, beijing_time(e["created_at"], seconds=True), e["reason"], "", "",
                                              _num(e["hours"]), _num(e["credits"]), _source_kind(e["source_kind"]),
                                              e["source_id"], e["corrects_entry"]]))
        rows.sort(key=lambda r: (r[0], r[1]))
        return [r[2] for r in rows]

    def teacher_csv(self, teacher_id: str | None) -> str:
        """One teacher's records; None is an account with none yet: the headers alone, not an error."""
        if teacher_id is None:
            return _render(TEACHER_HEADERS, [])
        return _render(TEACHER_HEADERS, self.teacher_rows(self._require(teacher_id)))

    def cohort_csv(self, teacher_ids: Iterable[str] | None = None) -> str:
        """One summary row per teacher (all teachers when ``teacher_ids`` is None)."""
        teachers = self.teachers.list() if teacher_ids is None else [self._require(t) for t in teacher_ids]
        rows = []
        for t in teachers:
            p = self.log.progress(t.id)
            rows.append([t.id, t.display_name, t.stage, t.subject, t.school_level, t.region, p["answered"],
                         p["correct"], f"{p['accuracy']:.0%}" if p["answered"] else "", p["streak_days"],
                         _num(p["hours"]), _num(p["credits"]), "；".join(p["weak_topics"]), p["attempts"]])
        return _render(COHORT_HEADERS, rows)
