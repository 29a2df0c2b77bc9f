"""Companion learning end to end: real assistant, real task engine, real SQLite records."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from assistant.answering import Verdict
from assistant.companion import ABOUT_US, NOTHING_FOUND, Companion, CompanionError, NotAnAnswer
from assistant.db import Database
from assistant.learning.tasks import OBJECTIVE, Task
from assistant.records import Records
from assistant.service import Assistant


@pytest.fixture
def companion(embedded_assistant: Assistant, tmp_path) -> Companion:
    return Companion(embedded_assistant, Records(Database(tmp_path / "records.sqlite3")))


def test_quiz_from_a_question_grounds_tasks_in_the_cited_text(companion: Companion):
    tasks = companion.quiz(question="学校每年要拿出多少经费用于教师培训？")
    # A school's budget share is no reflection for a teacher; planning its use is a practice task.
    assert {t.type for t in tasks} >= {"single_choice", "practice"} and "reflection" not in {t.type for t in tasks}
    for t in tasks:
        assert t.source.section == "三、保障措施 > （二）强化经费保障"
        assert t.topic == t.source.section
        assert companion.task(t.id) == t, "tasks are stored for later grading"


def test_a_task_served_again_keeps_the_options_it_was_first_stored_with(companion: Companion):
    """The same question generated after the knowledge base grew gets other distractors but the same id: the
    teacher must be served the options that are graded, so every option typed out is read and a wrong one is
    graded wrong and locked, not refused as unrecognised."""
    task = next(t for t in companion.quiz(question="学校每年要拿出多少经费用于教师培训？") if t.type == "multiple_choice")
    stored = task.to_dict()
    companion.records.tasks.db.conn.execute("DELETE FROM tasks WHERE id = ?", (task.id,))
    wrong = [o for o in task.options if o not in task.keys]
    stored_wrong = [o for o in ("财政厅", "教研室", "县政府", "妇联") if o not in task.options][:2]
    companion.records.tasks.save({**stored, "options": [*task.keys, *stored_wrong]})
    again = next(t for t in companion.quiz(question="学校每年要拿出多少经费用于教师培训？") if t.id == task.id)
    assert set(again.options) == {*task.keys, *stored_wrong} and not set(wrong) & set(again.options)
    teacher = companion.teacher("cli", "zhao")
    result = companion.answer_task(teacher.id, task.id, f"中小学，幼儿园，{stored_wrong[0]}")
    assert result["score"] == 0.0 and not result["correct"] and "本题已作答" in result["feedback"]
    assert companion.answer_task(teacher.id, task.id, _key(task))["practice"], "the wrong pick locked the task"


def test_a_topic_quiz_starts_with_the_sentence_that_says_the_topic(companion: Companion):
    # 统编教材培训 is said in the middle of a passage that opens with 落实教师培训课程指导标准.
    first = companion.quiz(topic="统编教材培训", limit=2)[0]
    assert "统编教材" in first.source.quote
    assert "统编教材" in first.prompt


def test_off_topic_question_yields_no_tasks(companion: Companion):
    assert companion.quiz(question="红烧肉怎么做才不腻？") == []
    assert companion.offer(question="红烧肉怎么做才不腻？").note == NOTHING_FOUND
    assert companion.offer(question="你好").note == ABOUT_US  # a self-introduction cites no text to ask about


UNSTATED_QUESTION = "学分银行里的学分能保存几年？"


def test_a_question_the_documents_leave_open_is_quizzed_on_the_related_text_it_cited(companion: Companion):
    """The answer says the amount is not stated and quotes related text: the tasks are on that text, and the
    teacher is told the question itself is not stated, not that nothing related was found."""
    answer = companion.assistant.answer(UNSTATED_QUESTION)
    assert answer.verdict is Verdict.NOT_SPECIFIED and answer.citations
    offer = companion.offer(question=UNSTATED_QUESTION)
    assert offer.tasks and {t.source.chunk_id for t in offer.tasks} <= {c.chunk_id for c in answer.citations}
    assert offer.note == f"文件没有写明{answer.missing}，无法就这一点出题；下面的题目出自回答中引用的相关原文。"
    assert "没有找到" not in offer.note


def _key(task: Task) -> str | list[str]:
    return task.answer if isinstance(task.answer, str) else list(task.answer)


def _wrong(task: Task) -> str:
    if task.type == "true_false":
        return "正确" if task.answer == "错误" else "错误"
    if task.options:
        return next(o for o in task.options if o not in task.keys)
    return "完全不相干的答案"


def test_right_first_answer_is_credited_once(companion: Companion):
    teacher = companion.teacher("cli", "wang")
    task = next(t for t in companion.quiz(question="什么是学分银行？") if t.type in OBJECTIVE)
    first = companion.answer_task(teacher.id, task.id, _key(task))
    again = companion.answer_task(teacher.id, task.id, _key(task))
    assert first["correct"] and first["credits_awarded"] > 0 and not first["practice"]
    assert again["correct"] and again["practice"] and again["credits_awarded"] == 0
    assert again["balance"] == first["balance"] and again["feedback"].startswith("（练习")


def test_a_wrong_first_answer_locks_the_task_and_is_scheduled_for_review(companion: Companion):
    """Trying every option in turn earns nothing: only the first attempt can be credited."""
    teacher = companion.teacher("cli", "li")
    task = next(t for t in companion.quiz(question="什么是学分银行？") if t.type in OBJECTIVE)
    wrong = companion.answer_task(teacher.id, task.id, _wrong(task))
    assert not wrong["correct"] and wrong["credits_awarded"] == 0 and "原文" in wrong["feedback"]
    assert companion.records.reviews.due(teacher.id, now=datetime.now(UTC) + timedelta(days=2)) == [task.id]
    right = companion.answer_task(teacher.id, task.id, _key(task))
    assert right["correct"] and right["practice"] and right["credits_awarded"] == 0 and right["balance"] == 0
    progress = companion.progress(teacher.id)
    assert progress["attempts"] == 2 and progress["practice"] == 1 and progress["credits"] == 0
    assert progress["answered"] == 1 and progress["correct"] == 0  # the practice answer that was right is not counted


def test_a_wrong_first_answer_says_the_credit_for_the_item_is_gone(companion: Companion):
    teacher = companion.teacher("cli", "locked")
    task = next(t for t in companion.quiz(question="什么是学分银行？") if t.type in OBJECTIVE)
    wrong = companion.answer_task(teacher.id, task.id, _wrong(task))
    assert wrong["feedback"].endswith("本题已作答，学分按第一次作答计算：这次没有答对，本题不再计学时学分，之后再答只作练习。")
    again = companion.answer_task(teacher.id, task.id, _key(task))
    assert again["feedback"].startswith("（练习：你之前已作答过本题，学分按第一次作答计算")


def test_an_open_task_that_does_not_pass_keeps_its_credit_for_the_rewrite(companion: Companion):
    """The feedback said 还需补充 and the rewrite was practice: now the rewrite that passes earns the credit."""
    teacher = companion.teacher("cli", "rewrite")
    task = next(t for t in companion.quiz(question="什么是学分银行？") if t.type == "reflection")
    weak = companion.answer_task(teacher.id, task.id, "这条要求很重要，我们应该认真学习领会，努力做好相关工作，争取在今后的"
                                                      "工作中取得更好的成绩。")
    assert not weak["correct"] and not weak["practice"] and weak["credits_awarded"] == 0
    assert "还需补充" in weak["feedback"] and weak["feedback"].endswith("通过即可获得本题的学时学分。")
    first = re.findall(r"“([^”]+)”", "".join(task.rubric))[0]
    rewrite = (f"我校青年教师多，对{first}的理解还不够。本学期我打算在教研组每月组织一次专题研讨，请骨干教师上示范课，"
               "期末通过学生评价和听课反馈检验效果。")
    passed = companion.answer_task(teacher.id, task.id, rewrite)
    assert passed["correct"] and not passed["practice"] and passed["credits_awarded"] > 0, passed["feedback"]
    again = companion.answer_task(teacher.id, task.id, rewrite)
    assert again["practice"] and again["credits_awarded"] == 0 and again["feedback"].startswith("（练习：你已完成本题")
    assert len(companion.records.ledger.entries(teacher.id)) == 1
    # Each note on a line of its own: the practice note above the feedback, the retry note below the source.
    assert again["feedback"].splitlines()[0] == "（练习：你已完成本题并计过学分，本次只批改、不计学时学分。）"
    assert weak["feedback"].splitlines()[-1].startswith("这次未通过") and weak["feedback"].splitlines()[-2].startswith("原文：")


def test_served_tasks_hide_the_key_and_grading_reveals_it(companion: Companion):
    teacher = companion.teacher("cli", "zhao")
    tasks = companion.quiz(question="学校每年要拿出多少经费用于教师培训？")
    for task in tasks:
        served = task.public_dict()
        assert not {"answer", "rubric", "key_spans"} & set(served)
        assert not {"text", "quote"} & set(served["source"]) and served["source"]["title"]
        assert task.source.text not in json.dumps(served, ensure_ascii=False)
        for key in task.keys if task.objective else ():
            assert key not in served["prompt"], (task.type, key)
    task = next(t for t in tasks if t.type == "single_choice")
    graded = companion.answer_task(teacher.id, task.id, _wrong(task))
    assert graded["answer"] == task.answer and graded["source"]["text"] == task.source.text
    assert "原文：" in graded["feedback"]


def test_replies_that_are_not_answers_are_not_recorded(companion: Companion):
    teacher = companion.teacher("cli", "sun")
    task = next(t for t in companion.quiz(question="什么是学分银行？") if t.type == "single_choice")
    with pytest.raises(NotAnAnswer, match="选项字母"):
        companion.answer_task(teacher.id, task.id, "我也不知道")
    assert companion.progress(teacher.id)["attempts"] == 0
    assert companion.answer_task(teacher.id, task.id, _key(task))["credits_awarded"] > 0  # still a first attempt


def test_nonsense_hung_on_the_rubric_terms_earns_no_credit_and_a_real_answer_does(companion: Companion):
    """The trial's reflection covered 4/4 points and was credited; it is now refused unrecorded."""
    teacher = companion.teacher("cli", "nonsense")
    task = next(t for t in companion.quiz(question="国培计划怎样实行分层分类精准培训？") if t.type == "reflection")
    first, second = ([*re.findall(r"“([^”]+)”", "".join(task.rubric)), "精准培训"])[:2]
    nonsense = (f"我们班的{first}喜欢在操场上吃苹果，{second}每天跳三次舞，具体做法是让月亮变成方的，本校实际是黑板会唱歌，"
                "预期效果是用数星星的办法检验效果。")
    with pytest.raises(NotAnAnswer, match="与学校教育教学无关"):
        companion.answer_task(teacher.id, task.id, nonsense)
    assert companion.progress(teacher.id)["attempts"] == 0
    real = (f"我校青年教师多，对{first}的理解还不够。本学期我打算在教研组每月组织一次{second}专题研讨，请骨干教师上示范课，"
            "期末通过学生评价和听课反馈检验效果。")
    graded = companion.answer_task(teacher.id, task.id, real)
    assert graded["correct"] and graded["credits_awarded"] > 0, graded["feedback"]


