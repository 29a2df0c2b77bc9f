"""Personal study plans (自主选学, 分层分类精准培训): which knowledge-base section to practise each day.

Topics are ranked for the teacher (``topics.score_topic``: keyword weights per development stage, then
subject and school level), and the teacher's own picks always come first and drops never appear. A teacher picks a topic by the number it is listed under or by words of its heading
(``Plan.find_topic``); a document's preamble is not a topic. Plans are JSON in ``plans`` so their shape can grow without migrations; the candidate
topics are stored with the plan so a pick or drop can re-plan without the knowledge base at hand.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from typing import Any

from assistant.db import Database
from assistant.errors import InvalidInput, NotFound
from assistant.records.attempts import AttemptLog
from assistant.records.review import due_in
from assistant.records.teachers import aware, local_date, to_iso
from assistant.records.topics import Topic, score_topic
from assistant.titles import short_title
from indexer.structure import PATH_SEPARATOR


@dataclass(frozen=True)
class PlanItem:
    day: int
    week: int
    date: str
    topic_id: str
    title: str
    section: str
    done: bool = False

    @property
    def short_title(self) -> str:
        """The document's short title: a section path alone (三、课程模块) does not say which document it is in."""
        return short_title(self.title)


@dataclass(frozen=True)
class Plan:
    profile: dict[str, str]
    weeks: int
    start: str
    picked: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()
    items: tuple[PlanItem, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The plan as stored and as the API returns it; topics and days also carry the document's
        ``short_title`` and the topic's ``number`` (``number``), which are worked out again when read back.
        The number is what a teacher picks or drops a topic by on the command line, shown before each day
        on every surface, so the API gives it too rather than leaving clients to count."""
        out = asdict(self)
        numbers: dict[str, int] = {}  # as ``number`` gives them (the first of an id), worked out once
        for n, t in enumerate(self.topics, 1):
            numbers.setdefault(t.id, n)
        for shown, kept in ((out["topics"], self.topics), (out["items"], self.items)):
            for row, obj in zip(shown, kept, strict=True):
                row["short_title"] = obj.short_title
                row["number"] = numbers.get(obj.id if isinstance(obj, Topic) else obj.topic_id, 0)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Plan:
        return cls(profile=dict(data["profile"]), weeks=int(data["weeks"]), start=data["start"],
                   picked=tuple(data.get("picked", ())), dropped=tuple(data.get("dropped", ())),
                   topics=tuple(Topic(**{**_known(Topic, t), "tags": tuple(t.get("tags", ()))})
                                for t in data.get("topics", ())),
                   items=tuple(PlanItem(**_known(PlanItem, i)) for i in data.get("items", ())))

    def next_item(self) -> PlanItem | None:
        return next((i for i in self.items if not i.done), None)

    def number(self, topic_id: str) -> int:
        """A topic's number as teachers see it listed (1, 2, …, in reading order); 0 for none."""
        return next((n for n, t in enumerate(self.topics, 1) if t.id == topic_id), 0)

    def choices(self) -> list[str]:
        """Every topic as ``编号. 章节``, with the document's title when the plan spans several documents
        (the same heading may be in two of them)."""
        several = len({t.id.split("#", 1)[0] for t in self.topics}) > 1
        return [f"{n}. {t.section}" + (f"（《{t.short_title}》）" if several else "")
                for n, t in enumerate(self.topics, 1)]

    def find_topic(self, ref: str) -> Topic:
        """The topic ``ref`` names: its id, the number it is listed under, its section path or heading as
        shown (with or without its ordinal: 基本思路 for 一、基本思路), or a part of the section that only
        one topic has. No match or several: ``InvalidInput``
        listing the choices, so the teacher picks from what they can see rather than an internal id."""
        ref = ref.strip()
        if not ref:
            raise InvalidInput("请填写主题的编号或标题中的词")
        for t in self.topics:
            if t.id == ref:
                return t
        if ref.isdecimal():
            n = int(ref)
            if 1 <= n <= len(self.topics):
                return self.topics[n - 1]
            raise InvalidInput(f"没有编号为 {ref} 的主题：编号从 1 到 {len(self.topics)}。可选主题：{_listed(self.choices())}")
        key = _squeezed(ref)
        for match in (lambda t: _squeezed(t.section) == key,
                      lambda t: _squeezed(_heading(t)) == key,
                      lambda t: _squeezed(_ORDINAL.sub("", _heading(t))) == key,
                      lambda t: key in _squeezed(t.section)):
            found = [n for n, t in enumerate(self.topics) if match(t)]
            if len(found) == 1:
                return self.topics[found[0]]
            if found:
                choices = self.choices()
                raise InvalidInput(f"有 {len(found)} 个主题都含“{ref}”，请用编号或更完整的标题指明其中一个："
                                   f"{_listed([choices[n] for n in found])}")
        raise InvalidInput(f"计划中没有主题“{ref}”，请用编号或标题中的词从可选主题中选择：{_listed(self.choices())}")


def _known(kind: type, row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row's fields of ``kind``: what ``to_dict`` adds for readers (``short_title``) is not one."""
    names = {f.name for f in fields(kind)}
    return {k: v for k, v in row.items() if k in names}


MAX_LISTED = 30  # choices named in one refusal; a longer list is cut and counted


_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]|\d+\s*[.．、]"
                      r"|第[一二三四五六七八九十百\d]+[章节条部分])\s*")


