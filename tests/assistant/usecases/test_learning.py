"""Companion learning through the facade: reading records enrols nobody, and an admin's export is the cohort."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from assistant.companion import Companion
from assistant.db import Database
from assistant.errors import Forbidden, NotFound
from assistant.records import Records
from assistant.records.exports import COHORT_HEADERS, TEACHER_HEADERS
from assistant.roles import Actor
from assistant.usecases.learning import Learning
from assistant.usecases.people import People

TEACHER = Actor("api", "1", "王老师", "teacher", user_id=1)
ADMIN = Actor("api", "2", "张主任", "admin", user_id=2)
TRAINER = Actor("api", "3", "李培训", "trainer", user_id=3)


@pytest.fixture
def learning(tmp_path: Path) -> Learning:
    # Reading records needs no knowledge base: the companion's assistant is never reached here.
    records = Records(Database(tmp_path / "guopei.sqlite3"))
    return Learning(Companion(None, records))  # type: ignore[arg-type]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def credit(learning: Learning, actor: Actor) -> str:
    teacher = learning.teacher(actor)
    learning.records.ledger.add(teacher.id, 1, 0.1, "集中培训", "training", "p1")
    return teacher.id


def enrolled(learning: Learning) -> int:
    return len(learning.records.teachers.list())


def test_reading_ones_own_empty_record_enrols_nobody(learning: Learning) -> None:
    """Progress, balance, reviews and one's own export for an account with no record: empty, and no teacher
    is added to the statistics by having looked."""
    progress: dict[str, Any] = learning.progress(ADMIN)
    assert (progress["attempts"], progress["credits"], progress["due_reviews"]) == (0, 0.0, 0)
    assert learning.balance(ADMIN) == {"hours": 0.0, "credits": 0.0}
    reviews = learning.reviews(ADMIN)
    assert (reviews["due"], reviews["tasks"], reviews["upcoming"], reviews["next_due"]) == (0, [], 0, None)
    assert rows(learning.export_csv(TEACHER, TEACHER)) == [list(TEACHER_HEADERS)]
    assert enrolled(learning) == 0


def test_right_after_a_mistake_review_says_how_many_are_scheduled_and_when(learning: Learning) -> None:
    """A wrong answer's review is due the next day: asked for review at once, the teacher hears how many are
    scheduled and the day the first comes, not just that nothing is due; with nothing scheduled, plainly that."""
    nothing = learning.reviews(TEACHER)
    assert nothing["message"] == "目前没有需要复习的错题，也没有已安排的复习：答错的题会从第二天起安排复习。"
    teacher = learning.teacher(TEACHER)
    evening = datetime(2026, 12, 7, 12, 30, tzinfo=UTC)  # 20:30 Beijing
    for task_id in ("t1", "t2"):
        learning.records.tasks.save({"id": task_id, "type": "choice", "topic": "师德师风",
                                     "source_chunk_id": "doc:v:00001", "question": "题目", "answer": "A"})
        learning.records.reviews.record(teacher.id, task_id, False, now=evening)
    out = learning.reviews(TEACHER, now=evening + timedelta(minutes=5))
    assert (out["due"], out["tasks"], out["upcoming"], out["next_due"]) == (0, [], 2, "2026-12-08")
    assert out["message"] == "现在没有到期的复习题；已安排 2 道，最早一道 12月8日 到期。"


def test_a_label_nobody_used_is_still_refused(learning: Learning) -> None:
    """At the machine a mistyped ``--user`` label is an error, not an empty page; the operator's own learner
    (no label given) is not a typo and reads as empty."""
    for read in (learning.progress, learning.balance, learning.reviews):
        with pytest.raises(NotFound, match="未找到用户「zhnag」"):
            read(People.operator("zhnag"))
    assert learning.progress(People.operator())["attempts"] == 0
    assert enrolled(learning) == 0


def test_an_admins_export_without_a_name_is_the_cohort(learning: Learning) -> None:
    """Wherever an admin asks from (an account at the command line, the API), an export naming no one is the
    cohort, as the operator's is; it does not enrol the admin. Others get their own records."""
    teacher_id = credit(learning, TEACHER)
    cohort = rows(learning.export_csv(ADMIN))
    assert cohort[0] == list(COHORT_HEADERS) and [r[0] for r in cohort[1:]] == [teacher_id]
    assert learning.export_csv(People.operator()) == learning.export_csv(ADMIN)
    own = rows(learning.export_csv(TEACHER))
    assert own[0] == list(TEACHER_HEADERS) and {r[0] for r in own[1:]} == {teacher_id}
    assert rows(learning.export_csv(TRAINER)) == [list(TEACHER_HEADERS)]
    assert enrolled(learning) == 1