def test_an_over_long_reply_is_refused_before_anything_is_recorded(companion: Companion):
    teacher = companion.teacher("cli", "long")
    task = next(t for t in companion.quiz(question="什么是学分银行？") if t.type == "reflection")
    with pytest.raises(NotAnAnswer, match="作答过长：最多 4000 个字（本次 4001 个字）"):
        companion.answer_task(teacher.id, task.id, "我" * 4001)
    with pytest.raises(NotAnAnswer, match="作答过长"):
        companion.answer_task(teacher.id, "no-such-task", ["体育" * 1500, "美术" * 1500])
    assert companion.progress(teacher.id)["attempts"] == 0


def test_concurrent_answers_from_many_teachers_lose_nothing(companion: Companion):
    task = next(t for t in companion.quiz(question="哪些学科属于紧缺学科？") if t.type in OBJECTIVE)
    key = task.answer if isinstance(task.answer, str) else list(task.answer)
    teachers = [companion.teacher("telegram", str(i)) for i in range(20)]
    results: list[dict] = []

    def answer(tid: str) -> None:
        results.append(companion.answer_task(tid, task.id, key))
        results.append(companion.answer_task(tid, task.id, key))

    threads = [threading.Thread(target=answer, args=(t.id,)) for t in teachers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 40
    for t in teachers:
        entries = companion.records.ledger.entries(t.id)
        assert len(entries) == 1, "credited exactly once per teacher"


def test_unknown_task_is_a_clear_error(companion: Companion):
    with pytest.raises(CompanionError, match="未找到编号"):
        companion.task("no-such-task")


def test_plan_follows_the_profile_and_what_next_offers_tasks(companion: Companion):
    teacher = companion.teacher("cli", "new-teacher")
    companion.records.teachers.update_profile(teacher.id, stage="新任", subject="语文", school_level="小学")
    plan = companion.plan(teacher.id, weeks=2)
    assert len(plan.items) == 14
    assert "师德" in plan.items[0].section or "核心素养" in plan.items[0].section
    step, tasks = companion.what_next(teacher.id)
    assert step.kind == "plan" and tasks


class _Shelf:
    """The knowledge base's chunks, which a trainer can change between two visits to the plan page; anything
    else (retrieval for a quiz) from ``rest``, when given."""

    def __init__(self, chunks: list, rest: Assistant | None = None) -> None:
        self.held = chunks
        self.rest = rest

    def chunks(self) -> list:
        return list(self.held)

    def __getattr__(self, name: str):
        if self.rest is None:
            raise AttributeError(name)
        return getattr(self.rest, name)


def test_a_plan_follows_resources_deleted_and_added_since_it_was_made(embedded_assistant: Assistant, tmp_path):
    from indexer.store import StoredChunk

    def resource(doc_id: str, title: str) -> StoredChunk:
        return StoredChunk(f"{doc_id}:v1:00000", "签到时间为上午8点。",
                           {"doc_id": doc_id, "title": title, "section": "一、签到", "ordinal": 0})

    bundled = embedded_assistant.chunks()
    shelf = _Shelf([*bundled, resource("res-old", "旧日程")])
    companion = Companion(shelf, Records(Database(tmp_path / "records.sqlite3")))  # type: ignore[arg-type]
    teacher = companion.teacher("cli", "planner")
    assert "res-old#一、签到" in {t.id for t in companion.plan(teacher.id, weeks=1).topics}
    shelf.held = [*bundled, resource("res-new", "新日程")]
    topics = {t.id for t in companion.plan(teacher.id).topics}
    assert "res-old#一、签到" not in topics and "res-new#一、签到" in topics
    assert companion.records.plans.load(teacher.id).topics == companion.plan(teacher.id).topics


def test_a_profile_changed_anywhere_re_ranks_the_plan_when_next_read(companion: Companion):
    """However the profile changed (here in the records themselves), the plan read next is ranked for the new
    profile, from the same start and with the day done kept: every surface reads it through here."""
    teacher = companion.teacher("cli", "switcher")
    companion.records.teachers.update_profile(teacher.id, stage="新任", subject="语文", school_level="小学")
    made = companion.plan(teacher.id, weeks=2)
    assert companion.records.plans.mark_done(teacher.id, made.items[0].topic_id)
    companion.records.teachers.update_profile(teacher.id, stage="骨干")
    plan = companion.plan(teacher.id)
    assert plan.profile["stage"] == "骨干" and plan.start == made.start and len(plan.items) == 14
    assert plan.items[0] == replace(made.items[0], done=True) and sum(i.done for i in plan.items) == 1
    assert [i.topic_id for i in plan.items[1:]] != [i.topic_id for i in made.items[1:]], "re-ranked"
    assert companion.plan(teacher.id) == plan == companion.records.plans.load(teacher.id)
    longer = companion.plan(teacher.id, weeks=3)
    assert len(longer.items) == 21 and longer.items[0].done and longer.start == made.start


def test_the_next_step_is_never_a_day_of_a_deleted_resource(embedded_assistant: Assistant, tmp_path):
    """/next reads the plan as it is now: a picked resource deleted since is no longer today's topic."""
    from indexer.store import StoredChunk

    gone = StoredChunk("res-gone:v1:00000", "签到时间为上午8点。",
                       {"doc_id": "res-gone", "title": "旧日程", "section": "一、签到", "ordinal": 0})
    bundled = embedded_assistant.chunks()
    shelf = _Shelf([*bundled, gone], rest=embedded_assistant)
    companion = Companion(shelf, Records(Database(tmp_path / "records.sqlite3")))  # type: ignore[arg-type]
    teacher = companion.teacher("cli", "planner")
    companion.plan(teacher.id, weeks=1)
    companion.records.plans.pick(teacher.id, "res-gone#一、签到")
    shelf.held = bundled
    step, _ = companion.what_next(teacher.id)
    assert step.kind == "plan" and step.topic != "res-gone#一、签到" and "旧日程" not in step.message


def test_a_weak_topic_is_practised_in_the_document_it_was_missed_in(embedded_assistant: Assistant, tmp_path):
    """A county's rules with a section named like the notice's: missed there, the topic was practised on the
    notice's 强化经费保障, found by searching every document for the section's name."""
    from indexer.store import StoredChunk

    section = "三、保障措施 > （二）强化经费保障"
    county = StoredChunk("res-county:v1:00000", "（二）强化经费保障\n县财政每年为每位参训教师安排交通补助800元，"
                         "由县教师发展中心在培训结束后统一发放。", {"doc_id": "res-county", "title": "青山县国培项目实施细则",
                                                     "section": section, "ordinal": 0})
    shelf = _Shelf([*embedded_assistant.chunks(), county], rest=embedded_assistant)
    companion = Companion(shelf, Records(Database(tmp_path / "records.sqlite3")))  # type: ignore[arg-type]
    teacher = companion.teacher("cli", "weak-in-county")
    for n in (1, 2):
        companion.records.tasks.save({"id": f"county-{n}", "type": "single_choice", "topic": section,
                                      "source": {"doc_id": "res-county", "title": "青山县国培项目实施细则",
                                                 "section": section, "chunk_id": county.id, "text": county.text}})
        companion.records.record_answer(teacher.id, f"county-{n}", "A", False)
    step, tasks = companion.what_next(teacher.id)
    assert (step.kind, step.topic, step.doc_id) == ("weak", section, "res-county")
    assert step.message.startswith("《青山县国培项目实施细则》“三、保障措施")
    assert tasks and {t.source.doc_id for t in tasks} == {"res-county"}


def test_the_domain_of_open_answers_follows_the_knowledge_base(embedded_assistant: Assistant, tmp_path):
    """A resource on labour lessons, added after the first answer, makes its vegetables part of school."""
    from indexer.store import StoredChunk

    shelf = _Shelf(embedded_assistant.chunks())
    companion = Companion(shelf, Records(Database(tmp_path / "records.sqlite3")))  # type: ignore[arg-type]
    assert companion.domain.judge("白菜") is False
    shelf.held = [*shelf.held, StoredChunk("res-labour:v1:00000", "劳动课上带学生种植蔬菜。",
                                           {"doc_id": "res-labour", "title": "劳动教育", "section": "一、种植",
                                            "ordinal": 0})]
    assert companion.domain.judge("白菜") is True


def test_a_plan_days_section_path_picks_the_first_sentence_under_its_heading() -> None:
    """A plan day's topic is a section path no sentence says (二、培训对象); in a passage named after the next
    section, the day's tasks start from the sentence under that heading, not from the closest other one."""
    from assistant.companion import _on_topic
    from assistant.hits import Hit

    text = ("二、培训对象\n全县农村初中数学教师60名，由各校推荐。\n三、培训安排\n（一）集中培训\n"
            "集中培训安排在7月10日至7月19日。\n")
    first, second = text.index("全县"), text.index("集中培训安排")
    hit = Hit("c", text, {"section": "三、培训安排 > （一）集中培训"},
              sentences=[(first, text.index("\n", first), 0.1), (second, len(text) - 1, 0.9)])
    assert _on_topic(hit, "二、培训对象") == "全县农村初中数学教师60名，由各校推荐。"
    assert _on_topic(hit, "集中培训安排") == "集中培训安排在7月10日至7月19日。"
    assert _on_topic(hit, "五、经费保障") == "集中培训安排在7月10日至7月19日。"  # no such heading: the closest
