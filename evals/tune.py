"""Fit the reranker's weights on the dev split, and only there.

Every candidate passage of every answerable dev question is retrieved once with all its signals (dense,
BM25, term coverage, heading, fusion, best-sentence similarity, named-document and fact flags); the
two-stage rerank is then replayed offline for each weight setting in a grid, so a search over thousands
of settings costs seconds. The objective is recall@1 with MRR as the tie-break. The test split is never
read here: its figures stay an honest estimate of how the fitted weights do on new questions.

``python -m evals.tune [DATASET…]`` prints the best weights and their dev figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from evals.dataset import DATASETS_DIR, EVAL_SETS, load_dataset, select_split
from evals.metrics import covers_any

FEATURES = ("dense", "lexical", "coverage", "heading", "fused", "scope", "fact", "sentence")
GRID: dict[str, tuple[float, ...]] = {
    "dense": (0.4, 0.6, 0.8),
    "lexical": (0.0, 0.1, 0.2, 0.3),
    "coverage": (0.1, 0.2, 0.3, 0.5),
    "heading": (0.0, 0.1),
    "fused": (0.0, 0.1, 0.2),
    "scope": (0.0, 0.1, 0.2, 0.3),
    "fact": (0.0, 0.1, 0.2),
    "sentence": (0.6, 0.9, 1.2),
}


@dataclass
class Candidates:
    """One question's candidate passages: a feature matrix (rows = passages) and which rows are gold."""

    item_id: str
    matrix: np.ndarray  # columns in FEATURES order; lexical and fused already divided by their max
    gold: np.ndarray  # bool per row


def collect(assistant: Any, items: Sequence[dict[str, Any]]) -> list[Candidates]:
    """Retrieve every candidate with all signals (sentence similarity for every one, not just the top 8)."""
    from assistant.hits import dense_norm
    from assistant.listing import listed_noun
    from assistant.rerank import answer_kinds

    retriever = assistant.retriever
    saved = retriever.weights
    retriever.weights = replace(saved, sentence_top_n=10_000)
    out = []
    try:
        for item in items:
            if not item["answerable"]:
                continue
            r = assistant.retrieve(item["question"], item.get("history"), k=10_000)
            if not r.hits:
                continue
            max_lex = max(h.lexical for h in r.hits) or 1.0
            max_fused = max(h.fused for h in r.hits) or 1.0
            q = r.question
            listed = listed_noun(q) if q else ""
            rows = [[dense_norm(h.dense), h.lexical / max_lex, h.coverage, h.heading, h.fused / max_fused,
                     float(h.doc_id in r.named), float(answer_kinds(q, h, listed) if q else 0),
                     dense_norm(h.sentence)] for h in r.hits]
            gold = [covers_any(h.text, item["evidence"]) for h in r.hits]
            out.append(Candidates(item["id"], np.asarray(rows, dtype=np.float32), np.asarray(gold)))
    finally:
        retriever.weights = saved
    return out


def evaluate(weights: dict[str, float], data: Sequence[Candidates], top_n: int = 8) -> tuple[float, float]:
    """recall@1 and MRR of the two-stage rerank under ``weights`` (missing gold counts as a miss)."""
    first = np.array([weights[f] for f in FEATURES[:-1]], dtype=np.float32)
    hits, rr = 0, 0.0
    for c in data:
        score = c.matrix[:, :-1] @ first
        top = np.argsort(-score, kind="stable")[:top_n]
        score = score.copy()
        score[top] += weights["sentence"] * c.matrix[top, -1]
        order = np.argsort(-score, kind="stable")
        ranks = np.nonzero(c.gold[order])[0]
        if len(ranks):
            hits += int(ranks[0] == 0)
            rr += 1.0 / (ranks[0] + 1)
    n = len(data) or 1
    return hits / n, rr / n


def search(data: Sequence[Candidates], grid: dict[str, tuple[float, ...]] = GRID) -> dict[str, Any]:
    best: tuple[float, float] = (-1.0, -1.0)
    best_w: dict[str, float] = {}
    for values in itertools.product(*(grid[f] for f in FEATURES)):
        w = dict(zip(FEATURES, values, strict=True))
        score = evaluate(w, data)
        if score > best:
            best, best_w = score, w
    return {"weights": best_w, "recall@1": round(best[0], 4), "mrr": round(best[1], 4), "n": len(data)}


SELECTION = ("cover", "dense", "passage", "rank", "fact", "scope", "heading")
SELECTION_GRID: dict[str, tuple[float, ...]] = {
    "cover": (0.5, 1.0, 1.5),
    "dense": (0.25, 0.5, 1.0, 1.5),
    "passage": (0.0, 0.25, 0.5, 1.0),
    "rank": (0.0, 0.04, 0.08, 0.16),
    "fact": (0.0, 0.15, 0.3),
    "scope": (0.0, 0.1, 0.2),
    "heading": (0.0, 0.2, 0.4),
}


def collect_sentences(assistant: Any, items: Sequence[dict[str, Any]]) -> list[Candidates]:
    """Candidate sentences of each answerable question with their selection features; gold = holds evidence."""
    from assistant.candidates import candidates
    from assistant.scoring import features

    out = []
    for item in items:
        if not item["answerable"]:
            continue
        r = assistant.retrieve(item["question"], item.get("history"))
        pool = candidates(r)
        if not pool or r.question is None:
            continue
        rows = np.asarray(features(r.question, r, pool), dtype=np.float32)
        gold = np.asarray([covers_any(s.text, item["evidence"]) for s in pool])
        if r.question.wants_fact and rows[:, 4].any():  # the answerer only quotes fact-holding sentences
            keep = rows[:, 4] > 0
            rows, gold = rows[keep], gold[keep]
        if gold.any():
            out.append(Candidates(item["id"], rows, gold))
    return out


def search_selection(data: Sequence[Candidates]) -> dict[str, Any]:
    best, best_w = (-1.0, -1.0), {}
    for values in itertools.product(*(SELECTION_GRID[f] for f in SELECTION)):
        w = np.asarray(values, dtype=np.float32)
        hits, rr = 0, 0.0
        for c in data:
            order = np.argsort(-(c.matrix @ w), kind="stable")
            rank = int(np.nonzero(c.gold[order])[0][0])
            hits += rank == 0
            rr += 1.0 / (rank + 1)
        score = (hits / len(data), rr / len(data))
        if score > best:
            best, best_w = score, dict(zip(SELECTION, values, strict=True))
    return {"weights": best_w, "top1": round(best[0], 4), "mrr": round(best[1], 4), "n": len(data)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fit rerank weights on the dev split.")
    parser.add_argument("datasets", nargs="*", type=Path,
                        default=[DATASETS_DIR / n for n in EVAL_SETS])
    args = parser.parse_args(argv)
    from assistant.rerank import RerankWeights
    from assistant.services import read_settings as get_settings
    from evals.knowledge_base import eval_assistant, resources_for

    data: list[Candidates] = []
    sentences: list[Candidates] = []
    for path in args.datasets:
        if not path.exists():
            continue
        assistant = eval_assistant(get_settings(), resources_for(path))
        dev = select_split(load_dataset(path), "dev")
        data += collect(assistant, dev)
        sentences += collect_sentences(assistant, dev)
    current = {f: getattr(RerankWeights(), f) for f in FEATURES}
    result = {"rerank": search(data), "selection": search_selection(sentences)}
    result["rerank"]["current"] = dict(zip(("recall@1", "mrr"), (round(x, 4) for x in evaluate(current, data)),
                                           strict=True))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps({k: v for k, v in asdict(RerankWeights()).items()}, ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