def test_staff_export_one_named_teacher_a_teacher_only_themselves(learning: Learning) -> None:
    teacher_id = credit(learning, TEACHER)
    for staff in (TRAINER, ADMIN):
        assert {r[0] for r in rows(learning.export_csv(staff, TEACHER))[1:]} == {teacher_id}
    with pytest.raises(Forbidden):
        learning.export_csv(TEACHER, TRAINER)


def test_a_review_answered_right_stays_scheduled_because_it_comes_back(learning: Learning) -> None:
    """Reviews never retire: a review answered right is rescheduled further out (1 → 3 → 7 … days), so the
    count of scheduled reviews keeps it and the message says the later day it comes back. Only a review
    that will come due again is ever counted."""
    teacher = learning.teacher(TEACHER)
    learning.records.tasks.save({"id": "t1", "type": "choice", "topic": "师德师风",
                                 "source_chunk_id": "doc:v:00001", "question": "题目", "answer": "A"})
    evening = datetime(2026, 12, 7, 12, 30, tzinfo=UTC)  # 20:30 Beijing
    learning.records.record_answer(teacher.id, "t1", "B", False, now=evening)
    assert learning.reviews(TEACHER, now=evening)["message"] == "现在没有到期的复习题；已安排 1 道，最早一道 12月8日 到期。"
    next_day = evening + timedelta(days=1)
    assert learning.records.reviews.due(teacher.id, next_day) == ["t1"]
    learning.records.record_answer(teacher.id, "t1", "A", True, now=next_day)
    out = learning.reviews(TEACHER, now=next_day)
    assert (out["due"], out["upcoming"], out["next_due"]) == (0, 1, "2026-12-11")
    assert out["message"] == "现在没有到期的复习题；已安排 1 道，最早一道 12月11日 到期。"


class _Library:
    """The one thing the feedback listing asks of the knowledge base: its documents and their titles."""

    def documents(self) -> list[dict[str, Any]]:
        return [{"doc_id": "res-3f2a9c0d1e2b", "title": "青溪镇暑期研修班安排", "doc_number": "", "kind": "resource",
                 "chunks": 3}]


def test_the_feedback_summary_names_a_rated_answers_document_by_its_title(tmp_path: Path) -> None:
    """What the console's table and the API's summary list: the key as stored, and the cited document's title
    from the knowledge base in place of its id."""
    records = Records(Database(tmp_path / "guopei.sqlite3"))
    learning = Learning(Companion(_Library(), records))  # type: ignore[arg-type]
    learning.feedback(TEACHER, "answer", "res-3f2a9c0d1e2b#一、研修时间与地点", 5)
    [target] = learning.feedback_summary(ADMIN)["by_target"]
    assert target["target_ref"] == "res-3f2a9c0d1e2b#一、研修时间与地点"
    assert target["target_label"] == "《青溪镇暑期研修班安排》 一、研修时间与地点"
    with pytest.raises(Forbidden):
        learning.feedback_summary(TRAINER)


