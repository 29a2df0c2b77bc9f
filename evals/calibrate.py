"""Calibrate the abstain threshold (and the cross-lingual offset) on an eval set.

The threshold is the midpoint of the widest gap between the evidence strength of answerable questions
and of off-topic ones, so a new corpus or embedder can be re-calibrated with one command:
``python -m evals.calibrate [DATASET]`` prints the values to put into ``GUOPEI_ABSTAIN_THRESHOLD``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.runner import SEED_PATH, load_dataset

_CJK = re.compile(r"[\u4e00-\u9fff]")


def strengths(assistant: Any, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Evidence strength and best sentence similarity per item, as the retriever computes them."""
    rows = []
    for item in items:
        r = assistant.retrieve(item["question"], item.get("history"))
        best = max((max(h.dense, h.sentence) for h in r.hits[:3]), default=0.0)
        rows.append({"id": item["id"], "category": item["category"], "answerable": item["answerable"],
                     "cross_lingual": not _CJK.search(item["question"]), "strength": r.strength, "cosine": best})
    return rows


def threshold(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Midpoint between the weakest answerable and the strongest off-topic item (same-language scale)."""
    answerable = [r["strength"] for r in rows if r["answerable"]]
    offtopic = [r["strength"] for r in rows if not r["answerable"] and r["category"] == "offtopic"]
    lo, hi = max(offtopic, default=0.0), min(answerable, default=1.0)
    return {"weakest_answerable": round(hi, 4), "strongest_offtopic": round(lo, 4),
            "separable": hi > lo, "threshold": round((lo + hi) / 2, 4),
            "median_cosine_same_language": statistics.median(
                [r["cosine"] for r in rows if r["answerable"] and not r["cross_lingual"]] or [0.0]),
            "median_cosine_cross_lingual": statistics.median(
                [r["cosine"] for r in rows if r["answerable"] and r["cross_lingual"]] or [0.0])}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Calibrate the abstain threshold on an eval set.")
    parser.add_argument("dataset", nargs="?", type=Path, default=SEED_PATH)
    args = parser.parse_args(argv)
    from assistant.service import Assistant
    from assistant.settings import get_settings

    assistant = Assistant.from_settings(get_settings())
    assistant.ensure_indexed()
    print(json.dumps(threshold(strengths(assistant, load_dataset(args.dataset))), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
