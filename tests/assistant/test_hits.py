from assistant.hits import Hit, dense_norm, evidence_strength


def test_dense_norm_is_clipped():
    assert dense_norm(0.1) == 0.0 and dense_norm(0.99) == 1.0 and 0 < dense_norm(0.8) < 1


def test_cross_lingual_questions_are_put_on_the_same_scale():
    hit = Hit("x", "t", {}, dense=0.80, sentence=0.80)
    assert evidence_strength(hit, cross_lingual=True) > evidence_strength(hit)