def _heading(topic: Topic) -> str:
    """The innermost heading of a topic's section path (二、重点工作 > 1. 突出… → 1. 突出…)."""
    return topic.section.split(PATH_SEPARATOR)[-1]


def _squeezed(text: str) -> str:
    """Text compared as a teacher would type it: case and spacing do not matter."""
    return re.sub(r"\s+", "", text).casefold()


def _listed(choices: Sequence[str]) -> str:
    more = f"……共 {len(choices)} 个" if len(choices) > MAX_LISTED else ""
    return "；".join(choices[:MAX_LISTED]) + more


def plan_profile(profile: Any) -> dict[str, str]:
    """What of a teacher (their record, or a mapping) a plan is ranked by: stage, subject and school level."""
    get = profile.get if isinstance(profile, Mapping) else lambda k, d="": getattr(profile, k, d)
    return {k: str(get(k, "") or "") for k in ("stage", "subject", "school_level")}


def build_plan(profile: Any, topics: Sequence[Topic], weeks: int = 4, picked: Iterable[str] = (),
               dropped: Iterable[str] = (), start: date | None = None) -> Plan:
    """One micro-task a day for ``weeks`` weeks; with fewer topics than days the ranked list repeats, which
    doubles as a second pass over the most relevant sections.

    Picks come first. Then the documents written for this teacher (their school level, subject or stage named
    in the title), then those for everyone, each by ``score_topic``; documents for another level or subject
    (``Audience.excludes``) are scheduled only when picked, or when nothing else is left to schedule."""
    if not 1 <= weeks <= 52:
        raise InvalidInput("计划周数应在 1 到 52 之间")
    prof = plan_profile(profile)
    drop, pick = set(dropped), [t for t in dict.fromkeys(picked) if t not in set(dropped)]
    rank = {tid: i for i, tid in enumerate(pick)}
    pool = [t for t in topics if t.id not in drop]
    fitting = [t for t in pool if t.id in rank or not t.audience.excludes(prof)]
    pool = fitting or pool
    ordered = sorted(enumerate(pool), key=lambda it: (rank.get(it[1].id, len(rank)), -it[1].audience.fit(prof),
                                                      -score_topic(it[1], prof), it[0]))
    chosen = [t for _, t in ordered]
    first = start or local_date(aware(None))
    items = tuple(PlanItem(day, day // 7 + 1, (first + timedelta(days=day)).isoformat(), t.id, t.title, t.section)
                  for day, t in ((d, chosen[d % len(chosen)]) for d in range(weeks * 7 if chosen else 0)))
    return Plan(prof, weeks, first.isoformat(), tuple(pick), tuple(sorted(drop)), tuple(topics), items)


@dataclass(frozen=True)
class NextStep:
    kind: str  # review | weak | plan | none
    message: str
    task_id: str | None = None
    topic: str | None = None
    item: PlanItem | None = None
    doc_id: str | None = None  # a weak topic's document: it is practised there, not searched for everywhere

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _done_kept(old: Plan, new: Plan) -> Plan:
    """``new``'s order over the days ``old`` left open. A day already done stays done where it was (its date
    and topic), so a re-plan (a pick or drop, a new profile or length, a changed knowledge base) neither undoes
    work nor moves it to a later date, and the days ahead follow the new order; each topic studied on a done
    day is taken once out of what ``new`` would schedule, so it does not come round again sooner. A done day
    of a topic no longer in the knowledge base is not kept; one past the end of a shortened plan moves to its
    first open day."""
    known = {t.id for t in new.topics}
    length = len(new.items)
    done = [i for i in old.items if i.done and i.topic_id in known]
    queue = list(new.items)
    for item in done:
        at = next((n for n, q in enumerate(queue) if q.topic_id == item.topic_id), None)
        if at is not None:
            del queue[at]
    days = {i.day: i for i in done if i.day < length}
    open_days = [d for d in range(length) if d not in days]
    first = date.fromisoformat(new.start)
    ahead = [*(i for i in done if i.day >= length), *queue]
    for day, item in zip(open_days, ahead, strict=False):
        days[day] = replace(item, day=day, week=day // 7 + 1, date=(first + timedelta(days=day)).isoformat())
    return replace(new, items=tuple(days[d] for d in sorted(days)))


def _save_in(conn: sqlite3.Connection, teacher_id: str, plan: Plan, now: datetime | None) -> None:
    stamp = to_iso(aware(now))
    conn.execute("INSERT INTO plans (teacher_id, payload, created_at, updated_at) VALUES (?, ?, ?, ?)"
                 " ON CONFLICT (teacher_id) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at",
                 (teacher_id, json.dumps(plan.to_dict(), ensure_ascii=False), stamp, stamp))


class PlanStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, teacher_id: str, plan: Plan, now: datetime | None = None) -> Plan:
        with self.db.transaction() as conn:
            _save_in(conn, teacher_id, plan, now)
        return plan

    def load(self, teacher_id: str) -> Plan | None:
        row = self.db.conn.execute("SELECT payload FROM plans WHERE teacher_id = ?", (teacher_id,)).fetchone()
        return Plan.from_dict(json.loads(row[0])) if row else None

    def create(self, teacher_id: str, profile: Any, topics: Sequence[Topic], weeks: int = 4,
               now: datetime | None = None) -> Plan:
        return self.save(teacher_id, build_plan(profile, topics, weeks, start=local_date(aware(now))), now)

    def _replan(self, teacher_id: str, picked: Iterable[str], dropped: Iterable[str],
                now: datetime | None) -> Plan:
        """Rebuild after a choice, keeping the days already done."""
        old = self._require(teacher_id)
        new = build_plan(old.profile, old.topics, old.weeks, picked, dropped, date.fromisoformat(old.start))
        return self.save(teacher_id, _done_kept(old, new), now)

    def follow(self, teacher_id: str, topics: Sequence[Topic], profile: Any = None, weeks: int | None = None,
               now: datetime | None = None) -> Plan:
        """The plan re-ranked for what changed since it was made: the knowledge base (documents deleted,
        replaced or added), the teacher's profile (``profile``: another stage, subject or school level ranks
        other documents first) or its length (``weeks``). It keeps its start, the picks and drops that still
        exist and the days already done; only the days ahead change, as ``build_plan`` would order them now."""
        old = self._require(teacher_id)
        known = {t.id for t in topics}
        new = build_plan(old.profile if profile is None else profile, topics, weeks or old.weeks,
                         [t for t in old.picked if t in known], [t for t in old.dropped if t in known],
                         date.fromisoformat(old.start))
        return self.save(teacher_id, _done_kept(old, new), now)

    def _require(self, teacher_id: str) -> Plan:
        plan = self.load(teacher_id)
        if plan is None:
            raise NotFound("还没有个人学习计划，请先生成计划")
        return plan

    def _known(self, plan: Plan, topic_id: str) -> None:
        if topic_id not in {t.id for t in plan.topics}:
            raise InvalidInput(f"计划中没有主题“{topic_id}”，请从可选主题中选择")

    def pick(self, teacher_id: str, topic_id: str, now: datetime | None = None) -> Plan:
        plan = self._require(teacher_id)
        self._known(plan, topic_id)
        return self._replan(teacher_id, (topic_id, *plan.picked), set(plan.dropped) - {topic_id}, now)

    def drop(self, teacher_id: str, topic_id: str, now: datetime | None = None) -> Plan:
        plan = self._require(teacher_id)
        self._known(plan, topic_id)
        return self._replan(teacher_id, [t for t in plan.picked if t != topic_id], {*plan.dropped, topic_id}, now)

    def mark_done(self, teacher_id: str, topic: str, now: datetime | None = None) -> bool:
        """Tick the first open day for this topic (matched by topic id or section path).

        Read and write share one transaction so two answers at once cannot tick the same day.
        """
        with self.db.transaction() as conn:
            row = conn.execute("SELECT payload FROM plans WHERE teacher_id = ?", (teacher_id,)).fetchone()
            plan = Plan.from_dict(json.loads(row[0])) if row else None
            for n, item in enumerate(plan.items if plan else ()):
                if not item.done and topic in (item.topic_id, item.section):
                    assert plan is not None
                    items = (*plan.items[:n], replace(item, done=True), *plan.items[n + 1:])
                    _save_in(conn, teacher_id, replace(plan, items=items), now)
                    return True
        return False

    def what_next(self, teacher_id: str, now: datetime | None = None) -> NextStep:
        """Due reviews first (forgetting is time-bound), then weak topics, then the plan."""
        now = aware(now)
        due = due_in(self.db.conn, teacher_id, now)
        if due:
            return NextStep("review", f"有 {len(due)} 道错题到了复习时间，先复习一下吧。", task_id=due[0])
        log = AttemptLog(self.db)
        weak = log.weak_topics(teacher_id)
        if weak:
            source = log.weak_source(teacher_id, weak[0])
            where = f"《{short_title(source[1])}》" if source and source[1] else ""
            return NextStep("weak", f"{where}“{weak[0]}”的正确率偏低，建议再练一练。", topic=weak[0],
                            doc_id=source[0] if source else None)
        plan = self.load(teacher_id)
        item = plan.next_item() if plan else None
        if item:
            return NextStep("plan", f"按计划第 {item.week} 周：学习《{item.short_title}》“{item.section}”。",
                            topic=item.topic_id, item=item)
        if plan:
            return NextStep("none", "本期学习计划已全部完成，可以生成新的计划。")
        return NextStep("none", "还没有个人学习计划，可以先生成一份。")