def test_an_admin_reads_every_comment_a_trainer_those_on_their_own_uploads(tmp_path: Path) -> None:
    """The comments teachers wrote, for follow-up: an admin reads all of them, newest week first; a trainer
    only those about resources they uploaded (rated directly or through an answer citing them), as with their
    jobs; a teacher none. No comment says who wrote it."""
    from assistant.records.resources import ResourceRows
    from assistant.records.users import UserStore

    db = Database(tmp_path / "guopei.sqlite3")
    records = Records(db)
    users = UserStore(db)
    owner, other = users.add("李培训", "trainer")[0], users.add("赵培训", "trainer")[0]
    rows = ResourceRows(db)
    rows.insert("res-3f2a9c0d1e2b", title="青溪镇暑期研修班安排", kind="resource", subject="", stage="", tags=(),
                filename="a.txt", uploader_id=owner.id)
    learning = Learning(Companion(_Library(), records), uploads=rows)  # type: ignore[arg-type]
    learning.feedback(TEACHER, "answer", "res-3f2a9c0d1e2b#一、研修时间与地点", 2, "地点写得不清楚")
    learning.feedback(TEACHER, "resource", "res-3f2a9c0d1e2b", 5, "很实用")
    learning.feedback(TEACHER, "training", "骨干教师研修班", 4, "安排紧凑")
    learning.feedback(TEACHER, "training", "骨干教师研修班", 3)  # a rating without words

    everything = learning.feedback_comments(ADMIN)
    assert (everything["total"], everything["scope"]) == (3, "all")
    labels = {c["target_label"] for c in everything["comments"]}
    assert labels == {"《青溪镇暑期研修班安排》 一、研修时间与地点", "《青溪镇暑期研修班安排》", "骨干教师研修班"}
    assert {c["channel_label"] for c in everything["comments"]} == {"HTTP API"}
    assert TEACHER.name not in str(everything)
    assert set(everything["comments"][0]) == {"rating", "comment", "target_kind", "target_kind_label", "target_ref",
                                              "target_label", "channel_kind", "channel_label", "period", "week_label"}

    trainer = Actor("api", str(owner.id), owner.name, "trainer", user_id=owner.id)
    own = learning.feedback_comments(trainer)
    assert (own["total"], own["scope"]) == (2, "own")
    assert {c["comment"] for c in own["comments"]} == {"地点写得不清楚", "很实用"}
    assert learning.feedback_comments(trainer, target="骨干教师研修班")["total"] == 0
    stranger = Actor("api", str(other.id), other.name, "trainer", user_id=other.id)
    assert learning.feedback_comments(stranger)["comments"] == []
    assert learning.feedback_comments(ADMIN, target="res-3f2a9c0d1e2b", limit=1)["total"] == 2
    with pytest.raises(Forbidden):
        learning.feedback_comments(TEACHER)


class _Shelf:
    """A knowledge base that is only its chunks: all a plan is made from."""

    def __init__(self, chunks: list[Any]) -> None:
        self.held = chunks

    def chunks(self) -> list[Any]:
        return list(self.held)


def test_a_profile_change_re_ranks_the_plan_alike_however_it_is_made(tmp_path: Path) -> None:
    """The bot's onboarding changes one field at a time (``update_profile``), the command line, the API and
    the console all at once (``update_plan``): either way the plan keeps its start, the teacher's pick and the
    day done, and the days ahead are the same, ranked for the new profile. A profile change used to rebuild
    the plan from today with nothing done."""
    from tests.assistant.records.test_plans import library

    records = Records(Database(tmp_path / "guopei.sqlite3"))
    learning = Learning(Companion(_Shelf(library()), records))  # type: ignore[arg-type]
    other = Actor("telegram", "77", "赵老师", "teacher")
    plans = {}
    for actor in (TEACHER, other):
        made = learning.update_plan(actor, stage="新任", subject="学前教育", school_level="幼儿园", weeks=2,
                                    pick=("经费",))
        assert made.items[0].section == "三、保障措施 > （二）强化经费保障"
        assert learning.records.plans.mark_done(learning.teacher(actor).id, made.items[0].topic_id)
        plans[actor.surface] = made
    learning.update_plan(TEACHER, subject="语文", school_level="小学")
    learning.update_profile(other, subject="语文")
    learning.update_profile(other, school_level="小学")
    after = {actor.surface: learning.plan(actor) for actor in (TEACHER, other)}
    assert [i.topic_id for i in after["api"].items] == [i.topic_id for i in after["telegram"].items]
    for surface, plan in after.items():
        made = plans[surface]
        assert plan.start == made.start and plan.picked == made.picked and plan.items[0].done
        assert sum(i.done for i in plan.items) == 1
        assert plan.next_item().topic_id.startswith("outline#"), "the 小学语文 outline comes first now"
        assert not any(i.topic_id.startswith("kg#") for i in plan.items), "the kindergarten document is left out"


def test_a_rating_of_a_resource_id_the_knowledge_base_does_not_have_is_refused(tmp_path: Path) -> None:
    """A mistyped 「res-…」 would be stored as a dead key, listed to admins as the bare id; a resource named in
    words (no id) is kept as written, and a known id is accepted."""
    records = Records(Database(tmp_path / "guopei.sqlite3"))
    learning = Learning(Companion(_Library(), records))  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="没有编号为 res-nothere 的资源"):
        learning.feedback(TEACHER, "resource", "res-nothere", 5, "很好")
    assert records.feedback.aggregate()["count"] == 0
    learning.feedback(TEACHER, "resource", " res-3f2a9c0d1e2b", 4)
    learning.feedback(TEACHER, "resource", "青溪镇暑期研修班", 4)
    assert records.feedback.aggregate()["count"] == 2
