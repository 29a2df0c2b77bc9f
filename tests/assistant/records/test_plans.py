from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from assistant.errors import InvalidInput
from assistant.records import Plan, Records, Topic, build_plan, topics_from_chunks
from assistant.records.topics import MAX_TOPICS_PER_DOCUMENT
from indexer.store import StoredChunk
from tests.assistant.records.conftest import NOON, add_task

DOC = "jiaoshihan-2021-4"
SECTIONS = {
    "前言": "为深入贯彻……",
    "二、重点工作 > 1. 突出教师核心素养培养": "统筹思想政治、师德师风、业务能力培训。",
    "二、重点工作 > 2. 强化培训内容标准引领": "加强义务教育新课程标准培训。",
    "二、重点工作 > 4. 创新教师发展协同机制": "健全优质学校与乡村小规模学校协同发展机制。",
    "二、重点工作 > 7. 建强专业化教师培训队伍": "加大培训者培训力度，打造教师培训专家库。",
    "三、保障措施 > （二）强化经费保障": "安排教师培训经费。",
}


def chunks() -> list[StoredChunk]:
    out = []
    for n, (section, text) in enumerate(SECTIONS.items()):
        for part in range(2):  # two chunks per section → still one topic
            meta = {"doc_id": DOC, "title": "国培计划通知", "section": section, "kind": "policy",
                    "tags": "国培计划", "ordinal": n * 2 + part}
            out.append(StoredChunk(f"{DOC}:v:{n * 2 + part:05d}", text, meta))
    return out


def ids_in_order(plan) -> list[str]:
    return list(dict.fromkeys(i.topic_id.split("#", 1)[1] for i in plan.items))


def test_topics_from_chunks_one_per_section_with_text_keywords() -> None:
    """One topic per section in reading order, but for the preamble (the addressees and a preface): nothing to
    study there, and it used to be day one of every plan."""
    topics = topics_from_chunks(reversed(chunks()))
    assert [t.section for t in topics] == [s for s in SECTIONS if s != "前言"]
    core = topics[0]
    assert core.id == f"{DOC}#二、重点工作 > 1. 突出教师核心素养培养"
    assert "国培计划" in core.tags and "师德师风" in core.tags


def test_a_section_sharing_a_chunk_with_the_next_is_a_topic_of_its_own() -> None:
    """The chunker names a chunk after the last of the short sections it holds: 二、培训对象 inside a chunk
    named 三、培训安排 > （一）集中培训 and 四、考核与学分 inside 五、经费保障 were no topics, so a teacher could
    not plan or pick them (--pick 考核与学分 was refused) although the outline after upload listed them."""
    doc = "res-0123456789ab"
    texts = [("一、培训目标\n提升初中数学教师的课堂教学能力。\n", "一、培训目标"),
             ("二、培训对象\n全县农村初中数学教师60名。\n三、培训安排\n（一）集中培训\n集中培训安排在7月10日至7月19日。\n",
              "三、培训安排 > （一）集中培训"),
             ("（二）跟岗实践\n1. 每位教师跟岗不少于15天。\n2. 每周提交一篇教学反思。\n", "三、培训安排 > （二）跟岗实践"),
             ("四、考核与学分\n考核合格的，记继续教育学分8学分。\n五、经费保障\n交通费按每人每天50元标准补助。", "五、经费保障")]
    stored, at = [], 0
    for n, (text, section) in enumerate(texts):
        meta = {"doc_id": doc, "title": "清河县项目实施方案", "section": section, "kind": "resource", "tags": "",
                "ordinal": n, "start": at, "end": at + len(text)}
        stored.append(StoredChunk(f"{doc}:v:{n:05d}", text, meta))
        at += len(text)
    topics = topics_from_chunks(reversed(stored))
    assert [t.section for t in topics] == ["一、培训目标", "二、培训对象", "三、培训安排 > （一）集中培训",
                                           "三、培训安排 > （二）跟岗实践", "四、考核与学分", "五、经费保障"]
    plan = build_plan({"stage": "新任"}, topics, weeks=1, start=date(2026, 3, 2))
    assert plan.find_topic("考核与学分").id == f"{doc}#四、考核与学分"
    assert plan.find_topic("培训对象").id == f"{doc}#二、培训对象"


