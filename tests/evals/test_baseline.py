from evals.baseline import score

ITEMS = [
    {"id": "a", "question": "经费比例？", "answerable": True, "evidence": ["预算总额的5%安排教师培训经费"], "must_include": []},
    {"id": "b", "question": "它是什么？", "answerable": True, "evidence": ["学分银行建设"], "must_include": [],
     "history": [{"role": "user", "content": "学分银行"}]},
    {"id": "c", "question": "红烧肉？", "answerable": False, "evidence": [], "must_include": []},
]


def test_baseline_is_scored_per_split_on_answerable_items_only() -> None:
    asked = []

    def retrieve(q: str) -> list[str]:
        asked.append(q)
        return ["无关", "按照年度公用经费预算总额的5%安排教师培训经费"] if "经费" in q else ["强化培训学分银行建设"]

    out = score(retrieve, [{**it, "split": "test"} for it in ITEMS])
    assert asked == ["经费比例？", "学分银行 它是什么？"]
    assert out == {"test": {"n": 2, "recall@1": 0.5, "hit@400chars": 1.0}}
