from __future__ import annotations

import random

import pytest

from assistant.learning.vocabulary import Vocabulary, figures, pos_tokens

TEXTS = [
    "中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费。",
    "加大体育、音乐、美术、劳动、科学等紧缺学科教师培训力度，强化道德与法治、语文、历史三科统编教材培训。",
    "于每年2月底前将以上材料一并报送至教育部。其中2021年于5月底前报送。建立师范院校、地方政府协同机制。",
    "“国培计划”（2021—2025年）实施规划报财政部、省级教育行政部门备案。",
]


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_texts(TEXTS)


def test_posseg_knows_the_policy_dictionary() -> None:
    toks = pos_tokens("强化培训学分银行建设，报教育部备案")
    assert ("学分银行", "nz", 4) in toks
    assert any(w == "教育部" and f == "nt" for w, f, _ in toks)
    assert "".join(w for w, _, _ in toks) == "强化培训学分银行建设，报教育部备案"


def test_figures_prefer_whole_year_ranges() -> None:
    text = TEXTS[3]
    assert [text[s:e] for s, e, _ in figures(text)] == ["2021—2025年"]
    assert {TEXTS[2][s:e] for s, e, _ in figures(TEXTS[2])} == {"2月底前", "2021年", "5月底前"}


@pytest.mark.parametrize(("term", "kind"), [
    ("5%", "number"), ("三科", "number"), ("2月底前", "date"), ("2021年", "date"), ("2021—2025年", "date"),
    ("语文", "subject"), ("道德与法治", "subject"), ("教育部", "body"), ("师范院校", "body"),
    ("省级教育行政部门", "body"), ("学分银行", "term"), ("中西部", "term"),
])
def test_classify(vocab: Vocabulary, term: str, kind: str) -> None:
    assert vocab.classify(term) == kind


def test_pools_come_from_corpus_and_builtins(vocab: Vocabulary) -> None:
    assert {"体育", "音乐", "语文", "数学"} <= set(vocab.pools["subject"])
    assert {"教育部", "财政部", "师范院校", "地方政府"} <= set(vocab.pools["body"])
    assert "5%" in vocab.pools["number"] and "2月底前" in vocab.pools["date"]


@pytest.mark.parametrize("key", ["5%", "2月底前", "2021—2025年", "三科", "音乐", "教育部", "学分银行"])
def test_distractors_same_kind_distinct_and_deterministic(vocab: Vocabulary, key: str) -> None:
    kind = vocab.classify(key)
    got = vocab.distractors(key, kind, 3, {TEXTS[1], TEXTS[2]}, random.Random(7))
    assert got == vocab.distractors(key, kind, 3, {TEXTS[1], TEXTS[2]}, random.Random(7))
    assert len(got) == 3 and len(set(got)) == 3
    for d in got:
        assert vocab.classify(d) == kind
        assert d != key and d not in key and key not in d
        assert d not in TEXTS[1] and d not in TEXTS[2]


def test_number_distractor_never_contains_key(vocab: Vocabulary) -> None:
    got = vocab.distractors("5%", "number", 6, set(), random.Random(0))
    assert "15%" not in got and "5" not in got and all("%" in g for g in got)


def test_the_vocabulary_keeps_the_content_words_of_its_texts() -> None:
    """What the knowledge base talks about: the domain open answers are judged against (``topicality``)."""
    words = Vocabulary.from_texts(["中小学按照年度公用经费预算总额的5%安排教师培训经费。"]).words
    assert {"安排", "公用经费", "教师"} <= words and not {"的", "按照", "5%"} & words


def test_question_phrases_are_no_terms_and_never_distractors(vocab: Vocabulary) -> None:
    """哪些因素 is in the dictionary only so that retrieval never cuts it out as a word; as a term it was served as
    an option for a blank that asks for 教师培训, where it gives the key away."""
    assert "哪些因素" not in vocab.terms and "哪些因素" not in vocab.pools["term"]
    assert "哪些因素" not in [w for w, _, _ in pos_tokens("影响培训质量的有哪些因素")]
    picks = {w for seed in range(30) for w in vocab.distractors("教师培训", "term", 3, set(), random.Random(seed))}
    assert picks and not {w for w in picks if any(q in w for q in ("哪", "什么", "怎么", "多少"))}
