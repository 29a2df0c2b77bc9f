"""Dataset loading must fail on the exact bad line, and a stored run must re-score to the same numbers."""

from __future__ import annotations

import json
from pathlib import Path

from evals.runner import (
    RESULTS_FILE,
    SUMMARY_FILE,
    load_dataset,
    recompute_summary,
    run_eval,
    strip_run_meta,
    write_run,
)
from tests.evals.test_metrics import FUND, make_results

GOOD = {
    "id": "x-1",
    "question": "学校培训经费怎么安排？",
    "answerable": True,
    "category": "paraphrase",
    "evidence": [FUND],
    "must_include": ["5%"],
    "section": "三、保障措施 > （二）强化经费保障",
}


def _write(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "d.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _line(**over: object) -> str:
    return json.dumps({**GOOD, **over}, ensure_ascii=False)


def test_write_run_round_trip(tmp_path: Path) -> None:
    results = make_results()
    summary = write_run(results, tmp_path / "run", dataset="tiny", k=5)
    assert (summary["dataset"], summary["k"]) == ("tiny", 5)
    assert summary["timestamp"]
    stored = json.loads((tmp_path / "run" / SUMMARY_FILE).read_text(encoding="utf-8"))
    assert stored == summary
    lines = (tmp_path / "run" / RESULTS_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(results) and "强化经费保障" in lines[0]  # ensure_ascii=False
    assert recompute_summary(tmp_path / "run") == strip_run_meta(summary)


class _FakeAssistant:
    """Stands in for assistant.service.Assistant; only the ask() contract matters here."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, object, object]] = []

    def ask(self, question: str, history: list[dict] | None = None, k: int | None = None) -> dict:
        self.calls.append((question, history, k))
        hit = {"doc_id": "d", "title": "t", "section": "s", "text": FUND, "score": 0.9, "extra": "dropped"}
        return {"answer": f"{FUND}[1]", "abstained": False, "citations": [hit], "retrieved": [hit]}


def test_run_eval_shapes_results(tmp_path: Path) -> None:
    history = [{"role": "user", "content": "前一个问题"}, {"role": "assistant", "content": "前一个回答"}]
    items = load_dataset(_write(tmp_path, [_line(), _line(id="x-2", history=history)]))
    fake = _FakeAssistant()
    results = run_eval(fake, items, k=3, progress=False)
    assert [c[2] for c in fake.calls] == [3, 3]
    assert fake.calls[1][1] == history
    r = results[0]
    assert r["retrieved"][0] == {"chunk_id": None, "doc_id": "d", "title": "t", "section": "s", "text": FUND,
                                 "score": 0.9}
    assert r["split"] in ("dev", "test")
    assert r["latency_ms"] >= 0 and r["section"] == GOOD["section"]
    summary = write_run(results, tmp_path / "run", dataset="d", k=3)
    assert summary["recall@1"] == 1.0 and summary["must_include"] == 1.0
