from assistant.retrieval import Hit, _query_terms, dense_norm, evidence_strength
from assistant.service import Assistant


def test_dense_norm_is_clipped():
    assert dense_norm(0.1) == 0.0 and dense_norm(0.99) == 1.0 and 0 < dense_norm(0.8) < 1


def test_cross_lingual_questions_are_put_on_the_same_scale():
    hit = Hit("x", "t", {}, dense=0.80, sentence=0.80)
    assert evidence_strength(hit, cross_lingual=True) > evidence_strength(hit)


def test_hybrid_ranking_puts_the_gold_section_first(embedded_assistant: Assistant):
    r = embedded_assistant.retrieve("完善学分认定登记制度的同时要建设什么？")
    assert r.hits[0].section.endswith("3. 完善教师自主发展机制")
    assert r.hits[0].sentences, "the top candidates are scored sentence by sentence"
    scores = [h.score for h in r.hits]
    assert scores == sorted(scores, reverse=True)


def test_lexical_only_candidates_get_a_dense_score(embedded_assistant: Assistant):
    r = embedded_assistant.retriever.retrieve("乡村振兴重点帮扶县", k=30)
    assert all(h.dense > 0 for h in r.hits)


def test_a_teachers_word_also_looks_up_the_documents_word_at_a_synonyms_weight():
    terms, boost = _query_terms(("路费", "报销"), {"路费": ("交通费",)})
    assert terms[:2] == ("路费", "报销") and "交通费" in terms
    assert boost is not None and boost["交通费"] == 0.7 and "路费" not in boost
    assert _query_terms(("路费",), {}) == (("路费",), None)
