"""Hand-checked cases for the scoring rules; a wrong metric silently mis-ranks every future change."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evals.metrics import (
    answer_sentences,
    citation_precision,
    covers,
    faithfulness,
    first_hit_rank,
    fold_width,
    has_common_run,
    hit_within_chars,
    longest_common_substring,
    mrr_at_k,
    must_include_coverage,
    normalize,
    percentile,
    recall_at_k,
    retrieval_metrics,
    summarize,
)

FUND = "中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费"


def test_normalize_drops_all_whitespace() -> None:
    assert normalize(" 提前下达\n\n的下一年度\t 资金\u3000") == "提前下达的下一年度资金"


def test_covers_exact_and_across_line_break() -> None:
    assert covers(f"前文。{FUND}，保障实施。", FUND)
    assert covers("加大……培训力度，\n\n提升教师促进学生全面发展能力", "培训力度，提升教师促进学生")


def test_covers_half_run_boundary() -> None:
    span = "abcdefghij"  # 10 chars: a run of 5 is enough, 4 is not
    assert covers("xx abcde yy", span)
    assert covers("xxfghijyy", span)
    assert not covers("xxabcdyy ghij", span)
    odd = "abcdefg"  # ceil(7/2) = 4
    assert covers("..defg..", odd)
    assert not covers("..efg..", odd)


def test_covers_degenerate() -> None:
    assert not covers("anything", "")
    assert not covers("", "abc")
    assert not covers("ab", "abcd" * 3)


def test_lcs_and_window_agree_on_examples() -> None:
    assert longest_common_substring("xxabcdyy", "zzabcdzz") == 4
    assert longest_common_substring("", "abc") == 0
    assert has_common_run("xxabcdyy", "zzabcdzz", 4)
    assert not has_common_run("xxabcdyy", "zzabcdzz", 5)


@given(st.text(max_size=60), st.text(min_size=1, max_size=30), st.text(max_size=60))
def test_covers_substring_property(prefix: str, span: str, suffix: str) -> None:
    if not normalize(span):
        return
    assert covers(prefix + span + suffix, span)


@given(st.text(alphabet="abc \n", max_size=25), st.text(alphabet="abc", max_size=12), st.integers(0, 13))
def test_window_check_matches_dp(text: str, span: str, n: int) -> None:
    assert has_common_run(text, span, n) == (longest_common_substring(text, span) >= n)


def test_ranks_and_recall() -> None:
    retrieved = ["无关内容一", "也无关", f"……{FUND}……", FUND]
    rank = first_hit_rank(retrieved, ["不存在的证据片段甲乙丙", FUND])
    assert rank == 3
    assert (recall_at_k(rank, 1), recall_at_k(rank, 3), recall_at_k(rank, 5)) == (0.0, 1.0, 1.0)
    assert mrr_at_k(rank, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(11, 10) == 0.0
    assert first_hit_rank(retrieved, []) is None
    assert first_hit_rank(["无关"], [FUND]) is None
    assert recall_at_k(None, 5) == 0.0 and mrr_at_k(None) == 0.0
    m = retrieval_metrics(retrieved, [FUND])
    assert m["first_hit_rank"] == 3 and m["recall@1"] == 0.0 and m["recall@5"] == 1.0


def test_hit_within_chars_boundary() -> None:
    filler = "甲" * 390
    span = "0123456789ABCDEFGHIJ"  # 20 chars, half = 10
    retrieved = [filler, " \n" + span]  # whitespace does not count towards the budget
    assert hit_within_chars(retrieved, [span], 400)  # exactly 10 chars of the span fit
    assert not hit_within_chars(retrieved, [span], 399)  # only 9 fit
    assert hit_within_chars(retrieved, [span], 1000)
    assert not hit_within_chars(retrieved, [], 1000)


def test_must_include_folds_full_width() -> None:
    assert must_include_coverage("按公用经费的５％安排", ["5%"]) == 1.0
    assert must_include_coverage("按 5 % 安排，2月底前报送", ["5%", "2月底前", "5月底前"]) == pytest.approx(
        2 / 3
    )
    assert must_include_coverage("任意", []) is None
    assert fold_width("ＡＢｃ１２３％") == "ABc123%"


def test_citation_precision() -> None:
    assert citation_precision([FUND, "无关的引用文本"], [FUND], True) == 0.5
    assert citation_precision([], [FUND], True) is None
    assert citation_precision([FUND], [], False) is None


def test_faithfulness_strips_markers_and_lead_ins() -> None:
    answer = f"根据《通知》，{FUND}[1]。\n这是助手自己编的一句话。好的。"
    assert answer_sentences(answer)[0] == FUND
    assert faithfulness(answer, [FUND]) == 0.5  # "好的" is too short to count
    assert faithfulness("文件规定：“" + FUND + "”[1]", [FUND]) == 1.0
    assert faithfulness("好。", [FUND]) is None
    assert faithfulness(FUND, []) == 0.0


def test_percentile_nearest_rank() -> None:
    vals = [15.0, 20.0, 35.0, 40.0, 50.0]
    assert percentile(vals, 30) == 20.0
    assert percentile(vals, 40) == 20.0
    assert percentile(vals, 50) == 35.0
    assert percentile(vals, 95) == 50.0
    assert percentile(vals, 100) == 50.0
    assert percentile(vals, 0) == 15.0
    assert percentile([], 50) is None


def _hit(text: str) -> dict:
    return {"doc_id": "d", "title": "t", "section": "s", "text": text, "score": 1.0}


def make_results() -> list[dict]:
    sec = "三、保障措施 > （二）强化经费保障"
    return [
        {
            "id": "a",
            "question": "q",
            "category": "paraphrase",
            "answerable": True,
            "section": sec,
            "evidence": [FUND],
            "must_include": ["5%"],
            "retrieved": [_hit(FUND), _hit("x")],
            "answer": f"{FUND}[1]。",
            "abstained": False,
            "citations": [_hit(FUND)],
            "latency_ms": 10.0,
        },
        {
            "id": "b",
            "question": "q",
            "category": "paraphrase",
            "answerable": True,
            "section": sec,
            "evidence": [FUND],
            "must_include": ["5%", "2月底前"],
            "retrieved": [_hit("无关"), _hit(FUND)],
            "answer": "按5%安排。这句话没有出处可查。",
            "abstained": False,
            "citations": [_hit("无关")],
            "latency_ms": 30.0,
        },
        {
            "id": "c",
            "question": "q",
            "category": "english",
            "answerable": True,
            "section": "前言",
            "evidence": [FUND],
            "must_include": ["5%"],
            "retrieved": [],
            "answer": "抱歉，知识库中没有。",
            "abstained": True,
            "citations": [],
            "latency_ms": 20.0,
        },
        {
            "id": "d",
            "question": "q",
            "category": "offtopic",
            "answerable": False,
            "section": "",
            "evidence": [],
            "must_include": [],
            "retrieved": [_hit("无关")],
            "answer": "抱歉。",
            "abstained": True,
            "citations": [],
            "latency_ms": 40.0,
        },
    ]


def test_summarize_small_run() -> None:
    s = summarize(make_results())
    assert (s["n"], s["n_answerable"], s["n_unanswerable"]) == (4, 3, 1)
    assert s["recall@1"] == pytest.approx(1 / 3)
    assert s["recall@3"] == pytest.approx(2 / 3)
    assert s["mrr@10"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert s["hit@400chars"] == pytest.approx(2 / 3)
    assert s["must_include"] == pytest.approx((1 + 0.5) / 2)
    assert s["citation_precision"] == pytest.approx((1 + 0) / 2)
    assert s["faithfulness"] == pytest.approx((1 + 0) / 2)
    assert s["abstention_accuracy"] == pytest.approx(3 / 4)
    assert s["answered_rate_answerable"] == pytest.approx(2 / 3)
    assert s["abstained_rate_unanswerable"] == 1.0
    assert (s["latency_p50_ms"], s["latency_p95_ms"]) == (20.0, 40.0)
    assert s["by_category"]["paraphrase"] == {"n": 2, "recall@1": 0.5, "abstention_accuracy": 1.0}
    assert s["by_category"]["offtopic"] == {"n": 1, "recall@1": None, "abstention_accuracy": 1.0}
    assert s["by_category"]["english"]["abstention_accuracy"] == 0.0
    assert s["by_section"] == {
        "三、保障措施 > （二）强化经费保障": {"n": 2, "recall@1": 0.5},
        "前言": {"n": 1, "recall@1": 0.0},
    }


def test_summarize_empty() -> None:
    s = summarize([])
    assert s["n"] == 0 and s["recall@1"] is None and s["latency_p50_ms"] is None
