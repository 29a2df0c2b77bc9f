"""The assistant end to end: real Chroma (embedded and server), real bundled embedder, bundled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.question import analyse
from assistant.service import Assistant, QuestionError
from assistant.settings import Settings

FUNDING_SECTION = "三、保障措施 > （二）强化经费保障"


def test_funding_question_is_answered_with_5_percent_and_its_citation(assistant: Assistant):
    out = assistant.ask("学校每年要拿出多少经费用于教师培训？")
    assert not out["abstained"]
    assert "5%" in out["answer"] and "[1]" in out["answer"]
    first = out["citations"][0]
    assert first["section"] == FUNDING_SECTION
    assert first["doc_number"] == "教师函〔2021〕4号"
    assert "5%" in first["text"]
    assert out["retrieved"][0]["section"] == FUNDING_SECTION
    assert set(out) == {"id", "answer", "abstained", "verdict", "hedged", "citations", "retrieved"}
    assert out["hedged"] is False


def test_quoted_citation_text_is_verbatim_from_the_retrieved_chunk(assistant: Assistant):
    out = assistant.ask("什么是学分银行？")
    chunk_texts = [r["text"] for r in out["retrieved"]]
    for cit in out["citations"]:
        pieces = cit["text"].split("……")
        assert all(any(p in t for t in chunk_texts) for p in pieces)


def test_off_topic_question_abstains_plainly(assistant: Assistant):
    out = assistant.ask("红烧肉怎么做才不腻？")
    assert out["abstained"] and out["citations"] == []
    assert "没有找到" in out["answer"]


def test_an_item_counted_with_nothing_before_it_is_asked_about_not_guessed(assistant: Assistant):
    out = assistant.ask("第三项具体怎么搞？")
    assert out["abstained"] and out["verdict"] == "not_found" and out["citations"] == []
    assert "「第三项」指的是哪一项" in out["answer"]


def test_an_item_past_the_end_of_the_last_list_is_told_what_the_list_has(assistant: Assistant):
    """第三项 after a reply that listed two parts: there are only two, and the teacher is told which."""
    history = [{"role": "user", "content": "保障措施有哪几条？"},
               {"role": "assistant", "content": "「（一）健全工作机制」[1]\n「（二）强化经费保障」[2]"}]
    out = assistant.ask("第三项具体怎么搞？", history)
    assert out["abstained"] and out["verdict"] == "not_found" and out["citations"] == []
    assert out["answer"].startswith("前面列出的只有这2项：健全工作机制、强化经费保障，没有「第三项」。"), out["answer"]
    assert "没有「第五条」" in assistant.ask("第五条呢？", history)["answer"], "a list of 条 is counted in 条 too"
    # Tasks quoted 1. and 2. are whole sentences: counted, not strung together again.
    tasks = [{"role": "user", "content": "校本实践要完成哪些任务？"},
             {"role": "assistant", "content": "1. 在本校上研究课不少于2节，其中1节录制课堂实录。[1]\n"
                                              "2. 每节研究课提交教学设计和课后反思。[2]"}]
    assert assistant.ask("第七条呢？", tasks)["answer"].startswith("前面列出的只有2项，没有「第七条」。")


def test_false_premise_is_answered_by_quoting_the_source(assistant: Assistant):
    out = assistant.ask("教师培训经费按公用经费的10%安排，对吗？")
    assert not out["abstained"]
    assert "5%" in out["answer"] and "更正" in out["answer"]


def test_follow_up_is_resolved_with_history(assistant: Assistant):
    history = [{"role": "user", "content": "什么是学分银行？"}, {"role": "assistant", "content": "……"}]
    out = assistant.ask("它和学历教育是什么关系？", history)
    assert not out["abstained"]
    assert "学历教育衔接" in out["answer"]


def test_a_follow_up_that_reads_as_whole_is_also_read_with_the_conversations_topic(assistant: Assistant):
    """谁来负责建设 names something of its own, yet after 什么是学分银行 it asks who builds the credit bank: read with
    the last topic it is better supported, so that reading is answered."""
    history = [{"role": "user", "content": "什么是学分银行？"}, {"role": "assistant", "content": "……"}]
    alone = assistant.retrieve("谁来负责建设？")
    joined = assistant.retrieve("谁来负责建设？", history)
    assert "学分银行" not in alone.hits[0].text
    assert "学分银行" in joined.hits[0].text and joined.strength > alone.strength
    # A question about something the knowledge base never mentions has changed the subject: still not found.
    assert assistant.ask("红烧肉怎么做才不腻？", history)["verdict"] == "not_found"


def test_a_new_subject_is_not_lent_an_answer_by_the_conversation(assistant: Assistant):
    """今天天气怎么样 names nothing the notice speaks of and does not point back: after the funding question it is
    as unanswered as on its own, on every surface that sends the conversation along."""
    history = [{"role": "user", "content": "学校每年要拿出多少经费用于教师培训？"},
               {"role": "assistant", "content": "……按照年度公用经费预算总额的5%安排教师培训经费……"}]
    assert assistant.ask("今天天气怎么样", history)["verdict"] == assistant.ask("今天天气怎么样")["verdict"] == "not_found"


def test_the_topic_reading_must_hold_some_of_the_questions_own_words() -> None:
    from assistant.hits import Hit, Retrieval
    from assistant.service import _own_terms_held

    def read(text: str, section: str = "二、其他事项") -> Retrieval:
        return Retrieval(query="q", terms=(), hits=[Hit("d:0", text, {"section": section})],
                         question=analyse("学校每年要拿出多少经费用于教师培训？"))

    alone = read("中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费。", "三、保障措施 > （二）强化经费保障")
    assert not _own_terms_held(read("本年度暂不安排教师出国研修项目。"), alone)
    assert _own_terms_held(read("出国研修的经费由学校承担。"), alone)
    assert _own_terms_held(read("本年度暂不安排教师出国研修项目。"), read("另行通知。"))


def test_a_follow_up_read_with_the_topic_is_judged_by_what_the_teacher_asked(assistant: Assistant):
    """After a question about credits, 那乡村教师每年能参加几次 asks how often: what the notice does not state is a
    number of times, named in the teacher's words, not 具体学分."""
    history = [{"role": "user", "content": "国培的学分怎么认定？"}, {"role": "assistant", "content": "……"}]
    retrieval = assistant.retrieve("那乡村教师每年能参加几次？", history)
    assert retrieval.query != "那乡村教师每年能参加几次？" and retrieval.question.unit == "count"
    assert retrieval.asked == "那乡村教师每年能参加几次？"
    out = assistant.ask("那乡村教师每年能参加几次？", history)
    assert out["verdict"] == "not_specified" and "没有写明乡村教师的具体次数" in out["answer"], out["answer"]