def test_new_teachers_start_with_ethics_experienced_with_trainer_topics() -> None:
    topics = topics_from_chunks(chunks())
    new = ids_in_order(build_plan({"stage": "新任"}, topics, start=date(2026, 3, 1)))
    assert new[:2] == ["二、重点工作 > 1. 突出教师核心素养培养", "二、重点工作 > 2. 强化培训内容标准引领"]
    for stage in ("骨干", "名师"):
        senior = ids_in_order(build_plan({"stage": stage}, topics, start=date(2026, 3, 1)))
        assert set(senior[:2]) == {"二、重点工作 > 7. 建强专业化教师培训队伍", "二、重点工作 > 4. 创新教师发展协同机制"}


def test_plan_has_one_item_a_day_over_the_weeks() -> None:
    plan = build_plan({"stage": "青年"}, topics_from_chunks(chunks()), weeks=2, start=date(2026, 3, 2))
    assert len(plan.items) == 14
    assert [i.date for i in plan.items[:2]] == ["2026-03-02", "2026-03-03"]
    assert plan.items[7].week == 2 and plan.items[0].week == 1
    assert build_plan({}, [], weeks=1).items == ()
    with pytest.raises(ValueError, match="周数"):
        build_plan({}, [], weeks=0)


def test_subject_and_level_break_ties() -> None:
    topics = [Topic("a", "t", "语文教学", tags=()), Topic("b", "t", "幼小衔接", tags=()), Topic("c", "t", "其他")]
    assert ids_in_order_simple(build_plan({"subject": "语文"}, topics, weeks=1)) == ["a", "b", "c"]
    assert ids_in_order_simple(build_plan({"school_level": "幼儿园"}, topics, weeks=1)) == ["b", "a", "c"]


def ids_in_order_simple(plan) -> list[str]:
    return list(dict.fromkeys(i.topic_id for i in plan.items))


def test_pick_and_drop_are_stored_and_keep_progress(records: Records, teacher) -> None:
    topics = topics_from_chunks(chunks())
    plans = records.plans
    plans.create(teacher.id, {"stage": "新任"}, topics, weeks=1, now=NOON)
    first = plans.load(teacher.id).items[0]
    assert plans.mark_done(teacher.id, first.topic_id, now=NOON)
    fee = f"{DOC}#三、保障措施 > （二）强化经费保障"
    picked = plans.pick(teacher.id, fee, now=NOON)
    assert picked.items[0] == replace(first, done=True), "the day done stays as it was"
    assert picked.next_item().topic_id == fee and fee in picked.picked
    dropped = plans.drop(teacher.id, fee, now=NOON)
    assert fee not in {i.topic_id for i in dropped.items} and fee not in dropped.picked
    assert plans.load(teacher.id) == dropped
    with pytest.raises(ValueError, match="没有主题"):
        plans.pick(teacher.id, "nope")


def test_what_next_prefers_reviews_then_weak_topics_then_plan(records: Records, teacher) -> None:
    topics = topics_from_chunks(chunks())
    assert records.what_next(teacher.id, NOON).kind == "none"
    records.plans.create(teacher.id, {"stage": "新任"}, topics, weeks=1, now=NOON)
    step = records.what_next(teacher.id, NOON)
    assert step.kind == "plan" and step.item and step.item.day == 0
    core = topics[0].id
    add_task(records, "k1", core)
    add_task(records, "k2", core)
    records.record_answer(teacher.id, "k1", "B", False, now=NOON)
    records.record_answer(teacher.id, "k1", "B", False, now=NOON)  # practice: one task missed is no weak topic
    assert records.what_next(teacher.id, NOON).kind == "plan"
    records.record_answer(teacher.id, "k2", "B", False, now=NOON)
    assert records.what_next(teacher.id, NOON).kind == "weak"
    step = records.what_next(teacher.id, NOON + timedelta(days=1))
    assert (step.kind, step.task_id) == ("review", "k1")
    out = records.record_answer(teacher.id, "k1", "A", True, now=NOON + timedelta(days=1))
    assert out.plan_item_done  # the task's topic is a plan topic, so the day is ticked


def _compilation(articles: int, parts: int = 0) -> list[StoredChunk]:
    """A regulation compilation: ``articles`` articles, flat or under ``parts`` chapters."""
    out = []
    for n in range(articles):
        section = f"第{n // (articles // parts) + 1}章 > 第{n + 1}条" if parts else f"第{n + 1}条"
        text = "加强师德师风建设。" if n % 50 == 7 else "按规定办理。"
        out.append(StoredChunk(f"huibian:v:{n:05d}", text, {"doc_id": "huibian", "title": "汇编", "section": section,
                                                           "ordinal": n}))
    return out


