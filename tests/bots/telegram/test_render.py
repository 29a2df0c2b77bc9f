"""Rendering and splitting: escaped HTML that Telegram accepts, and no message over the limit."""

from __future__ import annotations

import re
from datetime import date

from assistant.learning.tasks import Task, TaskSource
from assistant.records import Topic, build_plan
from bots.telegram import keyboards as kb
from bots.telegram.app import file_url_for
from bots.telegram.render import (
    MAX_LEN,
    WRITING,
    render_answer,
    render_graded,
    render_job,
    render_outline,
    render_partial,
    render_plan,
    render_task,
    split_html,
    units,
)
from tests.bots.telegram.wire import parse_html

CITATION = {"marker": 1, "chunk_id": "c1", "doc_id": "d1", "title": "通知<草案> & 附件", "doc_number": "教师函〔2021〕4号",
            "section": "三、保障措施 > （二）强化经费保障", "text": "按照 5% 安排 <培训> 经费 & 保障。", "score": 1.0}


def visible(html: str) -> str:
    return parse_html(html)[0]  # the stand-in parses exactly as Telegram's HTML mode does


def test_answer_is_escaped_and_cites_sources() -> None:
    parts = render_answer({"answer": "按 5% 安排 <经费> & 培训。[1]", "abstained": False, "citations": [CITATION]})
    assert len(parts) == 1
    text = visible(parts[0])
    assert "按 5% 安排 <经费> & 培训。[1]" in text
    assert "来源" in text and "[1] 《通知<草案> & 附件》（教师函〔2021〕4号） 三、保障措施 > （二）强化经费保障" in text
    assert "按照 5% 安排 <培训> 经费 & 保障。" in text


def test_long_answers_split_on_paragraphs_below_the_limit() -> None:
    paragraphs = [f"第{i}段：" + "国培计划" * 300 + " <&> " for i in range(12)]
    citations = [{**CITATION, "marker": i, "text": "原文" * 900} for i in range(1, 4)]
    parts = render_answer({"answer": "\n\n".join(paragraphs), "abstained": False, "citations": citations})
    assert len(parts) > 1
    assert all(units(p) <= MAX_LEN for p in parts)
    texts = [visible(p) for p in parts]  # every part is well-formed HTML on its own
    joined = "".join(texts)
    assert all(f"第{i}段" in joined for i in range(12))
    assert texts[0].startswith("第0段")


def test_one_huge_paragraph_is_cut_with_tags_closed_and_reopened() -> None:
    html = "<b>标题</b>\n<blockquote>" + "很长的原文&amp;" * 2000 + "</blockquote>"
    parts = split_html(html)
    assert len(parts) > 2 and all(units(p) <= MAX_LEN for p in parts)
    for part in parts:
        parse_html(part)  # raises on a dangling tag or a cut entity
    assert "".join(visible(p) for p in parts).count("很长的原文&") == 2000


def test_keyboards_keep_callback_data_within_64_bytes() -> None:
    source = TaskSource("c", "d", "t", "s", "中小学按照5%安排经费")
    task = Task("0123456789abcdef", "multiple_choice", "多选", source, ("A", "B"), options=tuple("ABCDEFGH"))
    markups = [kb.stage_keyboard(), kb.subject_keyboard(), kb.level_keyboard(), kb.reminder_keyboard(),
               kb.answer_keyboard("abcdef"), kb.task_keyboard(task, [0, 7])]
    data = [b.callback_data for m in markups for row in m.inline_keyboard for b in row]
    assert data and all(len(d.encode()) <= 64 for d in data)
    assert "☑ H" in [b.text for row in kb.task_keyboard(task, [7]).inline_keyboard for b in row]
    assert "☑ H. H" in render_task(task, [7])


