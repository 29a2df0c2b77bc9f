"""``guopei quiz | grade | next | review | progress | balance | plan | feedback | export``: the companion-learning commands, over ``usecases.learning``.

Each command acts for whoever runs it: the operator at the machine (learning as ``local``) or, with
``guopei --as NAME``, that account, on the same records its API token and web sign-in see. ``--user``
names another teacher (``usecases.learners``): an account name, a teacher id (教师编号) or, for the operator,
a learner label of this machine. Trainers and admins may use it to read a teacher's progress, reviews,
balance and records; only the operator studies under another name; a teacher may name only themselves.
"""

from __future__ import annotations

import json
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.errors import Forbidden
from assistant.learning.grading import without_verdict
from assistant.learning.tasks import ServedTask
from assistant.records import SCHOOL_LEVELS, STAGES, SUBJECTS
from assistant.roles import Actor
from assistant.services import Services
from assistant.usecases.learning import Learning
from channels.cli import identity
from channels.cli.errors import REFUSED

_TYPE_NAMES = {"single_choice": "单选", "multiple_choice": "多选", "cloze": "填空", "true_false": "判断",
               "reflection": "反思", "practice": "实践"}
UserOpt = Annotated[str | None, typer.Option(
    "--user", "-u", help="另一位教师：账号名、教师编号或本机学习者名")]  # who may name whom: usecases.learners
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]


def _show(task: ServedTask, n: int) -> None:
    """Prompt and options only: the rubric, like the key, is shown with the grade."""
    typer.echo(f"\n第 {n} 题【{_TYPE_NAMES[task.type]}】{task.prompt}")
    for letter, option in zip("ABCDEFGH", task.options, strict=False):
        typer.echo(f"  {letter}. {option}")


def _word(text: str) -> str:
    """One shell word: quoted only when the shell would split or expand it (shlex quotes every Chinese name)."""
    return text if re.fullmatch(r"[\w@%+=:,./-]+", text) else shlex.quote(text)


def grade_command(task_id: str, user: str | None) -> str:
    """The command that grades ``task_id`` for whoever ran this one, to be typed as shown: their ``--as``
    (the account that answers) and their ``--user`` when they gave one, and nothing else — the operator's
    own learner needs no name."""
    words = ["guopei", *(("--as", account) if (account := identity.chosen()) else ()), "grade", task_id, "答案",
             *(("--user", user) if user else ())]
    return " ".join(_word(w) for w in words)


def _show_to_grade(tasks: list[ServedTask], user: str | None, *, answerable: bool = True) -> None:
    """Tasks to answer later, each with the command that grades it — unless the one reading them may not
    answer for this learner (staff looking at a teacher's reviews), who would be refused by that command."""
    for n, task in enumerate(tasks, 1):
        _show(task, n)
        if answerable:
            typer.echo(f"  （作答：{grade_command(task.id, user)}）")


SKIP, STOP = ("跳过", "/skip"), ("结束", "退出", "/exit", "/quit")


def _answer(learning: Learning, who: Any, task: ServedTask) -> dict[str, Any] | str | None:
    """Ask until the reply is an answer (a hint otherwise); ``"skip"`` to leave this task unanswered (nothing
    recorded, so it can be answered later for credit), None to stop: 结束 or the end of input."""
    from assistant.companion import NotAnAnswer

    while True:
        try:
            response = input("你的答案> ")
        except EOFError:
            return None
        if response.strip() in SKIP:
            return "skip"
        if response.strip() in STOP:
            return None
        try:
            return learning.grade(who, task.id, response)
        except NotAnAnswer as exc:
            typer.echo(str(exc))


