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
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from evals.metrics import summarize
from evals.report import write_report

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
SEED_PATH = DATASETS_DIR / "seed.jsonl"
RESULTS_FILE = "results.jsonl"
SUMMARY_FILE = "summary.json"
# Keys write_run adds on top of summarize(); recompute_summary cannot know them.
RUN_META_KEYS = ("dataset", "timestamp", "k")

_REQUIRED: dict[str, type] = {
    "id": str,
    "question": str,
    "answerable": bool,
    "category": str,
    "evidence": list,
    "must_include": list,
}


class DatasetError(ValueError):
    """A malformed dataset line; the message names the file and the 1-based line number."""


class AskingAssistant(Protocol):
    def ask(self, question: str, history: list[dict] | None = None, k: int | None = None) -> dict: ...


def _validate(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise DatasetError(f"{where}: expected a JSON object, got {type(item).__name__}")
    for key, typ in _REQUIRED.items():
        if key not in item:
            raise DatasetError(f"{where}: missing required key {key!r}")
        if not isinstance(item[key], typ):
            raise DatasetError(f"{where}: key {key!r} must be {typ.__name__}, got {type(item[key]).__name__}")
    for key in ("evidence", "must_include"):
        if not all(isinstance(x, str) and x.strip() for x in item[key]):
            raise DatasetError(f"{where}: {key!r} must be a list of non-empty strings")
    if not item["question"].strip():
        raise DatasetError(f"{where}: empty question")
    if item["answerable"] and not item["evidence"]:
        raise DatasetError(f"{where}: answerable item without evidence")
    if not isinstance(item.get("section", ""), str):
        raise DatasetError(f"{where}: key 'section' must be str")
    history = item.get("history")
    if history is not None and not (
        isinstance(history, list)
        and all(
            isinstance(t, dict)
            and t.get("role") in ("user", "assistant")
            and isinstance(t.get("content"), str)
            for t in history
        )
    ):
        raise DatasetError(f"{where}: 'history' must be a list of {{role: user|assistant, content: str}}")
    return item


def load_dataset(path: str | Path) -> list[dict[str, Any]]:
    """Read and validate a JSONL dataset; fail loudly on the first bad line rather than mis-score later."""
    path = Path(path)
    items: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as e:
                raise DatasetError(f"{where}: invalid JSON ({e.msg})") from e
            item = _validate(raw, where)
            if item["id"] in seen:
                raise DatasetError(f"{where}: duplicate id {item['id']!r} (first on line {seen[item['id']]})")
            seen[item["id"]] = lineno
            items.append(item)
    if not items:
        raise DatasetError(f"{path}: dataset is empty")
    return items


def _hits(rows: Iterable[dict[str, Any]] | None) -> list[dict[str, Any]]:
    keys = ("doc_id", "title", "section", "text", "score")
    return [{k: r.get(k) for k in keys} for r in rows or []]


def run_eval(
    assistant: AskingAssistant, items: Sequence[dict[str, Any]], k: int = 5, progress: bool = True
) -> list[dict[str, Any]]:
    """Ask every question once and keep everything needed to score it later without the assistant."""
    results: list[dict[str, Any]] = []
    for item in tqdm(items, desc="eval", unit="q", file=sys.stderr, disable=not progress):
        start = time.perf_counter()
        out = assistant.ask(item["question"], history=item.get("history"), k=k)
        latency_ms = (time.perf_counter() - start) * 1000.0
        results.append(
            {
                "id": item["id"],
                "question": item["question"],
                "category": item["category"],
                "answerable": item["answerable"],
                "section": item.get("section", ""),
                "evidence": list(item["evidence"]),
                "must_include": list(item["must_include"]),
                "history": item.get("history"),
                "retrieved": _hits(out.get("retrieved")),
                "answer": out.get("answer", ""),
                "abstained": bool(out.get("abstained", False)),
                "citations": _hits(out.get("citations")),
                "latency_ms": latency_ms,
            }
        )
    return results


def write_run(
    results: Sequence[dict[str, Any]], out_dir: str | Path, *, dataset: str = "", k: int | None = None
) -> dict[str, Any]:
    """Persist raw results and their summary; returns exactly what was written to summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with (out / RESULTS_FILE).open("w", encoding="utf-8") as f:
        for r in results:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    summary = summarize(results)
    summary.update(dataset=dataset, timestamp=datetime.now(UTC).isoformat(timespec="seconds"), k=k)
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
    parser = argparse.ArgumentParser(description="Run an eval dataset through the assistant.")
    parser.add_argument("--dataset", type=Path, default=SEED_PATH)
    parser.add_argument(
        "--out", type=Path, default=None, help="run directory (default evals/runs/<timestamp>)"
    )
    parser.add_argument("-k", type=int, default=5)
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--baseline", type=Path, default=None, help="an earlier run directory to compare with")
    parser.add_argument("--index", type=Path, action="append", default=[],
                        help="documents to add to the knowledge base before the run (file or folder; repeatable)")
    args = parser.parse_args(argv)

    from assistant.service import Assistant  # imported late: scoring stored runs needs no assistant
    from assistant.settings import get_settings

    items = load_dataset(args.dataset)
    assistant = Assistant.from_settings(get_settings())
    assistant.ensure_indexed()
    if args.index:
        assistant.index_paths(args.index)
    results = run_eval(assistant, items, k=args.k, progress=not args.no_progress)
    out_dir = args.out or Path(__file__).resolve().parent / "runs" / datetime.now().strftime("%Y%m%d-%H%M%S")
    summary = write_run(results, out_dir, dataset=args.dataset.stem, k=args.k)
    report = write_report(Path(out_dir), summary, results, args.baseline)
    print(json.dumps(strip_run_meta(summary), ensure_ascii=False, indent=2))
    print(f"written to {out_dir} (report: {report})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
