from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import pytest

from assistant.records import Records
from assistant.records.feedback import REDACTED, iso_week, scrub

PERSONAL = re.compile(r"(teacher|user|person|member|account|channel_id|external|chat|sender|author|hash|ip)",
                      re.IGNORECASE)
EXACT_TIME = re.compile(r"(created|updated|time|stamp|date|_at$|submitted)", re.IGNORECASE)


def test_feedback_columns_cannot_identify_a_person_or_a_moment(records: Records) -> None:
    cols = {r["name"]: r for r in records.db.conn.execute("PRAGMA table_info(feedback)")}
    assert set(cols) == {"id", "target_kind", "target_ref", "rating", "comment", "period", "channel_kind"}
    for name in cols:
        assert not PERSONAL.search(name), name
        assert not EXACT_TIME.search(name), name
    assert cols["id"]["type"] == "TEXT"  # random key, not an autoincrement that follows time
    # WITHOUT ROWID: no hidden insertion-ordered rowid either.
    with pytest.raises(Exception, match="rowid"):
        records.db.conn.execute("SELECT rowid FROM feedback")


def test_rows_hold_no_teacher_channel_id_hash_or_fine_timestamp(records: Records) -> None:
    a = records.teachers.get_or_create_by_channel("telegram", "777001", "李老师")
    b = records.teachers.get_or_create_by_channel("api", "user-42", "赵老师")
    moment = datetime(2026, 11, 26, 9, 30, 15, tzinfo=UTC)
    for t, channel in ((a, "telegram"), (b, "api")):
        records.feedback.submit("answer", "jiaoshihan-2021-4#三、保障措施", 4, f"很好 {t.display_name}",
                                channel_kind=channel, now=moment)
        records.feedback.submit("training", "国培2026-语文", 2, "时间太紧", channel_kind=channel, now=moment)
    rows = records.db.conn.execute("SELECT * FROM feedback").fetchall()
    assert len(rows) == 4
    dump = " ".join(str(v) for r in rows for v in tuple(r))
    for secret in (a.id, b.id, "777001", "user-42"):
        assert secret not in dump
        for h in (hashlib.sha256, hashlib.md5, hashlib.sha1):
            assert h(secret.encode()).hexdigest() not in dump
            assert h(secret.encode()).hexdigest()[:16] not in dump
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}", dump)
    assert {r["period"] for r in rows} == {"2026-W48"}
    assert len({r["id"] for r in rows}) == 4


def test_submit_validates_and_scrubs(records: Records) -> None:
    for bad in (0, 6, 3.5, True, "5"):
        with pytest.raises(ValueError, match="1 到 5"):
            records.feedback.submit("answer", "sec", bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="评价对象类型"):
        records.feedback.submit("teacher", "sec", 3)
    t = records.teachers.get_or_create_by_channel("cli", "me")
    with pytest.raises(ValueError, match="个人"):
        records.feedback.submit("answer", t.id, 3)
    records.feedback.submit("resource", "r1", 5,
                            "联系我 13812345678 或 a.b@example.com，身份证 11010519491231002X，座机 010-62345678")
    comment = records.db.conn.execute("SELECT comment FROM feedback").fetchone()[0]
    assert "138" not in comment and "example" not in comment and "1949" not in comment and "6234" not in comment
    assert comment.count(REDACTED) == 4


def test_scrub_keeps_ordinary_text() -> None:
    assert scrub("第3章讲得好，2026年的案例很实用") == "第3章讲得好，2026年的案例很实用"


def test_week_is_bucketed_in_beijing_time() -> None:
    # Sunday 23:30 Beijing = Sunday 15:30 UTC; Monday 00:30 Beijing = Sunday 16:30 UTC.
    assert iso_week(datetime(2026, 11, 29, 15, 30, tzinfo=UTC)) == "2026-W48"
    assert iso_week(datetime(2026, 11, 29, 16, 30, tzinfo=UTC)) == "2026-W49"


def test_aggregate(records: Records) -> None:
    now = datetime(2026, 3, 3, tzinfo=UTC)
    for rating in (5, 4, 3):
        records.feedback.submit("answer", "s1", rating, now=now)
    records.feedback.submit("training", "p1", 1, now=now)
    agg = records.feedback.aggregate()
    assert agg["count"] == 4 and agg["mean"] == 3.25
    assert agg["by_kind"]["answer"] == {"count": 3, "mean": 4.0}
    assert {"target_kind": "training", "target_ref": "p1", "target_label": "p1", "count": 1, "mean": 1.0} \
        in agg["by_target"]
    assert agg["by_period"] == {"2026-W10": {"count": 4, "mean": 3.25}}


def test_an_answers_key_is_its_document_and_section_whatever_the_version_and_never_the_question() -> None:
    from assistant.records.feedback import NO_EVIDENCE_REF, answer_ref

    cited = {"citations": [{"chunk_id": "res-1:abc:00000", "doc_id": "res-1", "title": "通知", "section": "一、对象"}]}
    reindexed = {"citations": [{**cited["citations"][0], "chunk_id": "res-1:def:00000"}]}
    assert answer_ref(cited) == answer_ref(reindexed) == "res-1#一、对象"
    assert answer_ref({"question": "我家的电话是多少？", "citations": []}) == NO_EVIDENCE_REF


def test_the_admin_reads_a_ratings_document_by_its_title_not_its_id(records: Records) -> None:
    """Ratings of answers were listed as ``res-3f2a9c0d1e2b#一、对象``: an id an admin cannot read. The key stays
    (stable, never the question); the listing names the cited document by its title, and a resource rated by
    its id by the resource's title."""
    from assistant.records.feedback import NO_EVIDENCE_REF, answer_ref

    titles = {"res-3f2a9c0d1e2b": "青溪镇暑期研修班安排", "jiaoshihan-2021-4": "国培计划通知"}
    cited = {"citations": [{"doc_id": "res-3f2a9c0d1e2b", "title": "青溪镇暑期研修班安排", "section": "一、研修时间与地点"}]}
    untitled = {"citations": [{"doc_id": "jiaoshihan-2021-4", "title": "国培计划通知", "section": ""}]}
    for ref, kind in ((answer_ref(cited), "answer"), (answer_ref(untitled), "answer"), (NO_EVIDENCE_REF, "answer"),
                      ("res-3f2a9c0d1e2b", "resource"), ("骨干教师研修班", "training"),
                      ("res-0000deadbeef#二、报名方式", "answer")):
        records.feedback.submit(kind, ref, 4)
    labels = {t["target_ref"]: t["target_label"] for t in records.feedback.aggregate(titles)["by_target"]}
    assert labels == {
        "res-3f2a9c0d1e2b#一、研修时间与地点": "《青溪镇暑期研修班安排》 一、研修时间与地点",
        "jiaoshihan-2021-4#国培计划通知": "《国培计划通知》",
        NO_EVIDENCE_REF: NO_EVIDENCE_REF,
        "res-3f2a9c0d1e2b": "《青溪镇暑期研修班安排》",
        "骨干教师研修班": "骨干教师研修班",
        "res-0000deadbeef#二、报名方式": "二、报名方式（所引文件已不在知识库中）",  # a resource since deleted
    }
