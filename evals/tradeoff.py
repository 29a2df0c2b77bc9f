"""How far the offline answerability signals can separate "answers it" from "only touches it".

The answerability model declines a question when its probability falls below a threshold (``GroundingPolicy``,
fitted by ``evals.calibrate`` on dev so that at most 1.5% of answerable dev questions are declined). Moving the
threshold trades one error for the other. ``python -m evals.tradeoff --split test`` keeps every signal, rule
and coefficient as they are and reports, for a range of thresholds, the share of answerable questions declined
beside the share of unanswerable ones declined: where a target such as "declines 90% of unanswerable questions
and at most 2% of answerable ones" lies from what these signals can reach. It fits nothing, so it may read
any split; the rules that settle a question outright (a year no document covers, a figure in a named unit
that no on-topic sentence holds) and the "not found" floor apply at every threshold.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.calibrate import signal_rows
from evals.dataset import DATASETS_DIR, EVAL_SETS, load_dataset, select_split

THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def curve(rows: Sequence[dict[str, Any]], policy: Any, floor: float,
          thresholds: Sequence[float] = THRESHOLDS) -> list[dict[str, float]]:
    """Declined shares of answerable and unanswerable rows at each threshold (current threshold first)."""
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]

    def declined(r: dict[str, Any], threshold: float) -> bool:
        return bool(r["settled"]) or r["strength"] < floor or policy.probability(r["signals"]) < threshold

    out = []
    for threshold in (policy.threshold, *thresholds):
        out.append({"threshold": round(threshold, 4),
                    "answerable_declined": round(sum(declined(r, threshold) for r in answerable)
                                                 / max(1, len(answerable)), 3),
                    "unanswerable_declined": round(sum(declined(r, threshold) for r in unanswerable)
                                                   / max(1, len(unanswerable)), 3)})
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Declined answerable vs unanswerable questions per threshold.")
    parser.add_argument("datasets", nargs="*", type=Path, default=[DATASETS_DIR / n for n in EVAL_SETS])
    parser.add_argument("--split", default="test", help="dev, test or all (nothing is fitted)")
    args = parser.parse_args(argv)
    from assistant.grounding import GroundingPolicy
    from assistant.services import read_settings
    from evals.knowledge_base import eval_assistant, resources_for

    settings = read_settings()
    rows: list[dict[str, Any]] = []
    for path in args.datasets:
        assistant = eval_assistant(settings, resources_for(path))
        rows += signal_rows(assistant, select_split(load_dataset(path), args.split))
    report = {"split": args.split, "n_answerable": sum(r["answerable"] for r in rows),
              "n_unanswerable": sum(not r["answerable"] for r in rows),
              "curve": curve(rows, GroundingPolicy(), settings.abstain_threshold)}
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