def test_a_long_document_offers_a_bounded_number_of_topics() -> None:
    """Thousands of articles would be thousands of topics on every teacher's plan page."""
    flat = topics_from_chunks(_compilation(2000))
    assert len(flat) == MAX_TOPICS_PER_DOCUMENT
    assert {"第8条", "第58条"} <= {t.section for t in flat}, "the articles that speak of what plans teach stay"
    assert [int(t.section[1:-1]) for t in flat] == sorted(int(t.section[1:-1]) for t in flat), "in reading order"
    chapters = topics_from_chunks(_compilation(600, parts=6))
    assert [t.section for t in chapters] == [f"第{n}章" for n in range(1, 7)]
    assert len(topics_from_chunks(chunks())) == len(SECTIONS) - 1, "a short document keeps every section but its preamble"


def test_a_plan_follows_the_knowledge_base_keeping_picks_and_done_days(records: Records, teacher) -> None:
    topics = topics_from_chunks(chunks())
    records.plans.create(teacher.id, {"stage": "新任"}, topics, weeks=1, now=NOON)
    gone, kept = topics[1].id, topics[2].id
    records.plans.pick(teacher.id, gone, now=NOON)
    records.plans.pick(teacher.id, kept, now=NOON)
    first = records.plans.load(teacher.id).items[0]
    records.plans.mark_done(teacher.id, first.section, now=NOON)
    remaining = [t for t in topics if t.id != gone] + [Topic("new-res#一、签到", "日程", "一、签到")]
    plan = records.plans.follow(teacher.id, remaining, now=NOON)
    assert gone not in {t.id for t in plan.topics} and gone not in {i.topic_id for i in plan.items}
    assert plan.picked == (kept,) and "new-res#一、签到" in {t.id for t in plan.topics}
    assert sum(i.done for i in plan.items) == (first.topic_id != gone)


KG = {"stage": "新任", "subject": "学前教育", "school_level": "幼儿园"}
PRIMARY_CHINESE = {"stage": "青年", "subject": "语文", "school_level": "小学"}


def test_a_new_profile_re_ranks_the_days_ahead_keeping_the_days_done_picks_and_start(records: Records,
                                                                                       teacher) -> None:
    """A kindergarten teacher who did two days and then says they teach primary-school Chinese: the days done
    stay done on their dates, the rest of the plan puts the 小学语文 outline first and leaves the kindergarten
    document out, and it still starts on the day it started. It used to be rebuilt from today with nothing
    done."""
    topics = topics_from_chunks(library())
    plans = records.plans
    made = plans.create(teacher.id, KG, topics, weeks=2, now=NOON)
    assert docs_in_order(made)[0] == "kg"
    fee = "notice#三、保障措施 > （二）强化经费保障"
    plans.pick(teacher.id, fee, now=NOON)
    for item in plans.load(teacher.id).items[:2]:
        assert plans.mark_done(teacher.id, item.topic_id, now=NOON)
    before = plans.load(teacher.id)
    plan = plans.follow(teacher.id, topics, PRIMARY_CHINESE, now=NOON + timedelta(days=3))
    assert plan.profile == PRIMARY_CHINESE and plan.start == made.start and plan.picked == (fee,)
    assert plan.items[:2] == before.items[:2] and sum(i.done for i in plan.items) == 2
    ahead = [i for i in plan.items if not i.done]
    assert ahead[0].topic_id.startswith("outline#") and not any(i.topic_id.startswith("kg#") for i in ahead)
    assert [i.day for i in plan.items] == list(range(14))
    assert [i.date for i in plan.items] == [(date.fromisoformat(made.start) + timedelta(days=d)).isoformat()
                                            for d in range(14)]
    assert plans.load(teacher.id) == plan


def test_the_topics_done_are_not_scheduled_again_sooner(records: Records, teacher) -> None:
    """Each topic studied on a day done is taken once out of the days ahead: in a one-week plan over six
    topics with three studied, the other three come next and a studied one only after them."""
    topics = topics_from_chunks(library())
    plans = records.plans
    plans.create(teacher.id, PRIMARY_CHINESE, topics, weeks=1, now=NOON)
    done = [i.topic_id for i in plans.load(teacher.id).items[:3]]
    for topic_id in done:
        plans.mark_done(teacher.id, topic_id, now=NOON)
    plan = plans.follow(teacher.id, topics, {**PRIMARY_CHINESE, "stage": "骨干"}, now=NOON)
    ahead = [i.topic_id for i in plan.items if not i.done]
    assert len(ahead) == 4 and not set(done) & set(ahead[:len(set(ahead) - set(done))])


