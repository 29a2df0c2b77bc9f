import numpy as np
import pytest

from assistant.lexical import BM25Index
from indexer.tokenizer import lexical_terms

DOCS = [
    "中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费",
    "完善学分认定登记制度，强化培训学分银行建设，推进教师培训与学历教育衔接",
    "加强教师理想信念教育，开展四史教育",
]


def index():
    return BM25Index([lexical_terms(d) for d in DOCS])


def test_the_passage_with_the_query_terms_ranks_first():
    bm25 = index()
    assert bm25.top(lexical_terms("学分银行怎么建设"), 3)[0].index == 1
    assert bm25.top(lexical_terms("培训经费按多少安排"), 3)[0].index == 0


def test_traditional_characters_match_simplified_text():
    assert index().top(lexical_terms("學分銀行"), 1)[0].index == 1


def test_no_overlap_gives_no_hits_and_filters_apply():
    bm25 = index()
    assert bm25.top(lexical_terms("红烧肉的做法"), 3) == []
    allowed = np.array([False, False, True])
    assert [h.index for h in bm25.top(lexical_terms("教师教育"), 3, allowed)] == [2]


def test_coverage_weighs_rare_terms_more():
    bm25 = index()
    q = lexical_terms("学分银行和教师")
    assert bm25.coverage(q, lexical_terms(DOCS[1])) > bm25.coverage(q, lexical_terms(DOCS[2]))
    assert bm25.coverage((), lexical_terms(DOCS[0])) == 0.0


def test_empty_index_scores_nothing():
    assert BM25Index([]).top(["教师"], 5) == []


MORE = ["国培计划示范项目重点支持培训团队研修", "乡村教师访名校，培训经费由中央财政支持", "校园长培训突出办学治校能力"]


def test_incremental_writes_score_exactly_like_a_rebuild():
    """Adding and removing passages one document at a time gives the scores a fresh build of the survivors
    would (positions of removed passages score zero), for every query term, including reused positions."""
    bm25 = index()
    added = bm25.add([lexical_terms(d) for d in MORE])
    bm25.remove([0, added[1]], [lexical_terms(DOCS[0]), lexical_terms(MORE[1])])
    survivors = [DOCS[1], DOCS[2], MORE[0], MORE[2]]
    fresh = BM25Index([lexical_terms(d) for d in survivors])
    alive = [1, 2, added[0], added[2]]
    for query in ("培训经费", "学分银行建设", "培训团队研修", "校园长办学", "教师"):
        terms = lexical_terms(query)
        got, want = bm25.scores(terms), fresh.scores(terms)
        assert got[alive] == pytest.approx(want, rel=1e-5), query
        assert got[0] == 0 and got[added[1]] == 0, query
    assert bm25.n == 4 and bm25.dead == 2 and not bm25.known("幼儿园")


def test_a_copy_is_independent_of_later_writes():
    bm25 = index()
    before = bm25.scores(lexical_terms("培训经费")).copy()
    snapshot = bm25.copy()
    bm25.add([lexical_terms(MORE[1])])
    bm25.remove([0], [lexical_terms(DOCS[0])])
    assert snapshot.scores(lexical_terms("培训经费")) == pytest.approx(before)
    assert snapshot.n == 3 and bm25.n == 3 and bm25.size == 4


def test_frequency_counts_live_passages_only() -> None:
    index = BM25Index([lexical_terms(d) for d in DOCS])
    assert index.frequency("教师") == 3 and index.frequency("学分银行") == 1 and index.frequency("吉他") == 0
    index.remove([1], [lexical_terms(DOCS[1])])
    assert index.frequency("学分银行") == 0 and index.frequency("教师") == 2
