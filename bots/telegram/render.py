"""Telegram HTML for answers, tasks, grades and progress, and splitting below the 4096-character limit.

Everything that came from the knowledge base or a user goes through ``html.escape``: policy text is
full of ``<``-free but ``&``- and ``>``-bearing strings (「三、保障措施 > （二）…」), and Telegram rejects
the whole message on one stray character. Paragraphs are self-contained HTML so a long reply can be cut
on a blank line without leaving a tag open; a paragraph that alone exceeds the limit is cut with its open
tags closed and reopened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape
from typing import Any

from assistant.contract import sources_heading
from assistant.labels import job_kind_label, job_outcome, status_label
from assistant.learning.grading import without_verdict
from assistant.learning.tasks import ServedTask
from assistant.records.feedback import answer_ref

MAX_LEN = 4096
TYPE_NAMES = {"single_choice": "单选题", "multiple_choice": "多选题", "cloze": "填空题", "true_false": "判断题",
              "reflection": "反思题", "practice": "实践任务"}
TYPED = frozenset({"cloze", "reflection", "practice"})  # answered by a typed reply, not a button
LETTERS = "ABCDEFGH"
WRITING = "<i>✍️ 正在作答……</i>"
CUT_SHORT = "<i>（回答未能完成，以上内容已核对，请稍后重新提问以获得完整回答）</i>"
_TOKEN = re.compile(r"<[^>]+>|&#?\w+;|[^<&]+", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def units(text: str) -> int:
    """Telegram counts UTF-16 code units, so an emoji costs two."""
    return len(text.encode("utf-16-le")) // 2


# -- splitting --------------------------------------------------------------------------------------
def split_html(text: str, limit: int = MAX_LEN) -> list[str]:
    """Pack paragraphs (then lines) into messages of at most ``limit`` units; never cut inside a tag."""
    pieces: list[str] = []
    for para in text.strip().split("\n\n"):
        if units(para) <= limit:
            pieces.append(para)
            continue
        lines = [line for raw in para.split("\n") for line in
                 ([raw] if units(raw) <= limit else _hard_split(raw, limit))]
        pieces.extend(_pack(lines, "\n", limit))
    return _pack(pieces, "\n\n", limit) or [""]


def _pack(pieces: Iterable[str], sep: str, limit: int) -> list[str]:
    out: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{sep}{piece}" if current else piece
        if units(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = piece
    if current:
        out.append(current)
    return [p for p in out if p]


def _hard_split(line: str, limit: int) -> list[str]:
    """Cut a single over-long line, closing open tags at each cut and reopening them after it."""
    out: list[str] = []
    stack: list[tuple[str, str]] = []  # (name, opening tag)
    current = ""

    def closing() -> str:
        return "".join(f"</{name}>" for name, _ in reversed(stack))

    for token in _TOKEN.findall(line):
        pieces = [token] if token.startswith(("<", "&")) else list(token)
        for piece in pieces:
            if units(current + piece + closing()) > limit - 32:  # headroom for a tag opened next
                out.append(current + closing())
                current = "".join(tag for _, tag in stack)
            current += piece
            tag = _TAG.fullmatch(piece)
            if tag and tag.group(1):
                if stack and stack[-1][0] == tag.group(2):
                    stack.pop()
            elif tag:
                stack.append((tag.group(2), piece))
    if current:
        out.append(current + closing())
    return out


# -- answers ----------------------------------------------------------------------------------------
def source_line(c: dict[str, Any]) -> str:
    number = f"（{escape(c['doc_number'])}）" if c.get("doc_number") else ""
    return f"[{c['marker']}] 《{escape(c['title'])}》{number} {escape(c.get('section') or '')}".rstrip()


def render_answer(out: dict[str, Any]) -> list[str]:
    """Answer text with its [n] markers, then 「来源」: one self-contained paragraph per citation.

    An answer saying the documents do not state what was asked is marked as such, and its quotes are
    labelled as related text rather than as the source of an answer, so nobody mistakes them for one.
    """
    paragraphs = [escape(p) for p in out["answer"].split("\n\n") if p.strip()]
    not_specified = out.get("verdict") == "not_specified"
    if not_specified and paragraphs:
        paragraphs[0] = "ℹ️ <b>文件未作规定</b>\n" + paragraphs[0]
    if out.get("citations"):
        paragraphs.append(f"<b>{sources_heading(out.get('verdict'))}</b>")
        for c in out["citations"]:
            paragraphs.append(f"{source_line(c)}\n<blockquote>{escape(c['text'])}</blockquote>")
    return split_html("\n\n".join(paragraphs))


def render_partial(text: str, mark: str = WRITING) -> str:
    """An answer still being written (or cut short): its checked text so far and a ``mark`` saying so,
    in one message."""
    paragraphs = [escape(p) for p in text.split("\n\n") if p.strip()]
    body = split_html("\n\n".join(paragraphs), MAX_LEN - 128)[0] if paragraphs else ""
    return f"{body}\n\n{mark}" if body else mark


def feedback_ref(out: dict[str, Any]) -> str:
    """What a 👍/👎 is about: the cited section, never the teacher or the message. The core computes it, so
    the web console files a rating of the same passage under the same key."""
    return answer_ref(out)


# -- tasks ------------------------------------------------------------------------------------------
def render_task(task: ServedTask, chosen: Iterable[int] = ()) -> str:
    lines = [f"📝 <b>{TYPE_NAMES.get(task.type, '学习任务')}</b>", escape(task.prompt)]
    if task.options and task.type != "true_false":
        picked = set(chosen)
        lines.append("\n".join(f"{'☑ ' if i in picked else ''}{LETTERS[i]}. {escape(o)}"
                               for i, o in enumerate(task.options)))
    if task.type in TYPED:
        lines.append("<i>请直接回复你的答案。</i>")
    elif task.type == "multiple_choice":
        lines.append("<i>可多选，选好后点“提交”。</i>")
    return "\n\n".join(lines)


def render_graded(task: ServedTask, response: str, result: dict[str, Any]) -> str:
    verdict = "✅ <b>回答正确！</b>" if result["correct"] else "❌ <b>回答不正确</b>"
    credit = (f"本题记入 {result['credits_awarded']:g} 学分，" if result.get("credits_awarded") else "")
    return "\n\n".join([
        f"📝 <b>{TYPE_NAMES.get(task.type, '学习任务')}</b>", escape(task.prompt),
        f"你的答案：{escape(response)}", verdict, f"<blockquote>{escape(without_verdict(result['feedback']))}</blockquote>",
        f"{credit}累计 {result['balance']:g} 学分。"])


# -- progress, plans, next steps --------------------------------------------------------------------
def render_progress(p: dict[str, Any], whose: str = "") -> str:
    lines = [f"📊 <b>{escape(whose.removesuffix('：'))}学习进度</b>" if whose else "📊 <b>学习进度</b>",
             f"累计：{p['hours']:g} 学时，<b>{p['credits']:g} 学分</b>",
             f"已作答 {p['answered']} 题，答对 {p['correct']} 题（正确率 {p['accuracy'] or 0:.0%}，不含练习）",
             f"共作答 {p['attempts']} 次，其中练习 {p['practice']} 次",
             f"连续学习 {p['streak_days']} 天；待复习 {p['due_reviews']} 题"]
    weak = p.get("weak_topics") or []
    lines.append("薄弱环节：" + ("；".join(escape(t) for t in weak[:5]) if weak else "暂无，继续保持！"))
    return "\n".join(lines)


def render_plan(plan: Any, limit: int = 7) -> str:
    upcoming = [i for i in plan.items if not i.done][:limit]
    done = sum(1 for i in plan.items if i.done)
    lines = [f"🗓 <b>个人研修计划</b>（{plan.weeks} 周，从 {escape(plan.start)} 开始，已完成 {done}/{len(plan.items)}）"]
    # The topic's number, as the command line, the API and the console list it: what a teacher picks or drops it by.
    lines += [f"{escape(i.date)} 第 {i.week} 周 · [{plan.number(i.topic_id)}] 《{escape(i.short_title)}》{escape(i.section)}"
              for i in upcoming]
    if not upcoming:
        lines.append("计划中的内容已全部完成，发送 /plan 新 可生成新计划。")
    return "\n".join(lines)


def render_outline(resource: dict[str, Any], outline: list[dict[str, Any]], verb: str = "收录",
                   limit: int = 30) -> str:
    """What a trainer is shown once a document is indexed: every heading of its structure, in order and
    indented by level (the core's outline), not one label per chunk, which lost the first of two short parts
    sharing a chunk."""
    lines = [f"📚 已{verb}《{escape(resource['title'])}》（第 {resource['version']} 版），共 {resource['chunks']} 个文本块。"]
    if not outline:
        return "\n".join([*lines, "文件中没有识别出章节标题。"])
    lines.append("<b>章节结构</b>")
    lines += [f"{'　' * (h['level'] - 1)}· {escape(h['heading'])}" for h in outline[:limit]]
    if len(outline) > limit:
        lines.append(f"…… 共 {len(outline)} 个标题")
    return "\n".join(lines)


def render_job(job: dict[str, Any]) -> str:
    """One line of /jobs: what the job is and where it stands; a finished one says how it ended and, if it
    failed, why (as the web console's library page does), not its last progress again (失败 5% 失败)."""
    line = (f"<code>{escape(job['id'])}</code> {escape(job_kind_label(job['kind']))} {escape(job['target'])} · "
            f"{escape(status_label(job['status']))}")
    if job["status"] in ("queued", "running"):
        line += f" {job['progress']:.0%} {escape(job['stage'] or '')}".rstrip()
    if job.get("error"):
        line += f"：{escape(job['error'])}"
    if said := job_outcome(job):
        line += f"：{escape(said)}"
    return line
