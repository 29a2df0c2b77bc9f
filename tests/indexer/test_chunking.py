from itertools import pairwise
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.chunking import chunk_document, sentence_spans
from indexer.normalize import normalize_text

SEED = Path(__file__).resolve().parents[2] / "corpus" / "data" / "policy" / "jiaoshihan-2021-4.txt"


def reconstruct(chunks):
    """Concatenate chunk texts, dropping each chunk's overlap with the text already covered."""
    out, covered = [], 0
    for c in chunks:
        assert c.start <= covered, "gap between chunks"
        assert c.end > covered, "chunk adds nothing / out of order"
        out.append(c.text[covered - c.start:])
        covered = c.end
    return "".join(out)


def seed_chunks(**kw):
    text = normalize_text(SEED.read_text(encoding="utf-8"))
    return text, chunk_document("seed", text, **kw)


def test_seed_chunks_reproduce_the_document():
    text, chunks = seed_chunks()
    assert reconstruct(chunks) == text
    for c in chunks:
        assert text[c.start:c.end] == c.text


def test_seed_section_paths_are_exact():
    _, chunks = seed_chunks()
    sections = [c.section for c in chunks]
    assert "二、重点工作 > （二）推进重点改革，完善高质量精准化的培训机制 > 3. 完善教师自主发展机制" in sections
    funding = next(c for c in chunks if "5%" in c.text)
    assert funding.section == "三、保障措施 > （二）强化经费保障"
    assert funding.heading == "（二）强化经费保障"
    assert chunks[0].section == "前言"


def test_bare_headings_are_carried_into_the_next_chunk():
    _, chunks = seed_chunks()
    assert not any(c.text.strip() == "二、重点工作" for c in chunks)
    first_item = next(c for c in chunks if "突出教师核心素养培养" in c.text)
    assert first_item.text.startswith("二、重点工作\n（一）聚焦素养提升")


def test_each_faq_entry_is_a_chunk_of_its_own_however_short():
    text = ("四、考勤与请假\n11. 请假耽误的课程怎么补？\n答：可在平台观看课程录像并完成相应作业。补学不改变考勤记录。\n"
            "12. 校本实践阶段也要考勤吗？\n答：不实行集中签到，由校内指导教师按周记录任务完成情况。\n")
    chunks = chunk_document("faq", text)
    assert [c.section.split(" > ")[-1] for c in chunks] == ["11. 请假耽误的课程怎么补？", "12. 校本实践阶段也要考勤吗？"]
    assert reconstruct(chunks) == text
    items = "（二）学时折算\n1.集中培训每8学时折算1学分。\n2.网络研修每10学时折算1学分。\n"
    assert len(chunk_document("plan", items)) == 1, "short rule items still join each other"


def test_chunks_end_on_sentence_boundaries_and_respect_the_budget():
    text, chunks = seed_chunks(max_tokens=60, min_tokens=10, overlap_tokens=20)
    assert len(chunks) > 20
    for c in chunks:
        assert c.text.rstrip("\n")[-1] in "。！？；：”）" or c.end == len(text)
        assert c.n_tokens <= 60 * 1.25 or len(sentence_spans(c.text)) == 1


def test_long_sections_overlap_by_whole_sentences():
    text, chunks = seed_chunks(max_tokens=40, min_tokens=5, overlap_tokens=20)
    overlaps = [(a, b) for a, b in pairwise(chunks) if b.start < a.end]
    assert overlaps
    for a, b in overlaps:
        assert text[a.end - 1] in "。！？；\n", text[b.start:a.end]
    assert reconstruct(chunks) == text


def test_a_sentence_longer_than_the_budget_is_kept_whole():
    text = "一、总则\n" + "教师" * 200 + "。短句。"
    chunks = chunk_document("d", text, max_tokens=20, min_tokens=0, overlap_tokens=0)
    assert any("教师" * 200 + "。" in c.text for c in chunks)
    assert reconstruct(chunks) == text


_piece = st.sampled_from(
    ["一、总则", "（一）要求。", "1. 细项。", "第三条 ", "教师培训经费", "学分银行", "，", "。", "；", "！", "\n",
     "国培计划", "5%", "English words", "？", "（二）", "## 标题\n"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_piece, min_size=1, max_size=80), st.integers(8, 80), st.integers(0, 30), st.integers(0, 30))
def test_property_chunks_minus_overlaps_reproduce_any_document(pieces, max_tokens, min_tokens, overlap):
    text = normalize_text("".join(pieces))
    chunks = chunk_document("p", text, max_tokens=max_tokens, min_tokens=min_tokens, overlap_tokens=overlap)
    if not text:
        assert chunks == []
        return
    assert reconstruct(chunks) == text
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_short_rules_after_the_title_are_named_after_the_part_they_share():
    """第一条 and 第二条 folded into one chunk with the headings above them: the chunk is 一、总体要求, not the 第二条
    it ends with (a quote of 第一条 was cited as 第二条)."""
    text = ("# 某县校本研修管理办法\n\n一、总体要求\n\n（一）适用范围\n\n1. 本办法适用于全县中小学幼儿园。\n\n"
            "第一条 校本研修每学年不少于48学时。\n\n第二条 校本研修学时由学校教务处登记，每学期末报县教师发展中心审核。\n\n"
            "二、组织实施\n\n第三条 教师外出培训须提前三天向学校提出申请。")
    chunks = chunk_document("d", text)
    first = next(c for c in chunks if "第一条" in c.text)
    assert first.section_path == ("一、总体要求",)
    assert all(c.section_path[-1:] != ("第二条",) or "第一条" not in c.text for c in chunks)
