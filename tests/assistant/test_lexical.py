import numpy as np

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