def test_a_figure_is_not_on_topic_by_words_every_passage_uses(assistant: Assistant):
    """乡村教师培训占多大比例: the notice's 5% shares 教师培训 with it, as most of its passages do; nothing about 乡村
    has a share. 学校培训经费占多大比例 shares 经费 with it and is answered."""
    retrieval = assistant.retrieve("乡村教师培训占多大比例")
    assert {"教师", "培训"} <= set(retrieval.common) and "乡村" not in retrieval.common
    out = assistant.ask("乡村教师培训占多大比例")
    assert out["verdict"] == "not_specified" and "没有写明乡村教师培训的具体比例" in out["answer"], out["answer"]
    out = assistant.ask("学校培训经费占多大比例")
    assert out["verdict"] == "answered" and "5%" in out["answer"], out["answer"]


def test_a_question_that_names_the_programme_is_read_on_its_own(assistant: Assistant):
    """国培要求线上学习占多少 says what it asks of; read with the last reply's topic (省级统筹, the notice's title) it
    found the 5% of the school budget, a share of something else."""
    history = [{"role": "user", "content": "省里要做什么"},
               {"role": "assistant", "content": "根据《教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知》"
                                                "「三、保障措施」：加强省级统筹，强化省域内“国培计划”项目规划。[1]"}]
    retrieval = assistant.retrieve("国培要求线上学习占多少", history)
    assert retrieval.query == "国培要求线上学习占多少"
    assert assistant.ask("国培要求线上学习占多少", history)["verdict"] == "not_specified"


