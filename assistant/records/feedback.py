"""Anonymous evaluation (网络匿名评估) of answers, trainings and resources.

Anonymity is by construction, not by policy: ``submit`` takes no teacher or channel id at all, the time
is kept only as an ISO week in Beijing time, the row key is random (and the table WITHOUT ROWID) so
neither key nor storage order reveals submission order, and comments are scrubbed of phone numbers,
e-mail addresses and ID-card numbers a teacher might type in by habit.

The same holds for reading the comments back (``comments``): newest week first, and within a week in the
order of the random key, which is stable (so every surface and every page agree) but says nothing about
who wrote first. Each comment carries what was rated, the rating, the channel *kind* and the week: nothing
more is stored, so nothing more can be shown.
"""

from __future__ import annotations

import json
import re
import secrets
from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from assistant.db import Database
from assistant.errors import InvalidInput
from assistant.records.resources import UPLOAD_ID
from assistant.records.teachers import SHANGHAI, aware
from assistant.records.usage import channel_label

TARGET_KINDS: tuple[str, ...] = ("answer", "training", "resource")
# What the admin views call each kind of target (re-exported by ``assistant.labels`` with the other names).
FEEDBACK_KIND_LABELS = {"training": "培训项目", "resource": "培训资源", "answer": "助手回答"}
MAX_COMMENT = 1000
MAX_REF = 200
REDACTED = "［已隐去］"
COMMENTS_LIMIT = 10  # what every surface shows unless asked for more: a screen, or one bot message
MAX_COMMENTS_LIMIT = 100
NO_CHANNEL = "未记录"  # rows filed before the channel kind was kept
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_ID_CARD = re.compile(r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9])")
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])0\d{2,3}[- ]?\d{7,8}(?![0-9])")
_LONG_DIGITS = re.compile(r"\d{11,}")  # any other long number (QQ-like accounts, bank cards)
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_CHANNEL_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
# A ref holding one of our teacher ids would tie the rating back to a person.
_TEACHER_ID = re.compile(r"t_[0-9a-f]{16}")


def scrub(comment: str) -> str:
    """Remove contact details and ID numbers; ID cards first, since they contain phone-like runs."""
    text = comment
    for pattern in (_EMAIL, _ID_CARD, _PHONE, _LANDLINE, _LONG_DIGITS):
        text = pattern.sub(REDACTED, text)
    return text


def scrub_ref(ref: str) -> str:
    """A rating's key scrubbed like a comment, except the upload ids in it: their random hex sometimes
    holds a phone-like run of digits, and a scrubbed id no longer names the resource that was rated."""
    kept, end = [], 0
    for match in UPLOAD_ID.finditer(ref):
        kept += [scrub(ref[end:match.start()]), match.group()]
        end = match.end()
    return "".join([*kept, scrub(ref[end:])])


NO_EVIDENCE_REF = "未找到依据的回答"


def answer_ref(answer: Mapping[str, Any]) -> str:
    """What a 👍/👎 on an answer is about, the same on every surface: the first cited passage as its document
    and section path. Not the chunk id, whose version hash changes whenever the resource is re-indexed (so
    ratings of one passage scattered over stale keys), and for an answer that cites nothing one fixed label,
    never the question: that is free text the teacher typed, which anonymous feedback must not keep."""
    citations = answer.get("citations") or []
    if not citations:
        return NO_EVIDENCE_REF
    first = citations[0]
    return f"{first['doc_id']}#{first.get('section') or first.get('title') or ''}"[:MAX_REF]


def target_label(kind: str, ref: str, titles: Mapping[str, str]) -> str:
    """How the admin views name what a rating is about, given the knowledge base's titles by document id.

    The stored key stays the document id and section (stable across re-indexing, never the teacher's words),
    but an id such as ``res-3f2a9c0d1e2b`` tells an admin reading the ratings nothing, and the question
    itself is not kept (see ``answer_ref``): so an answer's rating reads 《title》 section and a resource's
    《title》. A document taken out of the knowledge base has no title left to show, which the label says
    rather than showing a dead id; any other ref (a training's name, 未找到依据的回答) is already words."""
    if kind == "answer":
        doc_id, sep, section = ref.partition("#")
        if sep and doc_id:
            title = titles.get(doc_id)
            if title is None:
                return f"{section}（所引文件已不在知识库中）" if section else "所引文件已不在知识库中"
            return f"《{title}》" if section in ("", title) else f"《{title}》 {section}"
    if kind == "resource" and ref in titles:
        return f"《{titles[ref]}》"
    return ref