def register(app: typer.Typer, services: Callable[[], Services], indexed: Callable[[], Services]) -> None:
    def learning() -> Learning:
        return indexed().usecases.learning

    def reader(user: str | None) -> Actor:
        """Whose records a reading command shows: one's own, or the teacher ``--user`` names (staff)."""
        return services().usecases.learners.reading(identity.actor(services), user)

    def learner(user: str | None) -> Actor:
        """Who studies in a command that serves, grades or plans: oneself (the operator: any name)."""
        return services().usecases.learners.acting(identity.actor(services), user)

    def may_answer_as(user: str | None) -> bool:
        try:
            learner(user)
        except Forbidden:
            return False
        return True

    @app.command()
    def quiz(question: Annotated[str | None, typer.Option("--question", "-q", help="根据这个问题的答案出题")] = None,
             topic: Annotated[str | None, typer.Option("--topic", "-t", help="按主题出题")] = None,
             user: UserOpt = None, as_json: JsonOpt = False,
             limit: Annotated[int, typer.Option("--limit", help="题目数")] = 6) -> None:
        """学习小测：依据引用原文出题；不加 --json 时逐题作答并当场批改、记学时。"""
        who = learner(user)
        offered = learning().quiz(who, question=question, topic=topic, limit=limit)
        if as_json:  # served to a teacher: no key, no source text, no rubric until graded
            typer.echo(json.dumps(offered.as_dict(), ensure_ascii=False))
            return
        if offered.message:
            typer.echo(offered.message)
        tasks = offered.tasks
        if not tasks:
            return
        typer.echo("（逐题作答；输入“跳过”留到以后再答，输入“结束”停止小测。）")
        for n, task in enumerate(tasks, 1):
            _show(task, n)
            result = _answer(learning(), who, task)
            if result is None:
                break
            if result == "skip":
                typer.echo(f"已跳过，之后可用 {grade_command(task.id, user)} 作答。")
                continue
            # The mark with its verdict on a line of its own, then the feedback a line a point, as ``grade`` shows it.
            typer.echo(f"{'✔ 正确' if result['correct'] else '✘ 不正确'}\n{without_verdict(result['feedback'])}")
        balance = learning().balance(who)
        typer.echo(f"\n累计 {balance['hours']:g} 学时，{balance['credits']:g} 学分。")

    @app.command("grade")
    def grade_cmd(task_id: str, answer: str, user: UserOpt = None, as_json: JsonOpt = False) -> None:
        """批改一道学习任务，记录作答并计入学分。"""
        result = learning().grade(learner(user), task_id, answer)
        out: dict[str, Any] = {k: result[k] for k in ("correct", "score", "feedback", "practice", "credits_awarded",
                                                      "balance", "answer", "rubric", "source")}
        typer.echo(json.dumps(out, ensure_ascii=False) if as_json else
                   f"{'正确' if out['correct'] else '不正确'}（得分 {out['score']}）\n{without_verdict(out['feedback'])}\n"
                   f"本次获得 {out['credits_awarded']:g} 学分，累计 {out['balance']:g} 学分")

    @app.command()
    def progress(user: UserOpt = None, as_json: JsonOpt = False) -> None:
        """学习进度：作答题数、正确率（不含练习）、连续学习天数、学时学分、薄弱环节、待复习。"""
        p = services().usecases.learning.progress(reader(user))
        if as_json:
            typer.echo(json.dumps(p, ensure_ascii=False))
            return
        typer.echo(f"已作答 {p['answered']} 题，答对 {p['correct']} 题（正确率 {p['accuracy'] or 0:.0%}，不含练习）；"
                   f"共作答 {p['attempts']} 次，其中练习 {p['practice']} 次。")
        typer.echo(f"连续学习 {p['streak_days']} 天；累计 {p['hours']:g} 学时、{p['credits']:g} 学分；"
                   f"待复习 {p['due_reviews']} 题。")
        typer.echo("（正确率每题只算计分的作答：客观题看第一次作答，开放题看是否通过。）")
        if p["weak_topics"]:
            typer.echo("薄弱环节：" + "；".join(p["weak_topics"]))

    @app.command("next")
    def next_cmd(user: UserOpt = None, as_json: JsonOpt = False) -> None:
        """下一步学什么：到期复习、薄弱主题或计划当日主题，附学习任务（不含答案）。"""
        out = learning().next_step(learner(user))
        if as_json:
            typer.echo(json.dumps({"step": out["step"], "tasks": [t.as_dict() for t in out["tasks"]]},
                                  ensure_ascii=False))
            return
        typer.echo(f"👉 {out['step']['message']}")
        _show_to_grade(out["tasks"], user)

    @app.command()
    def review(user: UserOpt = None, as_json: JsonOpt = False,
               limit: Annotated[int, typer.Option("--limit", help="本次复习的题数")] = 3) -> None:
        """错题复习：到期的题目（最久未复习的在前）及到期总数；没有到期时说明已安排几道、最早哪天到期。"""
        out = learning().reviews(reader(user), limit=limit)
        if as_json:
            typer.echo(json.dumps({**out, "tasks": [t.as_dict() for t in out["tasks"]]}, ensure_ascii=False))
            return
        typer.echo(out["message"])
        if out["tasks"]:
            _show_to_grade(out["tasks"], user, answerable=may_answer_as(user))

    @app.command()
    def balance(user: UserOpt = None, as_json: JsonOpt = False) -> None:
        """学时学分余额。"""
        out = services().usecases.learning.balance(reader(user))
        typer.echo(json.dumps(out, ensure_ascii=False) if as_json else
                   f"累计 {out['hours']:g} 学时，{out['credits']:g} 学分。")

    @app.command()
    def feedback(rating: Annotated[int, typer.Argument(help="评分，1–5 的整数")],
                 comment: Annotated[str, typer.Argument(help="意见（可选；手机号、邮箱等会被隐去）")] = "",
                 kind: Annotated[str, typer.Option("--kind", help="评价对象：answer | training | resource")]
                 = "training",
                 ref: Annotated[str, typer.Option("--ref", help="对象编号，如章节、资源编号")] = "国培助手",
                 as_json: JsonOpt = False) -> None:
        """匿名评价回答、培训或资源（不记录评价人，只记渠道类别与所在周）。"""
        period = services().usecases.learning.feedback(identity.actor(services), kind, ref, rating, comment)
        typer.echo(json.dumps({"period": period}, ensure_ascii=False) if as_json else
                   f"感谢您的匿名评价（记入 {period}）。")

    @app.command()
    def plan(user: UserOpt = None,
             stage: Annotated[str | None, typer.Option(help="发展阶段：" + "/".join(STAGES))] = None,
             subject: Annotated[str | None, typer.Option(help="任教学科：" + "/".join(SUBJECTS))] = None,
             level: Annotated[str | None, typer.Option(help="学段：" + "/".join(SCHOOL_LEVELS))] = None,
             weeks: Annotated[int | None, typer.Option(help="计划周数；改变则重排计划")] = None,
             pick: Annotated[list[str] | None, typer.Option(
                 "--pick", help="优先学习的主题：列表中的编号或标题中的词（可重复）")] = None,
             drop: Annotated[list[str] | None, typer.Option(
                 "--drop", help="不再安排的主题：列表中的编号或标题中的词（可重复）")] = None,
             topics: Annotated[bool, typer.Option("--topics", help="列出全部可选主题及编号")] = False,
             as_json: JsonOpt = False) -> None:
        """个人研修计划（自主选学、分层分类）：按阶段、学科、学段排出每日小任务；可按编号或标题选入、移除主题。"""
        result = learning().update_plan(learner(user), stage=stage, subject=subject, school_level=level,
                                        weeks=weeks, pick=tuple(pick or ()), drop=tuple(drop or ()))
        if as_json:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
            return
        if topics:
            marks = {**dict.fromkeys(result.picked, "（优先）"), **dict.fromkeys(result.dropped, "（已移除）")}
            typer.echo(f"可选主题（共 {len(result.topics)} 个）：")
            for label, topic in zip(result.choices(), result.topics, strict=True):
                typer.echo(f"  {label}{marks.get(topic.id, '')}")
            return
        typer.echo(f"{result.weeks} 周研修计划（从 {result.start} 开始）：")
        for item in result.items[:14]:
            typer.echo(f"  {item.date} {'✔' if item.done else '·'} [{result.number(item.topic_id)}] "
                       f"《{item.short_title}》{item.section}")
        if len(result.items) > 14:
            typer.echo(f"  …… 共 {len(result.items)} 天")
        typer.echo("方括号中是主题编号：--pick 编号 优先学习、--drop 编号 不再安排（也可写标题中的词）；"
                   f"--topics 列出全部 {len(result.topics)} 个主题。")

    @app.command()
    def export(kind: Annotated[str, typer.Argument(help="gift | csv")],
               user: UserOpt = None,
               question: Annotated[str | None, typer.Option("--question", "-q")] = None,
               topic: Annotated[str | None, typer.Option("--topic", "-t")] = None,
               out: Annotated[Path | None, typer.Option("--out", "-o", help="输出文件（缺省为标准输出）")] = None,
               ) -> None:
        """导出：gift（Moodle 题库，按问题或主题出题）或 csv（不加 --user 时管理员得到全体汇总、其他人得到自己的学习记录与学分账本）。"""
        operator = identity.actor(services)
        who = reader(user) if user else None
        if kind == "gift":
            text = learning().export_gift(operator, question=question, topic=topic)
        elif kind == "csv":
            text = services().usecases.learning.export_csv(operator, who)
        else:
            typer.echo("只支持 gift 或 csv。", err=True)
            raise typer.Exit(REFUSED)
        if out:
            out.write_text(text, encoding="utf-8")
            typer.echo(f"已导出到 {out}", err=True)
        else:
            sys.stdout.write(text)