def test_a_heading_the_question_repeats_names_its_section(embedded_assistant: Assistant):
    """第三项具体怎么搞 after the outline of 二、重点工作 becomes the heading's words: its own section answers."""
    out = embedded_assistant.ask("强化能力建设，健全教师发展支持服务体系具体怎么搞？")
    assert "（三）强化能力建设，健全教师发展支持服务体系" in out["citations"][0]["section"], out["citations"]


def test_a_bare_item_of_an_outline_is_answered_with_the_parts_under_it(embedded_assistant: Assistant):
    """第二项呢 after the outline of 二、重点工作: the part has three headings of its own, and all are listed, not the
    sentences of one of them."""
    first = embedded_assistant.ask("国培计划有哪些重点工作？")
    assert "「（二）推进重点改革，完善高质量精准化的培训机制」" in first["answer"], first["answer"]
    history = [{"role": "user", "content": "国培计划有哪些重点工作？"}, {"role": "assistant", "content": first["answer"]}]
    out = embedded_assistant.ask("第二项呢？", history)
    for heading in ("3. 完善教师自主发展机制", "4. 创新教师发展协同机制", "5. 推动人工智能与教师培训融合"):
        assert f"「{heading}」" in out["answer"], out["answer"]


def test_items_of_a_thing_the_notice_only_names_are_not_specified(assistant: Assistant):
    """十项准则具体是哪十项: the notice names the ten rules but lists none; 三科 it lists (道德与法治、语文、历史)."""
    ten = assistant.ask("十项准则具体是哪十项？")
    assert ten["verdict"] == "not_specified" and "「十项准则」具体是哪十项" in ten["answer"], ten["answer"]
    three = assistant.ask("三科统编教材是哪三科？")
    assert three["verdict"] == "answered" and "道德与法治、语文、历史" in three["answer"], three["answer"]


def test_a_word_typed_with_a_character_of_the_same_sound_is_read_as_meant_and_the_teacher_told(assistant: Assistant):
    """国陪计划 (陪 for 培, one key apart in a pinyin input method) was told the documents never mention 「国陪」."""
    out = assistant.ask("国陪计划的经费怎么保障")
    assert out["answer"].startswith("（已将您输入的「国陪」按「国培」理解。）\n"), out["answer"]
    assert out["verdict"] == "answered" and "5%" in out["answer"], out["answer"]
    assert "已将" not in assistant.ask("国培计划的经费怎么保障")["answer"]
    # A follow-up read with the turn that had the typo is not told about it again.
    history = [{"role": "user", "content": "国陪计划的经费怎么保障"}, {"role": "assistant", "content": out["answer"]}]
    assert "已将" not in assistant.ask("保障措施有哪几条？", history)["answer"]


def test_a_body_the_notice_is_addressed_to_is_told_so(assistant: Assistant):
    out = assistant.ask("新疆生产建设兵团也适用吗？")
    assert out["verdict"] == "answered" and "主送单位中有「新疆生产建设兵团」" in out["answer"], out["answer"]
    assert "新疆生产建设兵团教育局、财政局" in out["citations"][0]["text"], out["citations"]


def test_a_generic_education_department_is_the_provinces_in_the_notice(assistant: Assistant):
    # The notice never writes 教育部门; it was told so, instead of what the provinces are to do.
    result = assistant.ask("省级教育部门要做什么？")
    assert not result["abstained"] and "教育部门" not in result["answer"], result["answer"]
    assert "本省份" in result["answer"] or "省级统筹" in result["answer"]


