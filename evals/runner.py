"""Runs an eval dataset through the real assistant and stores what happened.

A run directory holds the raw per-item results (``results.jsonl``) next to the aggregate
(``summary.json``). The summary is always derivable from the results alone, so metrics can be changed
and old runs re-scored without calling the assistant again.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from assistant.contract import CITATION_FIELDS, PASSAGE_FIELDS
from evals.dataset import DATASETS_DIR, DatasetError, load_dataset, select_split, split_of
from evals.metrics import summarize

__all__ = ["DATASETS_DIR", "SEED_PATH", "DatasetError", "load_dataset", "load_results", "recompute_summary",
           "run_eval", "select_split", "strip_run_meta", "write_run"]

SEED_PATH = DATASETS_DIR / "seed.jsonl"
RESULTS_FILE = "results.jsonl"
SUMMARY_FILE = "summary.json"
# Keys write_run adds on top of summarize(); recompute_summary cannot know them.
RUN_META_KEYS = ("dataset", "timestamp", "k", "split")


class AskingAssistant(Protocol):
    def ask(self, question: str, history: list[dict] | None = None, k: int | None = None) -> dict: ...


def _hits(rows: Iterable[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [{k: r.get(k) for k in PASSAGE_FIELDS} for r in rows or []]


def _citations(rows: Iterable[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [{k: r.get(k) for k in CITATION_FIELDS} for r in rows or []]


def run_eval(
    assistant: AskingAssistant, items: Sequence[dict[str, Any]], k: int = 5, progress: bool = True,
    on_item: Callable[[int], None] | None = None,
) -> list[dict[str, Any]]:
    """Ask every question once and keep everything needed to score it later without the assistant.

    The full text of every cited chunk is stored too, so the attribution check (each quoted sentence
    verbatim in the chunk its marker names) can be re-run on the stored results alone. ``on_item(done)``
    is called after each question (a supervised job reports progress, and stops there when cancelled).
    """
    lookup = getattr(assistant, "chunk_texts", None)
    results: list[dict[str, Any]] = []
    for item in tqdm(items, desc="eval", unit="q", file=sys.stderr, disable=not progress):
        start = time.perf_counter()
        out = assistant.ask(item["question"], history=item.get("history"), k=k)
        latency_ms = (time.perf_counter() - start) * 1000.0
        citations = _citations(out.get("citations"))
        retrieved = _hits(out.get("retrieved"))
        chunks = {h["chunk_id"]: h["text"] for h in retrieved if h.get("chunk_id")}
        missing = [c["chunk_id"] for c in citations if c.get("chunk_id") and c["chunk_id"] not in chunks]
        if missing and lookup is not None:
            chunks.update(lookup(missing))
        results.append(
            {
                "id": item["id"],
                "split": split_of(item),
                "question": item["question"],
                "category": item.get("category", ""),
                "answerable": item["answerable"],
                "section": item.get("section", ""),
                "evidence": list(item["evidence"]),
                "must_include": list(item["must_include"]),
                "history": item.get("history"),
                "retrieved": retrieved,
                "answer": out.get("answer", ""),
                "abstained": bool(out.get("abstained", False)),
                "hedged": bool(out.get("hedged", False)),
                "citations": citations,
                "cited_chunks": {c["chunk_id"]: chunks.get(c["chunk_id"], "") for c in citations
                                 if c.get("chunk_id")},
                "latency_ms": latency_ms,
                **({"generation": out["generation"]} if out.get("generation") else {}),
            }
        )
        if on_item is not None:
            on_item(len(results))
    return results


def write_run(
    results: Sequence[dict[str, Any]], out_dir: str | Path, *, dataset: str = "", k: int | None = None,
    split: str = "all",
) -> dict[str, Any]:
    """Persist raw results and their summary; returns exactly what was written to summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with (out / RESULTS_FILE).open("w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    summary = summarize(results)
    summary.update(dataset=dataset, timestamp=datetime.now(UTC).isoformat(timespec="seconds"), k=k, split=split)
    (out / SUMMARY_FILE).write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return summary


def load_results(out_dir: str | Path) -> list[dict[str, Any]]:
    with (Path(out_dir) / RESULTS_FILE).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def recompute_summary(out_dir: str | Path) -> dict[str, Any]:
    """Re-score a stored run from results.jsonl alone (no run metadata, no assistant)."""
    return summarize(load_results(out_dir))


def strip_run_meta(summary: dict[str, Any]) -> dict[str, Any]:
    """The part of a written summary that recompute_summary must reproduce."""
    return {key: v for key, v in summary.items() if key not in RUN_META_KEYS}


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m evals.runner``: the same run as ``guopei eval run``, through the core's eval-run job."""
    parser = argparse.ArgumentParser(description="Run eval datasets through the assistant.")
    parser.add_argument("--dataset", type=Path, action="append", default=[],
                        help="a JSONL dataset (repeatable; all of them are scored as one run)")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all",
                        help="dev (tuning), test (held out: gates and README figures) or all")
    parser.add_argument(
        "--out", type=Path, default=None, help="run directory (default evals/runs/<timestamp>)"
    )
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--baseline", type=Path, default=None, help="an earlier run directory to compare with")
    parser.add_argument("--index", type=Path, action="append", default=[],
                        help="documents to add to the knowledge base before the run (file or folder; repeatable)")
    parser.add_argument("--kb", choices=("declared", "eval", "bundled"), default="declared",
                        help="declared: each dataset on the documents it was written for (default); eval: all on the "
                             "notice plus every eval resource; bundled: all on the notice alone")
    args = parser.parse_args(argv)

    from assistant.errors import CoreError  # imported late: scoring stored runs needs no assistant
    from assistant.evalruns import EvalSpec
    from assistant.services import Services, read_settings
    from assistant.usecases.people import People

    spec = EvalSpec(tuple(str(p) for p in args.dataset or [SEED_PATH]), split=args.split, k=args.k, kb=args.kb,
                    index=tuple(str(p) for p in args.index), baseline=str(args.baseline) if args.baseline else None)
    try:
        run = Services.from_settings(read_settings()).usecases.admin.start_eval(
            People.operator(), spec, out_dir=args.out, wait=True)
    except CoreError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(json.dumps(strip_run_meta(run["summary"]), ensure_ascii=False, indent=2))
    print(f"结果已写入 {run['out_dir']}（报告：{Path(run['out_dir']) / 'report.html'}）", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
