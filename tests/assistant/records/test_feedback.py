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


def test_an_upload_id_that_looks_like_a_phone_number_is_kept_whole(records: Records) -> None:
    """An upload id is random hex, which now and then holds eleven digits in a row: scrubbed, the rating
    would no longer name its resource and could never be found by it again. A phone number beside it in
    the same key is still removed."""
    rid = "res-138123456789"
    records.feedback.submit("resource", rid, 5, "很实用")
    records.feedback.submit("answer", f"{rid}#第二节 联系 13912345678", 2, "没说地点")
    refs = sorted(r[0] for r in records.db.conn.execute("SELECT target_ref FROM feedback"))
    assert refs == [rid, f"{rid}#第二节 联系 {REDACTED}"]
    page = records.feedback.comments(target=rid)
    assert page["total"] == 2


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


def test_comments_newest_week_first_with_what_was_rated_and_never_who(records: Records) -> None:
    """An admin reads the written comments back: each with its rating, what was rated (by title), the kind of
    surface and the week, newest week first; ratings without words are left to the summary."""
    from assistant.records.feedback import NO_CHANNEL, comment_line

    titles = {"res-3f2a9c0d1e2b": "青溪镇暑期研修班安排"}
    records.feedback.submit("answer", "res-3f2a9c0d1e2b#一、研修时间与地点", 2, "时间写得不清楚，电话 13812345678",
                            channel_kind="telegram", now=datetime(2026, 3, 3, tzinfo=UTC))
    records.feedback.submit("training", "骨干教师研修班", 5, "很有收获", channel_kind="web",
                            now=datetime(2026, 11, 26, tzinfo=UTC))
    records.feedback.submit("resource", "res-3f2a9c0d1e2b", 4, "   ", channel_kind="api")  # no words
    records.feedback.submit("training", "骨干教师研修班", 3, "旧评价", now=datetime(2025, 12, 1, tzinfo=UTC))
    page = records.feedback.comments(titles)
    assert (page["total"], page["offset"], page["limit"]) == (3, 0, 10)
    assert [c["period"] for c in page["comments"]] == ["2026-W48", "2026-W10", "2025-W49"]
    newest, older, oldest = page["comments"]
    assert newest == {"rating": 5, "comment": "很有收获", "target_kind": "training", "target_kind_label": "培训项目",
                      "target_ref": "骨干教师研修班", "target_label": "骨干教师研修班", "channel_kind": "web",
                      "channel_label": "网页控制台", "period": "2026-W48", "week_label": "2026 年第 48 周"}
    assert older["target_label"] == "《青溪镇暑期研修班安排》 一、研修时间与地点"
    assert older["comment"] == f"时间写得不清楚，电话 {REDACTED}"
    assert oldest["channel_label"] == NO_CHANNEL
    assert comment_line({**newest, "comment": "第一行\n\n 第二行"}).endswith("骨干教师研修班：第一行 第二行")
    assert comment_line(older) == (f"2026 年第 10 周 · 2 分 · Telegram 机器人 · 助手回答 《青溪镇暑期研修班安排》 "
                                   f"一、研修时间与地点：时间写得不清楚，电话 {REDACTED}")


def test_comments_page_in_one_stable_order_that_does_not_follow_submission(records: Records) -> None:
    """Within a week the order is the random key's: the same on every read and every page, and unrelated to
    the order the comments came in (which could point at who wrote them)."""
    now = datetime(2026, 11, 26, tzinfo=UTC)
    for n in range(25):
        records.feedback.submit("training", "国培示范项目", 1 + n % 5, f"第{n}条", now=now)
    whole = [c["comment"] for c in records.feedback.comments(limit=25)["comments"]]
    paged = [c["comment"] for offset in (0, 10, 20)
             for c in records.feedback.comments(limit=10, offset=offset)["comments"]]
    assert paged == whole and sorted(whole) == sorted(f"第{n}条" for n in range(25))
    assert whole != [f"第{n}条" for n in range(25)]
    assert records.feedback.comments(offset=30) == {"total": 25, "offset": 30, "limit": 10, "comments": []}
    for bad in ({"limit": 0}, {"limit": 101}, {"limit": True}, {"offset": -1}):
        with pytest.raises(ValueError, match=r"条数|起始位置"):
            records.feedback.comments(**bad)  # type: ignore[arg-type]


def test_comments_about_one_target_or_only_some_documents(records: Records) -> None:
    """``target`` is a stored key or a document id (its resource rating and the answers citing it);
    ``documents`` keeps ratings of those documents only, as a trainer reads about their own uploads."""
    for kind, ref in (("answer", "res-aaaaaaaaaaaa#一、对象"), ("answer", "res-aaaaaaaaaaaa#二、时间"),
                      ("resource", "res-aaaaaaaaaaaa"), ("answer", "res-bbbbbbbbbbbb#一、对象"),
                      ("resource", "res-bbbbbbbbbbbb"), ("training", "res-aaaaaaaaaaaa 研修班"),
                      ("answer", "未找到依据的回答")):
        records.feedback.submit(kind, ref, 3, f"{kind} {ref}")

    def refs(**kwargs: object) -> set[str]:
        return {c["target_ref"] for c in records.feedback.comments(limit=100, **kwargs)["comments"]}  # type: ignore[arg-type]

    assert refs(target="res-aaaaaaaaaaaa") == {"res-aaaaaaaaaaaa#一、对象", "res-aaaaaaaaaaaa#二、时间", "res-aaaaaaaaaaaa"}
    assert refs(target=" res-aaaaaaaaaaaa#二、时间 ") == {"res-aaaaaaaaaaaa#二、时间"}
    assert refs(target="未找到依据的回答") == {"未找到依据的回答"}
    assert refs(target="res-cccccccccccc") == set()
    assert refs(documents=["res-bbbbbbbbbbbb"]) == {"res-bbbbbbbbbbbb#一、对象", "res-bbbbbbbbbbbb"}
    assert refs(documents=["res-bbbbbbbbbbbb"], target="res-aaaaaaaaaaaa") == set()
    assert refs(documents=[]) == set()
    assert len(refs()) == 7


def test_the_heading_says_whose_comments_how_many_and_which_follow() -> None:
    from assistant.records.feedback import comments_heading

    item = {"comment": "好"}
    assert comments_heading({"total": 0, "offset": 0, "comments": [], "scope": "all"}) == "还没有匿名评语。"
    assert comments_heading({"total": 0, "offset": 0, "comments": [], "scope": "own"}) == "还没有对你上传的资源的匿名评语。"
    assert comments_heading({"total": 2, "offset": 0, "comments": [item] * 2}) == "匿名评语共 2 条，最新的周在前："
    assert comments_heading({"total": 25, "offset": 10, "comments": [item] * 10, "scope": "all"}) == \
        "匿名评语共 25 条，最新的周在前；以下为第 11–20 条："
    assert comments_heading({"total": 11, "offset": 10, "comments": [item], "scope": "own"}) == \
        "对你上传的资源的匿名评语共 11 条，最新的周在前；以下为第 11 条："
    assert comments_heading({"total": 11, "offset": 20, "comments": []}) == "匿名评语共 11 条，第 20 条之后没有了。"