def test_who_the_teacher_is_is_no_term_the_notice_must_name_to_say_who_may_take_part(assistant: Assistant):
    # It said the notice never mentions 「数学老师」, as if the question were about maths teachers.
    result = assistant.ask("我是村小的数学老师，国培我能报名吗？")
    assert "数学老师" not in result["answer"], result["answer"]


def test_traditional_and_english_questions_find_the_funding_rule(assistant: Assistant):
    assert "5%" in assistant.ask("學校每年要拿出多少經費用於教師培訓？")["answer"]
    hits = assistant.search("What share of a school's budget must go to teacher training?", k=3)
    assert any(h["section"] == FUNDING_SECTION for h in hits)


def test_english_questions_are_read_in_the_knowledge_bases_words(embedded_assistant: Assistant):
    r = embedded_assistant.retrieve("What is a credit bank?")
    assert r.question is not None and {"学分", "银行"} <= set(r.question.focus) and not r.unknown
    out = embedded_assistant.ask("What is a credit bank?")
    assert not out["abstained"] and "学分银行" in out["answer"]
    assert "5%" in embedded_assistant.ask("What share of a school's budget must go to teacher training?")["answer"]


def test_an_english_question_off_the_topic_is_declined(embedded_assistant: Assistant):
    r = embedded_assistant.retrieve("How do I bake sourdough bread at home?")
    assert {"sourdough", "bread"} <= set(r.unknown), "words the knowledge base has no rendering for"
    out = embedded_assistant.ask("How do I bake sourdough bread at home?")
    assert out["abstained"] and out["citations"] == []


@pytest.mark.parametrize("bad", ["", "   ", "问" * 600])
def test_empty_or_huge_questions_are_refused_with_a_reason(assistant: Assistant, bad: str):
    with pytest.raises(QuestionError):
        assistant.ask(bad)


def test_question_without_words_abstains(assistant: Assistant):
    assert assistant.ask("？？？！！！")["abstained"]


def test_metadata_filter_limits_results(assistant: Assistant):
    assert assistant.search("培训经费", where={"kind": "policy"})
    assert assistant.search("培训经费", where={"kind": "no-such-kind"}) == []


def test_indexing_again_changes_nothing(assistant: Assistant):
    before = assistant.store.count()
    results = assistant.ensure_indexed()
    assert [r.changed for r in results] == [False]
    assert assistant.store.count() == before


def test_trainer_file_is_indexed_replaced_and_deleted(tmp_path: Path):
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    doc = tmp_path / "校本研修指南.txt"
    doc.write_bytes("校本研修指南\n一、总体要求\n每位教师每学年参加校本研修不少于七十二学时。\n".encode("gbk"))
    (first,) = assistant.index_paths([doc])
    assert first.changed and first.chunks >= 1
    assert "七十二学时" in assistant.ask("教师每学年校本研修要多少学时？")["answer"]

    doc.write_bytes("校本研修指南\n一、总体要求\n每位教师每学年参加校本研修不少于九十学时。\n".encode("gbk"))
    (second,) = assistant.index_paths([doc])
    assert second.changed and second.version != first.version
    texts = " ".join(c.text for c in assistant.store.all_chunks())
    assert "九十学时" in texts and "七十二学时" not in texts
    assert "九十学时" in assistant.ask("教师每学年校本研修要多少学时？")["answer"]

    assert assistant.delete_document(second.doc_id) >= 1
    assert assistant.store.count() == 0
    assert assistant.ask("教师每学年校本研修要多少学时？")["abstained"]