def iso_week(now: datetime | None = None) -> str:
    year, week, _ = aware(now).astimezone(SHANGHAI).isocalendar()
    return f"{year}-W{week:02d}"


def week_label(period: str) -> str:
    """``2026-W48`` as an admin reads it, 2026 年第 48 周: the stored week is the only time a rating has."""
    year, sep, week = period.partition("-W")
    return f"{year} 年第 {int(week)} 周" if sep and week.isdigit() else period


def comment_line(item: Mapping[str, Any]) -> str:
    """One comment in the words the bot and the command line print, so both read alike: when, how rated,
    through which kind of surface, about what, then the comment itself, its line breaks as spaces so that
    each comment stays one line (as the console's table cell shows it)."""
    text = _LINE_BREAKS.sub(" ", item["comment"])
    return (f"{item['week_label']} · {item['rating']} 分 · {item['channel_label']} · "
            f"{item['target_kind_label']} {item['target_label']}：{text}")


def comments_heading(page: Mapping[str, Any]) -> str:
    """The line above a page of comments on the bot and the command line: whose comments (all, or those on
    the reader's own uploads), how many, and which of them follow."""
    whose = "对你上传的资源的匿名评语" if page.get("scope") == "own" else "匿名评语"
    shown, total = len(page["comments"]), page["total"]
    if not shown:
        return f"{whose}共 {total} 条，第 {page['offset']} 条之后没有了。" if total else f"还没有{whose}。"
    if page["offset"] == 0 and shown == total:
        return f"{whose}共 {total} 条，最新的周在前："
    first = page["offset"] + 1
    which = f"第 {first} 条" if shown == 1 else f"第 {first}–{first + shown - 1} 条"
    return f"{whose}共 {total} 条，最新的周在前；以下为{which}："


