"""``guopei quiz | grade | progress | plan | export``: the companion-learning commands (thin, over Companion)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.companion import Companion, CompanionError, NotAnAnswer
from assistant.learning.gift import to_gift
from assistant.learning.tasks import Task
from assistant.records import SCHOOL_LEVELS, STAGES
from assistant.service import Assistant
from assistant.settings import Settings

_TYPE_NAMES = {"single_choice": "单选", "multiple_choice": "多选", "cloze": "填空", "true_false": "判断",
               "reflection": "反思", "practice": "实践"}
UserOpt = Annotated[str, typer.Option("--user", "-u", help="用户名（命令行渠道下的标识）")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]


def _companion() -> Companion:
    assistant = Assistant.from_settings(Settings())
    assistant.ensure_indexed()
    return Companion.open(assistant)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def _show(task: Task, n: int) -> None:
    """Prompt and options only: the rubric, like the key, is shown with the grade."""
    typer.echo(f"\n第 {n} 题【{_TYPE_NAMES[task.type]}】{task.prompt}")
    for letter, option in zip("ABCDEFGH", task.options, strict=False):
        typer.echo(f"  {letter}. {option}")


def _answer(companion: Companion, teacher_id: str, task: Task) -> dict[str, Any] | None:
    """Ask until the reply is an answer (a hint otherwise); None at end of input."""
    while True:
        try:
            response = input("你的答案> ")
        except EOFError:
            return None
        try:
            return companion.answer_task(teacher_id, task.id, response)
        except NotAnAnswer as exc:
            typer.echo(str(exc))


def register(app: typer.Typer) -> None:
    @app.command()
    def quiz(question: Annotated[str | None, typer.Option("--question", "-q", help="根据这个问题的答案出题")] = None,
             topic: Annotated[str | None, typer.Option("--topic", "-t", help="按主题出题")] = None,
             user: UserOpt = "local", as_json: JsonOpt = False,
             limit: Annotated[int, typer.Option("--limit", help="题目数")] = 6) -> None:
        """学习小测：依据引用原文出题；不加 --json 时逐题作答并当场批改、记学时。"""
        if not question and not topic:
            raise _fail("请用 --question 或 --topic 指定出题依据。")
        companion = _companion()
        tasks = companion.quiz(question=question, topic=topic, limit=limit)
        if as_json:  # served to a teacher: no key, no source text, no rubric until graded
            typer.echo(json.dumps({"tasks": [t.public_dict() for t in tasks]}, ensure_ascii=False))
            return
        if not tasks:
            typer.echo("知识库中没有找到与之相关的内容，暂时无法出题。")
            return
        teacher = companion.teacher("cli", user)
        for n, task in enumerate(tasks, 1):
            _show(task, n)
            result = _answer(companion, teacher.id, task)
            if result is None:
                break
            typer.echo(("✔ " if result["correct"] else "✘ ") + result["feedback"])
        hours, credits = companion.records.ledger.balance(teacher.id)
        typer.echo(f"\n累计 {hours:g} 学时，{credits:g} 学分。")

    @app.command("grade")
    def grade_cmd(task_id: str, answer: str, user: UserOpt = "local", as_json: JsonOpt = False) -> None:
        """批改一道学习任务，记录作答并计入学分。"""
        companion = _companion()
        teacher = companion.teacher("cli", user)
        try:
            result = companion.answer_task(teacher.id, task_id, answer)
        except (CompanionError, NotAnAnswer) as exc:
            raise _fail(str(exc)) from exc
        out: dict[str, Any] = {k: result[k] for k in ("correct", "score", "feedback", "practice", "credits_awarded",
                                                      "balance", "answer", "rubric", "source")}
        typer.echo(json.dumps(out, ensure_ascii=False) if as_json else
                   f"{'正确' if out['correct'] else '不正确'}（得分 {out['score']}）\n{out['feedback']}\n"
                   f"本次获得 {out['credits_awarded']:g} 学分，累计 {out['balance']:g} 学分")

    @app.command()
    def progress(user: UserOpt = "local", as_json: JsonOpt = False) -> None:
        """学习进度：作答数、正确率、连续学习天数、学时学分、薄弱环节、待复习。"""
        companion = _companion()
        try:
            teacher = companion.known_teacher("cli", user)
        except CompanionError as exc:
            raise _fail(str(exc)) from exc
        p = companion.progress(teacher.id)
        if as_json:
            typer.echo(json.dumps(p, ensure_ascii=False))
            return
        typer.echo(f"作答 {p['attempts']} 次，正确 {p['correct']} 次（正确率 {p['accuracy'] or 0:.0%}），"
                   f"连续学习 {p['streak_days']} 天；累计 {p['hours']:g} 学时、{p['credits']:g} 学分；"
                   f"待复习 {p['due_reviews']} 题。")
        if p["weak_topics"]:
            typer.echo("薄弱环节：" + "；".join(p["weak_topics"]))

    @app.command()
    def plan(user: UserOpt = "local",
             stage: Annotated[str | None, typer.Option(help="发展阶段：" + "/".join(STAGES))] = None,
             subject: Annotated[str | None, typer.Option(help="任教学科")] = None,
             level: Annotated[str | None, typer.Option(help="学段：" + "/".join(SCHOOL_LEVELS))] = None,
             weeks: Annotated[int, typer.Option(help="计划周数")] = 4, as_json: JsonOpt = False) -> None:
        """个人研修计划（自主选学、分层分类）：按阶段、学科、学段排出每日小任务。"""
        companion = _companion()
        teacher = companion.teacher("cli", user)
        changes = {k: v for k, v in {"stage": stage, "subject": subject, "school_level": level}.items() if v}
        try:
            if changes:
                companion.records.teachers.update_profile(teacher.id, **changes)
            result = companion.plan(teacher.id, weeks=weeks, rebuild=bool(changes))
        except ValueError as exc:
            raise _fail(str(exc)) from exc
        if as_json:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
            return
        typer.echo(f"{weeks} 周研修计划（从 {result.start} 开始）：")
        for item in result.items[:14]:
            typer.echo(f"  {item.date} {'✔' if item.done else '·'} {item.section}")
        if len(result.items) > 14:
            typer.echo(f"  …… 共 {len(result.items)} 天")

    @app.command()
    def export(kind: Annotated[str, typer.Argument(help="gift | csv")],
               user: Annotated[str | None, typer.Option("--user", "-u")] = None,
               question: Annotated[str | None, typer.Option("--question", "-q")] = None,
               topic: Annotated[str | None, typer.Option("--topic", "-t")] = None,
               out: Annotated[Path | None, typer.Option("--out", "-o", help="输出文件（缺省为标准输出）")] = None,
               ) -> None:
        """导出：gift（Moodle 题库，按问题或主题出题）或 csv（某教师或全体的学习记录与学分账本）。"""
        companion = _companion()
        if kind == "gift":
            if not question and not topic:
                raise _fail("导出 GIFT 题库需要 --question 或 --topic。")
            text = to_gift(companion.quiz(question=question, topic=topic, limit=50))
        elif kind == "csv":
            try:
                teacher_id = companion.known_teacher("cli", user).id if user else None
                text = (companion.records.exports.teacher_csv(teacher_id) if teacher_id
                        else companion.records.exports.cohort_csv(None))
            except (CompanionError, LookupError) as exc:
                raise _fail(str(exc)) from exc
        else:
            raise _fail("只支持 gift 或 csv。")
        if out:
            out.write_text(text, encoding="utf-8")
            typer.echo(f"已导出到 {out}", err=True)
        else:
            sys.stdout.write(text)