def test_a_shorter_plan_keeps_every_day_done(records: Records, teacher) -> None:
    """Days done past the end of a plan made shorter move to its first open days rather than vanish."""
    topics = topics_from_chunks(library())
    plans = records.plans
    made = plans.create(teacher.id, PRIMARY_CHINESE, topics, weeks=2, now=NOON)
    items = [replace(i, done=i.day in (0, 10)) for i in made.items]  # a topic studied ahead of its day
    plans.save(teacher.id, replace(made, items=tuple(items)), now=NOON)
    plan = plans.follow(teacher.id, topics, weeks=1, now=NOON)
    assert plan.weeks == 1 and len(plan.items) == 7
    assert [(i.day, i.topic_id) for i in plan.items if i.done] == [(0, items[0].topic_id), (1, items[10].topic_id)]
    assert plan.items[1].date == (date.fromisoformat(made.start) + timedelta(days=1)).isoformat()


def test_a_document_that_is_all_preamble_keeps_it_as_its_topic() -> None:
    """An upload without headings is one section, 前言: dropping it would leave the document out of plans."""
    flat = [StoredChunk("note:v:00000", "暑期研修于七月举办。", {"doc_id": "note", "title": "通知", "section": "前言"})]
    assert [t.section for t in topics_from_chunks([*chunks(), *flat])] == [*list(SECTIONS)[1:], "前言"]


def plan_over(sections: list[str]) -> Plan:
    topics = [Topic(f"{DOC}#{section}", "国培计划通知", section) for section in sections]
    return build_plan({}, topics, weeks=1, start=date(2026, 3, 2))


FEE = "三、保障措施 > （二）强化经费保障"
BASICS = ["一、基本思路", "一、基本思路 > （一）支持重点", "一、基本思路 > （二）目标任务", FEE]


def test_a_topic_is_found_by_number_heading_or_a_part_of_its_title() -> None:
    """What a teacher sees (the listed number, the heading with or without its ordinal, a word of it) names a
    topic as well as its id does."""
    plan = plan_over(BASICS)
    assert plan.choices()[0] == "1. 一、基本思路" and plan.number(f"{DOC}#{FEE}") == 4
    for ref in (f"{DOC}#{FEE}", "4", "４", FEE, "（二）强化经费保障", "强化经费保障", "经费", " 经 费 "):
        assert plan.find_topic(ref).section == FEE, ref
    assert plan.find_topic("基本思路").section == "一、基本思路"  # the heading itself, not the three containing it
    assert plan.find_topic("支持重点").section == "一、基本思路 > （一）支持重点"


@pytest.mark.parametrize(("ref", "said", "listed"), [
    ("师德", "计划中没有主题“师德”，请用编号或标题中的词从可选主题中选择：", BASICS),
    ("9", "没有编号为 9 的主题：编号从 1 到 4。", BASICS),
    ("（", "有 3 个主题都含“（”，请用编号或更完整的标题指明其中一个：", BASICS[1:]),
], ids=["no-match", "no-such-number", "several"])
def test_no_or_several_matches_list_the_choices(ref: str, said: str, listed: list[str]) -> None:
    plan = plan_over(BASICS)
    with pytest.raises(InvalidInput) as refused:
        plan.find_topic(ref)
    message = str(refused.value)
    assert message.startswith(said)
    assert all(f"{BASICS.index(s) + 1}. {s}" in message for s in listed)
    assert all(s not in message.split("：", 1)[1].split("；") for s in set(BASICS) - set(listed))


def test_several_documents_are_told_apart_in_the_choices() -> None:
    topics = [Topic("a#一、总体要求", "甲市方案", "一、总体要求"), Topic("b#一、总体要求", "乙县方案", "一、总体要求")]
    plan = build_plan({}, topics, weeks=1)
    assert plan.choices() == ["1. 一、总体要求（《甲市方案》）", "2. 一、总体要求（《乙县方案》）"]
    with pytest.raises(InvalidInput, match="有 2 个主题"):
        plan.find_topic("总体要求")
    assert plan.find_topic("2").id == "b#一、总体要求"