# The document an answer's key names (``doc_id#section``), or NULL for a key without one.
_DOC_OF_REF = "CASE WHEN instr(target_ref, '#') > 1 THEN substr(target_ref, 1, instr(target_ref, '#') - 1) END"


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def submit(self, target_kind: str, target_ref: str, rating: int, comment: str = "",
               channel_kind: str | None = None, now: datetime | None = None) -> str:
        """Store one anonymous rating; returns only the week it was filed under."""
        if target_kind not in TARGET_KINDS:
            raise InvalidInput(f"评价对象类型“{target_kind}”无效，可选：{'、'.join(TARGET_KINDS)}")
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise InvalidInput(f"评分必须是 1 到 5 之间的整数，收到：{rating!r}")
        ref = (target_ref or "").strip()
        if not ref or len(ref) > MAX_REF:
            raise InvalidInput(f"请指明评价的对象（1–{MAX_REF} 个字符）")
        if _TEACHER_ID.search(ref):
            raise InvalidInput("评价对象只能是回答引用的章节、培训项目或资源，不能是个人或消息")
        if channel_kind is not None and not _CHANNEL_KIND.match(channel_kind):
            raise InvalidInput("渠道类型只能是 telegram、api 等类别名")
        text = scrub((comment or "").strip())
        if len(text) > MAX_COMMENT:
            raise InvalidInput(f"评价内容过长（{len(text)} 字），请控制在 {MAX_COMMENT} 字以内")
        period = iso_week(now)
        with self.db.transaction() as conn:
            conn.execute("INSERT INTO feedback (id, target_kind, target_ref, rating, comment, period, channel_kind)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (secrets.token_hex(12), target_kind, scrub_ref(ref), rating, text, period, channel_kind))
        return period

    def aggregate(self, titles: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Counts and mean ratings for administrators, overall and by kind, target and week. Each target
        keeps its stored key (``target_ref``) and gets the words an admin reads (``target_label``), named
        from ``titles``, the knowledge base's titles by document id."""
        rows = self.db.conn.execute("SELECT target_kind, target_ref, rating, period FROM feedback").fetchall()

        def summary(groups: dict[Any, list[int]]) -> dict[Any, dict[str, float]]:
            return {k: {"count": len(v), "mean": round(sum(v) / len(v), 3)} for k, v in sorted(groups.items())}

        by_kind: dict[str, list[int]] = defaultdict(list)
        by_target: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_period: dict[str, list[int]] = defaultdict(list)
        for kind, ref, rating, period in rows:
            by_kind[kind].append(rating)
            by_target[(kind, ref)].append(rating)
            by_period[period].append(rating)
        ratings = [r[2] for r in rows]
        return {
            "count": len(rows),
            "mean": round(sum(ratings) / len(ratings), 3) if ratings else None,
            "by_kind": summary(by_kind),
            "by_target": [{"target_kind": k, "target_ref": r, "target_label": target_label(k, r, titles or {}), **s}
                          for (k, r), s in summary(by_target).items()],
            "by_period": summary(by_period),
        }

    def comments(self, titles: Mapping[str, str] | None = None, *, limit: int = COMMENTS_LIMIT,
                 offset: int = 0, target: str | None = None, documents: Collection[str] | None = None
                 ) -> dict[str, Any]:
        """The written comments (ratings without words are in ``aggregate``), newest week first, a page at a
        time. ``target`` keeps those about one stored key (``target_ref`` of the summary) or about one
        document (its resource rating and every answer citing it); ``documents`` keeps only ratings of those
        documents (a trainer's own uploads), whatever ``target`` says. ``total`` counts every match, so a
        surface can say how many there are beyond this page."""
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_COMMENTS_LIMIT:
            raise InvalidInput(f"条数必须是 1 到 {MAX_COMMENTS_LIMIT} 之间的整数，收到：{limit!r}")
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise InvalidInput(f"起始位置必须是不小于 0 的整数，收到：{offset!r}")
        where: list[str] = ["comment != ''"]
        args: list[str] = []
        wanted = scrub_ref((target or "").strip())  # stored keys were scrubbed, so a typed key is compared alike
        if wanted:
            where.append(f"(target_ref = ? OR (target_kind = 'answer' AND {_DOC_OF_REF} = ?))")
            args += [wanted, wanted]
        if documents is not None:
            ids = json.dumps(sorted(documents), ensure_ascii=False)
            where.append("((target_kind = 'resource' AND target_ref IN (SELECT value FROM json_each(?)))"
                         f" OR (target_kind = 'answer' AND {_DOC_OF_REF} IN (SELECT value FROM json_each(?))))")
            args += [ids, ids]
        clause = " AND ".join(where)
        conn = self.db.conn
        total = conn.execute(f"SELECT count(*) FROM feedback WHERE {clause}", args).fetchone()[0]
        rows = conn.execute("SELECT target_kind, target_ref, rating, comment, period, channel_kind FROM feedback"
                            f" WHERE {clause} ORDER BY period DESC, id LIMIT ? OFFSET ?",
                            [*args, limit, offset]).fetchall()
        return {"total": total, "offset": offset, "limit": limit,
                "comments": [_comment(tuple(r), titles or {}) for r in rows]}


def _comment(row: tuple[Any, ...], titles: Mapping[str, str]) -> dict[str, Any]:
    """A comment as every surface shows it: the stored fields and the words for each (never who wrote it)."""
    kind, ref, rating, comment, period, channel = row
    return {"rating": rating, "comment": comment, "target_kind": kind,
            "target_kind_label": FEEDBACK_KIND_LABELS.get(kind, kind), "target_ref": ref,
            "target_label": target_label(kind, ref, titles), "channel_kind": channel,
            "channel_label": channel_label(channel) if channel else NO_CHANNEL, "period": period,
            "week_label": week_label(period)}