def test_file_url_follows_the_api_url() -> None:
    assert file_url_for("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert file_url_for("https://api.telegram.org/bot/") == "https://api.telegram.org/file/bot"


def test_an_answer_being_written_is_escaped_marked_and_one_message() -> None:
    text = visible(render_partial("按 5% 安排 <经费> & 培训[1]。\n\n第二段[1]。"))
    assert text == "按 5% 安排 <经费> & 培训[1]。\n\n第二段[1]。\n\n" + visible(WRITING)
    long = render_partial("\n\n".join("国培计划<&>" * 200 for _ in range(10)))
    assert units(long) <= MAX_LEN and visible(long).endswith(visible(WRITING))
    assert visible(render_partial("")) == visible(WRITING)


def test_a_plan_day_names_its_document_beside_the_section() -> None:
    topics = [Topic("o#三、课程模块", "“国培计划”小学语文骨干教师研修课程大纲", "三、课程模块")]
    text = render_plan(build_plan({}, topics, weeks=1, start=date(2026, 12, 8)))
    assert "2026-12-08 第 1 周 · [1] 《小学语文骨干教师研修课程大纲》三、课程模块" in text.splitlines()


def test_a_plan_day_is_numbered_by_its_topic_as_the_command_line_numbers_it() -> None:
    """/plan showed no topic numbers while the command line and the API did: a teacher could not say which
    topic to pick or drop."""
    topics = [Topic("o#一、课程目标", "“国培计划”小学语文骨干教师研修课程大纲", "一、课程目标"),
              Topic("o#三、课程模块", "“国培计划”小学语文骨干教师研修课程大纲", "三、课程模块")]
    plan = build_plan({}, topics, weeks=1, start=date(2026, 12, 8))
    shown = [line for line in render_plan(plan).splitlines() if " 周 · " in line]
    assert shown and all(f"· [{plan.number(i.topic_id)}] 《" in line for i, line in zip(plan.items, shown, strict=False))
    assert [row["number"] for row in plan.to_dict()["items"][:len(shown)]] == [
        plan.number(i.topic_id) for i in plan.items[:len(shown)]]
    assert {int(n) for line in shown for n in re.findall(r"· \[(\d+)\]", line)} == {1, 2}


def test_a_failed_job_says_why_and_not_its_last_progress_again() -> None:
    failed = {"id": "job-1", "kind": "index", "target": "res-1", "status": "failed", "progress": 0.05,
              "stage": "失败", "error": "无法打开 Word 文档「坏.docx」：文件已加密或损坏"}
    line = visible(render_job(failed))
    assert line == "job-1 建索引 res-1 · 失败：无法打开 Word 文档「坏.docx」：文件已加密或损坏"
    running = {**failed, "status": "running", "progress": 0.4, "stage": "计算向量并写入", "error": None}
    assert visible(render_job(running)) == "job-1 建索引 res-1 · 进行中 40% 计算向量并写入"
    warned = {**failed, "status": "done", "stage": "完成。新文件与原资源《甲》内容差别很大", "error": None}
    assert visible(render_job(warned)) == "job-1 建索引 res-1 · 已完成：新文件与原资源《甲》内容差别很大"


def test_the_outline_lists_every_heading_indented_by_level() -> None:
    resource = {"title": "管理办法 <试行>", "version": 2, "chunks": 1}
    outline = [{"level": 1, "heading": "第一章 总则"}, {"level": 2, "heading": "第一条"},
               {"level": 1, "heading": "第二章 职责"}, {"level": 2, "heading": "第二条"}]
    text = visible(render_outline(resource, outline, "替换"))
    assert text.splitlines() == ["📚 已替换《管理办法 <试行>》（第 2 版），共 1 个文本块。", "章节结构",
                                 "· 第一章 总则", "　· 第一条", "· 第二章 职责", "　· 第二条"]
    assert visible(render_outline(resource, [])).endswith("文件中没有识别出章节标题。")


def test_a_graded_answer_says_its_verdict_once() -> None:
    """✅ 回答正确！ was followed by the feedback's own 回答正确！ (and ❌ 回答不正确 by 回答错误。)."""
    src = TaskSource("c", "d", "清河县项目实施方案", "四、考核与学分", "缺勤超过2天的不予结业。")
    task = Task("t", "single_choice", "缺勤超过____的不予结业。", src, "2天", ("2天", "3天"), ((4, 6),)).served()
    right = visible(render_graded(task, "A. 2天", {"correct": True, "credits_awarded": 0.01, "balance": 0.01,
                                                  "feedback": "回答正确！原文：“缺勤超过2天的不予结业。”"}))
    assert right.count("回答正确") == 1 and "原文：“缺勤超过2天" in right
    wrong = visible(render_graded(task, "B. 3天", {"correct": False, "credits_awarded": 0, "balance": 0,
                                                  "feedback": "（练习：本次只批改。）回答错误。正确答案：2天。原文：…"}))
    assert "回答错误" not in wrong and "❌ 回答不正确" in wrong and "（练习：本次只批改。）正确答案：2天。" in wrong