NOTICE = "教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知"
OUTLINE = "“国培计划”小学语文骨干教师研修课程大纲"
KINDERGARTEN_DOC = "某县幼儿园园本研修管理办法"
LIBRARY = {
    "notice": (NOTICE, {}, ["二、重点工作 > 1. 突出教师核心素养培养", "二、重点工作 > 2. 强化培训内容标准引领",
                            "三、保障措施 > （二）强化经费保障"]),
    "outline": (OUTLINE, {"stage": "小学", "subject": "语文"}, ["二、课程目标", "三、课程模块", "七、推荐阅读书目"]),
    "kg": (KINDERGARTEN_DOC, {}, ["一、总则", "二、研修内容", "三、学分认定"]),
}


def library() -> list[StoredChunk]:
    out = []
    for doc_id, (title, declared, sections) in LIBRARY.items():
        for n, section in enumerate(sections):
            meta = {"doc_id": doc_id, "title": title, "section": section, "ordinal": n, **declared}
            out.append(StoredChunk(f"{doc_id}:v:{n:05d}", f"{section}：师德师风与课程标准。", meta))
    return out


def docs_in_order(plan) -> list[str]:
    return list(dict.fromkeys(i.topic_id.split("#", 1)[0] for i in plan.items))


def test_a_kindergarten_teacher_studies_the_kindergarten_document_not_the_primary_chinese_outline() -> None:
    """The trial: 新任 / 学前教育 / 幼儿园 was scheduled the 小学语文 outline's 三、课程模块 and 七、推荐阅读书目 while the
    kindergarten document never came up."""
    plan = build_plan({"stage": "新任", "subject": "学前教育", "school_level": "幼儿园"}, topics_from_chunks(library()),
                      start=date(2026, 12, 1))
    assert docs_in_order(plan) == ["kg", "notice"]
    assert {i.section for i in plan.items[:3]} == {"一、总则", "二、研修内容", "三、学分认定"}
    assert "outline#三、课程模块" in {t.id for t in plan.topics}, "still a topic the teacher may pick"


def test_a_primary_chinese_teacher_gets_the_outline_first_and_no_kindergarten_document() -> None:
    plan = build_plan({"stage": "青年", "subject": "语文", "school_level": "小学"}, topics_from_chunks(library()),
                      start=date(2026, 12, 1))
    assert docs_in_order(plan) == ["outline", "notice"]


def test_a_document_for_other_teachers_is_scheduled_when_picked_or_when_nothing_else_is_left() -> None:
    topics = topics_from_chunks(library())
    kg = {"stage": "新任", "subject": "学前教育", "school_level": "幼儿园"}
    picked = build_plan(kg, topics, weeks=1, picked=["outline#七、推荐阅读书目"], start=date(2026, 12, 1))
    assert picked.items[0].topic_id == "outline#七、推荐阅读书目"
    only_outline = [t for t in topics if t.id.startswith("outline#")]
    assert build_plan(kg, only_outline, weeks=1).items, "a plan of something rather than an empty one"


def test_a_plan_day_names_its_document_by_its_short_title() -> None:
    """「2026-12-08 · [50] 三、课程模块」 did not say which document: every day and topic carries the short title,
    also in the dict the API returns, and a stored plan reads back the same."""
    plan = build_plan({"school_level": "小学", "subject": "语文"}, topics_from_chunks(library()), weeks=1,
                      start=date(2026, 12, 1))
    first = plan.items[0]
    assert (first.short_title, first.section) == ("小学语文骨干教师研修课程大纲", "二、课程目标")
    shown = plan.to_dict()
    assert shown["items"][0]["short_title"] == "小学语文骨干教师研修课程大纲"
    assert {t["short_title"] for t in shown["topics"]} == {
        "关于实施中小学幼儿园教师国家级培训计划的通知", "小学语文骨干教师研修课程大纲", "某县幼儿园园本研修管理办法"}
    assert Plan.from_dict(shown) == plan
    assert any(c.endswith(". 三、课程模块（《小学语文骨干教师研修课程大纲》）") for c in plan.choices())


def test_the_next_step_names_the_document_too(records: Records, teacher) -> None:
    records.plans.create(teacher.id, {"school_level": "小学", "subject": "语文"}, topics_from_chunks(library()),
                         weeks=1, now=NOON)
    assert records.plans.what_next(teacher.id, NOON).message == \
        "按计划第 1 周：学习《小学语文骨干教师研修课程大纲》“二、课程目标”。"
