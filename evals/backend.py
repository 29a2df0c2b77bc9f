"""What the evals offer the core: registered as the ``guopei.evals`` entry point (see ``pyproject.toml``).

The core's eval-run job (``assistant.evalruns``) looks this up instead of importing ``evals``, which sits
above it. A run scores each dataset on the knowledge base it asks for — the live one an admin started the
run against, or the eval knowledge bases of ``evals.knowledge_base`` — and writes ``results.jsonl``,
``summary.json`` and ``report.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals.dataset import DATASETS_DIR, load_dataset, select_split
from evals.report import write_report
from evals.runner import run_eval, write_run

RUNS_DIR = Path(__file__).resolve().parent / "runs"


class EvalsBackend:
    datasets_dir = DATASETS_DIR
    runs_dir = RUNS_DIR

    def check(self, path: Path) -> int:
        return len(load_dataset(path))

    def documents_for(self, path: Path) -> list[str]:
        """The shipped sets' documents; a set of the deployment's own is written for its own knowledge base."""
        from evals.knowledge_base import eval_documents, resources_for

        if path.resolve().parent != DATASETS_DIR.resolve():
            return []
        return [doc.meta.title for doc in eval_documents(resources_for(path))]

    def run(self, spec: Any, out_dir: Path, *, settings: Any, live: Any,
            progress: Callable[[int, int], None]) -> dict[str, Any]:
        from evals.knowledge_base import eval_assistant, resources_for

        paths = [Path(p) for p in spec.datasets]
        groups = [(path, select_split(load_dataset(path), spec.split)) for path in paths]
        total = sum(len(items) for _, items in groups)
        results: list[dict[str, Any]] = []
        for path, items in groups:
            if spec.kb == "live":
                assistant = live
            else:
                assistant = eval_assistant(settings, resources_for(path, spec.kb), [Path(p) for p in spec.index])
            before = len(results)
            batch = run_eval(assistant, items, k=spec.k, progress=False,
                             on_item=lambda done, before=before: progress(before + done, total))
            results += [{**r, "dataset": path.stem} for r in batch]
        summary = write_run(results, out_dir, dataset="+".join(p.stem for p in paths), k=spec.k, split=spec.split)
        write_report(out_dir, summary, results, Path(spec.baseline) if spec.baseline else None)
        return summary
