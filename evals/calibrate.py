"""Calibrate when the assistant declines, on the dev split of the eval sets and nowhere else.

Two decisions are fitted:

1. the evidence-strength threshold below which nothing in the knowledge base is relevant ("没有找到"):
   set just under the weakest answerable dev question, so it only ever catches what is plainly off-topic;
2. the answerability model (``assistant.grounding``): a logistic regression over the grounding signals
   (evidence strength and similarity, key-term coverage, key terms the knowledge base never uses, the kind
   of fact asked for missing, a year outside every document), with L2 regularisation; its threshold is the
   highest that declines at most ``MAX_DECLINED`` of the answerable dev questions;
3. where an answer is hedged: below the probability of the least certain ``HEDGE_SHARE`` of the answerable
   dev questions the model answers, an answer opens with a caveat that the quote may not answer the question.

``python -m evals.calibrate [DATASET…]`` prints the values that go into ``GUOPEI_ABSTAIN_THRESHOLD`` and
``GroundingPolicy``. The test split is never read: its abstention figures are an honest estimate.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from evals.dataset import DATASETS_DIR, EVAL_SETS, load_dataset, select_split

MAX_DECLINED = 0.015
HEDGE_SHARE = 0.15
STRENGTH_MARGIN = 0.01
L2 = 1.0


def signal_rows(assistant: Any, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Strength and grounding signals per item, as the answerer computes them (document questions aside)."""
    from assistant.candidates import candidates
    from assistant.documents import document_answer
    from assistant.grounding import rule_verdict, settles, signals
    from assistant.scoring import score

    rows = []
    for item in items:
        r = assistant.retrieve(item["question"], item.get("history"))
        if r.question is None or document_answer(r.question, r) is not None:
            continue
        ranked = score(r.question, r, candidates(r))
        rule = rule_verdict(r.question, r, ranked)
        rows.append({"id": item["id"], "answerable": bool(item["answerable"]), "category": item.get("category", ""),
                     "strength": r.strength, "settled": settles(r.question, rule),
                     "signals": signals(r.question, r, ranked, rule=rule)})
    return rows


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method on standardised features; raw-scale result."""
    mean, std = x.mean(0), x.std(0) + 1e-9
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.r_[np.full(x.shape[1], l2), 0.0]
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-z @ w))
        grad = z.T @ (p - y) + penalty * w
        hess = z.T @ (z * (p * (1 - p))[:, None]) + np.diag(penalty)
        w -= np.linalg.solve(hess, grad)
    coef = w[:-1] / std
    return coef, float(w[-1] - (coef * mean).sum())


def calibrate(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    from assistant.grounding import FEATURES

    answerable = [r["strength"] for r in rows if r["answerable"]]
    strength = round(max(0.0, min(answerable, default=0.0) - STRENGTH_MARGIN), 4)
    settled = np.asarray([bool(r.get("settled")) for r in rows])
    x = np.asarray([[r["signals"][f] for f in FEATURES] for r in rows], dtype=float)
    y = np.asarray([1.0 if r["answerable"] else 0.0 for r in rows])
    # The model weighs what the hard rules leave open, so it is fitted on those questions only.
    coef, intercept = fit_logistic(x[~settled], y[~settled])
    p = 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))
    budget = max(0, int(MAX_DECLINED * (y == 1).sum()) - int((settled & (y == 1)).sum()))
    ok = sorted(p[(y == 1) & ~settled])
    threshold = float(ok[min(budget, len(ok) - 1)]) if ok else 0.5
    declined = (p < threshold) | settled
    not_found = np.asarray([r["strength"] < strength for r in rows])
    abstain = declined | not_found
    right, wrong = p[(y == 1) & ~abstain], p[(y == 0) & ~abstain]  # probabilities of the answers given
    answered = sorted(right)
    hedge = float(answered[int(HEDGE_SHARE * len(answered))]) if answered else threshold
    return {
        "abstain_threshold": strength,
        "coefficients": [[f, round(float(c), 4)] for f, c in zip(FEATURES, coef, strict=True)],
        "intercept": round(intercept, 4),
        "threshold": round(threshold, 4),
        "hedge_below": round(hedge, 4),
        "dev": {"n": len(rows), "answerable_declined": round(float(abstain[y == 1].mean()), 4),
                "unanswerable_declined": round(float(abstain[y == 0].mean()), 4),
                "answerable_hedged": round(float((right < hedge).mean()) if len(right) else 0.0, 4),
                "unanswerable_answered_hedged": round(float((wrong < hedge).mean()) if len(wrong) else 0.0, 4)},
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fit the abstention threshold and answerability model on dev.")
    parser.add_argument("datasets", nargs="*", type=Path,
                        default=[DATASETS_DIR / n for n in EVAL_SETS])
    args = parser.parse_args(argv)
    from assistant.services import read_settings as get_settings
    from evals.knowledge_base import eval_assistant, resources_for

    rows: list[dict[str, Any]] = []
    for path in args.datasets:
        assistant = eval_assistant(get_settings(), resources_for(path))
        rows += signal_rows(assistant, select_split(load_dataset(path), "dev"))
    print(json.dumps(calibrate(rows), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
