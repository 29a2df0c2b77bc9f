"""Companion learning for an actor: quizzes, grading, next steps, progress, plans, reviews, feedback, exports.

Each channel hands over an ``Actor``; the teacher record behind it is found here, and created by what a
learner does (a quiz, an answer, a plan), never by reading progress, reviews or records. Plan changes take one path everywhere: a profile change re-ranks the plan (its start,
the teacher's picks and drops and the days done are kept), whether it came from the API's ``PUT /v1/me/plan``,
the CLI's ``plan --stage``, the console or the bot's onboarding buttons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant.answering import Answer
from assistant.companion import QUIZZED, Companion, quizzable
from assistant.errors import InvalidInput, NotFound
from assistant.learning.gift import to_gift
from assistant.learning.grading import reads_as_question
from assistant.learning.tasks import ServedTask
from assistant.records import Plan, Records, Teacher
from assistant.records.feedback import COMMENTS_LIMIT
from assistant.records.resources import UPLOAD_PREFIX, ResourceRows
from assistant.records.review import Upcoming, reviews_message
from assistant.records.teachers import aware, local_date, validate_profile
from assistant.roles import Actor, allowed, require

PROFILE = ("stage", "subject", "school_level")


@dataclass(frozen=True)
class Quiz:
    """Served tasks and what every surface tells the teacher with them (``message``; empty when the tasks
    need no word): why there are none, or that they are on text related to a question the documents leave open."""

    tasks: list[ServedTask] = field(default_factory=list)
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"tasks": [t.as_dict() for t in self.tasks], "message": self.message}


def can_quiz(answer: Mapping[str, Any]) -> bool:
    """Whether a surface offers 「做个小测」 under an answer in the JSON contract: the same rule as the quiz
    itself (``companion.quizzable``), so the button never leads to an empty quiz for want of cited text."""
    return answer.get("verdict") in {v.value for v in QUIZZED} and bool(answer.get("citations"))


class Learning:
    def __init__(self, companion: Companion, throttle: Any = None, uploads: ResourceRows | None = None) -> None:
        self.companion = companion
        self.records: Records = companion.records
        self.throttle = throttle or (lambda actor: None)  # set by the facade: quizzes ask, so they count
        # Who uploaded what, so a trainer reads the comments on their own resources; the same database.
        self.uploads = uploads or ResourceRows(self.records.db)

    # -- who --------------------------------------------------------------------------------------------
    def teacher(self, actor: Actor) -> Teacher:
        """The teacher record behind an account, created on first contact."""
        return self.companion.teacher(actor.channel, actor.external_id, actor.name[:64])

    def known(self, actor: Actor) -> Teacher | None:
        """The teacher behind the actor, or None. Looking enrols nobody: an admin reading the cohort or a
        teacher opening an empty progress page must not become a learner in the statistics."""
        return self.records.teachers.find_by_channel(actor.channel, actor.external_id)

    def _known(self, actor: Actor) -> Teacher:
        """The learner an answer is credited to: an account is enrolled by its first answer, but a label
        nobody was served tasks under is a typo, whose credit would land on a learner nobody reads."""
        if actor.registered:
            return self.teacher(actor)
        return self._unknown(actor)

    def _reading(self, actor: Actor) -> Teacher | None:
        """Whose records to read: None for an account that has none yet (an empty record, not an error),
        but a label nobody has used is refused rather than shown as an empty page for a typo."""
        teacher = self.known(actor)
        if teacher is None and not actor.registered:
            return self._unknown(actor)
        return teacher

    def _unknown(self, actor: Actor) -> Teacher:
        teacher = self.known(actor)
        if teacher is None:
            raise NotFound(f"未找到用户「{actor.external_id}」：请核对用户名，或先为其出一道小测。")
        return teacher

    # -- tasks ------------------------------------------------------------------------------------------
    def quiz(self, actor: Actor, *, question: str | None = None, topic: str | None = None,
             limit: int = 6, history: Sequence[dict[str, Any]] | None = None) -> Quiz:
        require(actor, "learn")
        question, topic = (question or "").strip() or None, (topic or "").strip() or None
        if not question and not topic:
            raise InvalidInput("请提供问题或主题之一，依据它的原文出题。")
        self.throttle(actor)
        self.teacher(actor)  # serving tasks is first contact: grading them later finds this learner
        offer = self.companion.offer(question=question, topic=topic, limit=limit,
                                     history=history if question else None)
        return Quiz([t.served() for t in offer.tasks], offer.note)

    def suggested(self, answer: Answer) -> list[ServedTask]:
        """Up to two tasks on what was just answered, or on the related text an answer cited when the documents
        do not state what was asked (none when nothing was cited): one objective, one reflection."""
        if not quizzable(answer):
            return []
        tasks = self.companion.quiz(answer=answer)
        picks = [next((t for t in tasks if t.objective), None), next((t for t in tasks if t.type == "reflection"),
                                                                      None)]
        return [t.served() for t in picks if t is not None]

    def task(self, actor: Actor, task_id: str) -> ServedTask:
        require(actor, "learn")
        return self.companion.task(task_id).served()

    def grade(self, actor: Actor, task_id: str, response: str | list[str]) -> dict[str, Any]:
        require(actor, "learn")
        return self.companion.answer_task(self._known(actor).id, task_id, response)

    def reads_as_question(self, actor: Actor, task_id: str, text: str) -> bool:
        """Whether text typed while a task waits for a typed answer is a new question to answer instead. A chat
        surface asks before grading, so the question is answered and the task stays open; grading refuses such
        text anyway (nothing recorded), so a surface that does not ask loses nothing either."""
        require(actor, "learn")
        return reads_as_question(self.companion.task(task_id), text)

    def next_step(self, actor: Actor) -> dict[str, Any]:
        """A due review, a weak topic or today's plan topic, with tasks for it. Without a plan the step says
        to make one (``has_plan`` is False, so a surface can add its own way: a command, a button); it does not
        make one unasked (the teacher chooses stage and length first)."""
        require(actor, "learn")
        teacher = self.teacher(actor)
        step, tasks = self.companion.what_next(teacher.id)
        # ``has_plan``: whether the way forward is to make a plan, which each surface offers in its own way.
        return {"step": step.as_dict(), "tasks": [t.served() for t in tasks],
                "has_plan": self.records.plans.load(teacher.id) is not None}

    def reviews(self, actor: Actor, limit: int = 3, now: datetime | None = None) -> dict[str, Any]:
        """Tasks due for review (the longest waiting first) and how many are due in all; how many more are
        scheduled but not yet due (``upcoming``) and the local day the first of them is due (``next_due``, ISO
        date or None), since a mistake only comes back the next day; and ``message``, what to tell the teacher."""
        require(actor, "learn")
        now = aware(now)
        teacher = self._reading(actor)
        due = self.records.reviews.due(teacher.id, now) if teacher else []
        upcoming = self.records.reviews.upcoming(teacher.id, now) if teacher else Upcoming(0, None)
        tasks = []
        for task_id in due[:limit]:
            try:
                tasks.append(self.companion.task(task_id).served())
            except NotFound:
                continue
        return {"due": len(due), "tasks": tasks, "upcoming": upcoming.count,
                "next_due": upcoming.next_due.isoformat() if upcoming.next_due else None,
                "message": reviews_message(len(due), len(tasks), upcoming, local_date(now))}

    def reminder_schedule(self, channel: str) -> list[tuple[str, str]]:
        """Who on a channel wants a daily reminder, and when (Beijing time): rebuilt by a bot at start-up."""
        return self.records.teachers.reminders(channel)

    def reminder(self, actor: Actor) -> str | None:
        """Today's nudge for a teacher who asked for reminders (None for someone unknown)."""
        teacher = self.records.teachers.find_by_channel(actor.channel, actor.external_id)
        return None if teacher is None else self.records.what_next(teacher.id).message

    # -- progress and balance ---------------------------------------------------------------------------
    def progress(self, actor: Actor) -> dict[str, Any]:
        require(actor, "learn")
        teacher = self._reading(actor)
        # An account with no record yet reads as a learner with nothing done: no row matches an empty id.
        return self.companion.progress(teacher.id if teacher else "")

    def balance(self, actor: Actor) -> dict[str, float]:
        require(actor, "learn")
        teacher = self._reading(actor)
        hours, credits = self.records.ledger.balance(teacher.id) if teacher else (0.0, 0.0)
        return {"hours": hours, "credits": credits}

    # -- plans and profile ------------------------------------------------------------------------------
    def plan(self, actor: Actor, *, rebuild: bool = False) -> Plan:
        require(actor, "learn")
        teacher = self.teacher(actor)
        if rebuild:
            existing = self.records.plans.load(teacher.id)
            return self._rebuild(teacher, existing.weeks if existing else 4, existing)
        return self.companion.plan(teacher.id)

    def update_plan(self, actor: Actor, *, stage: str | None = None, subject: str | None = None,
                    school_level: str | None = None, weeks: int | None = None, pick: tuple[str, ...] = (),
                    drop: tuple[str, ...] = ()) -> Plan:
        """Change the profile or the length (the plan is re-ranked, keeping its start, picks, drops and days
        done), then pick and drop. Everything is validated before anything is written, so a refusal leaves profile and plan as they were."""
        require(actor, "learn")
        teacher = self.teacher(actor)
        changes = {k: v for k, v in (("stage", stage), ("subject", subject), ("school_level", school_level))
                   if v is not None}
        profile = validate_profile(changes)
        if weeks is not None and not 1 <= weeks <= 52:
            raise InvalidInput("计划周数应在 1 到 52 之间")
        plan = self.companion.plan(teacher.id)
        # A topic by id, listed number or words of its heading: teachers see numbers and headings, not ids.
        pick, drop = (tuple(plan.find_topic(ref).id for ref in refs) for refs in (pick, drop))
        if set(pick) & set(drop):
            raise InvalidInput("同一主题不能既选入又移除")
        if profile:
            teacher = self.records.teachers.update_profile(teacher.id, **profile)
        if profile or weeks is not None:
            plan = self.companion.plan(teacher.id, weeks=weeks)  # re-ranked for them, days done kept
        for topic_id in reversed(pick):
            plan = self.records.plans.pick(teacher.id, topic_id)
        for topic_id in drop:
            plan = self.records.plans.drop(teacher.id, topic_id)
        return plan

    def update_profile(self, actor: Actor, **fields: Any) -> Teacher:
        """Profile fields (stage, subject, school level, reminder time); an existing plan follows the profile."""
        require(actor, "learn")
        teacher = self.teacher(actor)
        profile = {k: v for k, v in fields.items() if k in PROFILE}
        if profile and self.records.plans.load(teacher.id) is not None:
            self.update_plan(actor, **profile)
        elif profile:  # no plan yet: the first one will be built from this profile
            self.records.teachers.update_profile(teacher.id, **profile)
        rest = {k: v for k, v in fields.items() if k not in PROFILE}
        return self.records.teachers.update_profile(teacher.id, **rest) if rest else self.teacher(actor)

    def _rebuild(self, teacher: Teacher, weeks: int, old: Plan | None) -> Plan:
        """A plan for the current profile, replaying the old plan's picks and drops where they still apply."""
        plan = self.companion.plan(teacher.id, weeks=weeks, rebuild=True)
        if old is None:
            return plan
        known = {t.id for t in plan.topics}
        for topic_id in reversed(old.picked):  # pick() puts a topic first, so replay from the last
            if topic_id in known:
                plan = self.records.plans.pick(teacher.id, topic_id)
        for topic_id in old.dropped:
            if topic_id in known:
                plan = self.records.plans.drop(teacher.id, topic_id)
        return plan

    # -- feedback and exports ---------------------------------------------------------------------------
    def feedback(self, actor: Actor, target_kind: str, target_ref: str, rating: int, comment: str = "") -> str:
        """Anonymous by construction: nothing about the actor but its channel kind reaches the store."""
        require(actor, "feedback.submit")
        ref = target_ref.strip()
        if target_kind == "resource" and ref.startswith(UPLOAD_PREFIX) and ref not in self._titles():
            # A mistyped or deleted resource id would be kept as a dead key no one could trace to a file, and
            # the admin views would show it as the bare id: say so while the teacher can still correct it.
            raise NotFound(f"知识库中没有编号为 {ref} 的资源：请核对编号（资源列表中以 {UPLOAD_PREFIX} 开头的编号），"
                           "或直接填写资源的名称")
        return self.records.feedback.submit(target_kind, target_ref, rating, comment, channel_kind=actor.surface)

    def feedback_summary(self, actor: Actor) -> dict[str, Any]:
        """The ratings as every admin view lists them: each target named by its document's title, read from
        the knowledge base now, since the anonymous store keeps only the document id and section."""
        require(actor, "feedback.summary")
        return self.records.feedback.aggregate(self._titles())

    def feedback_comments(self, actor: Actor, *, limit: int = COMMENTS_LIMIT, offset: int = 0,
                          target: str | None = None) -> dict[str, Any]:
        """The written comments, newest week first, for the follow-up the programme asks of anonymous
        evaluation: an admin reads all of them, a trainer those on the resources they uploaded (rated as a
        resource or through an answer citing it), as with their jobs. ``scope`` says which, so a surface can
        word its heading without knowing the rule. Nothing identifies the writer: the store keeps nothing
        that could."""
        require(actor, "feedback.comments")
        mine = None if actor.is_admin else self._uploaded_by(actor)
        page = self.records.feedback.comments(self._titles(), limit=limit, offset=offset, target=target,
                                              documents=mine)
        return {**page, "scope": "all" if mine is None else "own"}

    def _uploaded_by(self, actor: Actor) -> list[str]:
        """The resources this account uploaded; none for an account without a ``users`` row."""
        if actor.user_id is None:
            return []
        return [row["id"] for row in self.uploads.list() if row.get("uploader_id") == actor.user_id]

    def _titles(self) -> dict[str, str]:
        """The knowledge base's titles by document id, read now: the anonymous store keeps only the id."""
        return {d["doc_id"]: d["title"] for d in self.companion.assistant.documents()}

    def export_csv(self, actor: Actor, who: Actor | None = None) -> str:
        """One teacher's records and credits (their own, or anyone's for staff). With no one named: the
        whole cohort for whoever may read it (an admin, wherever they ask from), else one's own records."""
        if who is None:
            if actor.role in allowed("stats.read"):
                return self.records.exports.cohort_csv(None)
            who = actor
        if who.key != actor.key:
            require(actor, "learners.read")
        teacher = self._reading(who)
        return self.records.exports.teacher_csv(teacher.id if teacher else None)

    def export_gift(self, actor: Actor, *, question: str | None = None, topic: str | None = None) -> str:
        """A Moodle question bank (keys included: for trainers building courses, not for teachers)."""
        require(actor, "resources.read")
        if not (question or "").strip() and not (topic or "").strip():
            raise InvalidInput("导出 GIFT 题库需要问题或主题。")
        return to_gift(self.companion.quiz(question=question, topic=topic, limit=50))