def test_two_files_of_one_name_in_different_folders_are_two_documents(tmp_path: Path):
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    (tmp_path / "市里").mkdir()
    (tmp_path / "区里").mkdir()
    city, district = tmp_path / "市里" / "细则.txt", tmp_path / "区里" / "细则.txt"
    city.write_text("某市教师培训实施细则\n每位教师每学年参加市级培训不少于三天。\n", encoding="utf-8")
    district.write_text("某区教师继续教育规定\n每位教师每学年参加区级培训不少于五天。\n", encoding="utf-8")
    (first,) = assistant.index_paths([city])
    (second,) = assistant.index_paths([district])
    assert first.doc_id == "细则" and second.doc_id.startswith("细则-") and second.changed
    texts = " ".join(c.text for c in assistant.store.all_chunks())
    assert "三天" in texts and "五天" in texts
    # Each file keeps its own id: indexed again it is unchanged, edited it replaces only itself.
    assert [r.doc_id for r in assistant.index_paths([district, city])] == [second.doc_id, "细则"]
    city.write_text("某市教师培训实施细则\n每位教师每学年参加市级培训不少于四天。\n", encoding="utf-8")
    (again,) = assistant.index_paths([city])
    assert again.doc_id == "细则" and again.changed
    texts = " ".join(c.text for c in assistant.store.all_chunks())
    assert "四天" in texts and "五天" in texts and "三天" not in texts


def test_a_change_of_topic_said_first_changes_nothing_in_the_answer(assistant: Assistant):
    plain = assistant.ask("学分银行是什么意思？")
    moved = assistant.ask("换个话题，学分银行是什么意思？")
    assert moved["answer"] == plain["answer"] and not moved["hedged"]


def test_an_item_asked_for_by_its_place_in_a_list_said_in_a_sentence_is_named(assistant: Assistant):
    history = [{"role": "user", "content": "统编教材具体指哪几科？"}]
    history.append({"role": "assistant", "content": assistant.ask(history[0]["content"])["answer"]})
    out = assistant.ask("那第二科呢？", history)
    assert out["answer"].startswith("前面列出的第二科是「语文」。"), out["answer"]


@pytest.mark.parametrize("beside_the_notice", [True, False])
def test_the_last_day_of_a_stated_period_answers_when_it_closes(tmp_path: Path, beside_the_notice: bool):
    """报名时间 2026年3月1日至3月20日 says when registration closes though it never writes 截止; alone in the
    knowledge base too, where every passage says 报名 and the date's own heading is what puts it on topic."""
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    doc = tmp_path / "报名通知.txt"
    doc.write_text("关于做好2026年“国培计划”乡村教师培训项目报名工作的通知\n\n一、培训对象\n"
                   "全省乡村中小学、幼儿园在职在岗教师，每校推荐1至2名。\n\n二、报名时间\n2026年3月1日至3月20日。\n\n"
                   "三、报名方式\n参训教师登录省教师培训管理平台填写报名信息，经学校审核后，由县级教师发展中心统一汇总报送。\n",
                   encoding="utf-8")
    if beside_the_notice:
        assistant.ensure_indexed()
    assistant.index_paths([doc])
    for question in ("报名什么时候截止", "国培报名到几号截止"):
        out = assistant.ask(question)
        assert not out["abstained"] and not out["hedged"], out["answer"]
        assert "2026年3月1日至3月20日" in out["answer"] and out["citations"][0]["section"] == "二、报名时间"


def test_this_years_notice_answers_for_this_year_and_last_years_for_last_year(tmp_path: Path):
    """With a registration notice for this year and one for last year, 今年 and 去年 pick one of them, as a typed
    year would; before, both were quoted and their dates flagged as conflicting. 明年 has no notice yet: it is
    not answered with another year's dates."""
    from datetime import date

    this_year = date.today().year
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    assistant.ensure_indexed()
    paths = []
    for year, days in ((this_year, "3月1日至3月20日"), (this_year - 1, "4月1日至4月15日")):
        path = tmp_path / f"报名通知{year}.txt"
        path.write_text(f"关于做好{year}年“国培计划”乡村教师培训项目报名工作的通知\n\n一、培训对象\n"
                        f"全省乡村中小学、幼儿园在职在岗教师。\n\n二、报名时间\n{year}年{days}。\n\n三、报名方式\n"
                        "参训教师登录省教师培训管理平台填写报名信息，经学校审核后统一报送。\n", encoding="utf-8")
        paths.append(path)
    assistant.index_paths(paths)
    now = assistant.ask("今年国培报名什么时候截止")
    assert f"{this_year}年3月1日至3月20日" in now["answer"] and "4月15日" not in now["answer"], now["answer"]
    before = assistant.ask("去年国培报名是哪几天")
    assert f"{this_year - 1}年4月1日至4月15日" in before["answer"] and "3月20日" not in before["answer"], before["answer"]
    later = assistant.ask("明年国培什么时候报名")
    assert later["abstained"] and f"没有写明{this_year + 1}年" in later["answer"], later["answer"]


SCHEDULE = """# 2026年“国培计划”乡村小学数学骨干教师集中研修日程安排

## 一、研修时间与地点

2026年7月6日至7月10日，某师范大学教师教育学院（7月5日下午报到）。

## 二、日程安排

| 日期 | 上午 | 下午 | 晚上 |
| --- | --- | --- | --- |
| 7月6日 | 开班仪式；专题讲座：新课标下的小学数学核心素养 | 课堂观摩：图形与几何单元教学 | 自主研修 |
| 7月7日 | 专题讲座：大单元教学设计 | 工作坊：单元作业设计 | 小组研讨 |
| 7月8日 | 跟岗实践（某实验小学） | 跟岗实践（某实验小学） | 撰写研修日志 |
| 7月9日 | 专题讲座：小学数学学业评价 | 工作坊：命题与评价 | 自主研修 |
| 7月10日 | 成果展示与交流 | 结业考核；结业仪式 | — |
"""


def test_a_schedule_row_named_by_its_day_answers_on_one_line_under_its_heading_row(tmp_path: Path):
    """7月8日全天干什么 is answered by that day's row under the heading row, not the whole table; a row whose cell
    holds two clauses (结业考核；结业仪式) stays on its own line; 在哪天 asks a date, not a place."""
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    assistant.ensure_indexed()
    doc = tmp_path / "日程.md"
    doc.write_text(SCHEDULE, encoding="utf-8")
    assistant.index_paths([doc])
    day = assistant.ask("7月8日全天干什么")["answer"].splitlines()
    assert day[1:] == ["日期 | 上午 | 下午 | 晚上[1]", "7月8日 | 跟岗实践（某实验小学） | 跟岗实践（某实验小学） | 撰写研修日志[1]"], day
    last = assistant.ask("7月10日下午安排什么")["answer"].splitlines()
    assert last[-1] == "7月10日 | 成果展示与交流 | 结业考核；[1]结业仪式 | —[1]", last
    when = assistant.ask("结业考核在哪天")
    assert not when["abstained"] and "7月10日" in when["answer"], when["answer"]


def test_when_a_rule_starts_is_answered_by_the_day_it_takes_effect(tmp_path: Path):
    """办法什么时候开始实施: 自2026年9月1日起施行 answers it, without the hint that nothing matched; 开始 frames the
    date asked for, it is no word the documents leave out."""
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path / "data"))
    assistant.ensure_indexed()
    doc = tmp_path / "学分管理办法.txt"
    doc.write_text("某市中小学教师继续教育学分管理办法\n\n第一章 总则\n第一条 为规范全市中小学教师继续教育学分管理，制定本办法。\n"
                   "第二条 本办法适用于全市公办、民办中小学和幼儿园在职教师。\n\n第二章 附则\n"
                   "第三条 本办法由市教育局负责解释，自2026年9月1日起施行。\n", encoding="utf-8")
    assistant.index_paths([doc])
    out = assistant.ask("这个办法什么时候开始实施")
    assert not out["abstained"] and not out["hedged"], out["answer"]
    assert "自2026年9月1日起施行" in out["answer"]
