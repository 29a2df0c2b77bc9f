"""The stock LangChain pipeline on the same eval knowledge bases, scored on the same questions.

What a LangChain tutorial gives you: ``RecursiveCharacterTextSplitter(300, 50)`` over each loaded document,
``langchain_chroma.Chroma`` (cosine) with the same bundled embedder, ``similarity_search(q, k=5)``. It has no
answer step, so only retrieval is compared (recall@1 and evidence within the first 400 characters), per
split, next to our figures from a run directory.

``python -m evals.baseline [--ours RUN_DIR]`` prints a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.dataset import DATASETS_DIR, EVAL_SETS, load_dataset, split_of
from evals.metrics import first_hit_rank, hit_within_chars, recall_at_k

DATASETS = EVAL_SETS


def baseline_retriever(texts: list[str], embedder: Any, workdir: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    client = chromadb.PersistentClient(str(workdir), settings=ChromaSettings(anonymized_telemetry=False))
    name = "baseline-" + hashlib.sha256("".join(texts).encode("utf-8")).hexdigest()[:8]
    store = Chroma(name, embedder, client=client, collection_configuration={"hnsw": {"space": "cosine"}})
    splitter = RecursiveCharacterTextSplitter(chunk_size=300, chunk_overlap=50)
    store.add_texts([chunk for text in texts for chunk in splitter.split_text(text)])
    return store


def score(retrieve: Any, items: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """recall@1 and hit@400chars per split over answerable items; each question asked as written (the
    baseline has no follow-up handling, so a follow-up's history is prepended to it)."""
    out: dict[str, list[tuple[float, float]]] = {}
    for it in items:
        if not it["answerable"]:
            continue
        history = " ".join(t["content"] for t in it.get("history") or [] if t["role"] == "user")
        ranked = retrieve(f"{history} {it['question']}".strip())
        out.setdefault(split_of(it), []).append(
            (recall_at_k(first_hit_rank(ranked, it["evidence"]), 1), float(hit_within_chars(ranked, it["evidence"], 400))))
    return {sp: {"n": len(v), "recall@1": sum(a for a, _ in v) / len(v), "hit@400chars": sum(b for _, b in v) / len(v)}
            for sp, v in out.items()}


def run(workdir: Path) -> dict[str, dict[str, float]]:
    from assistant.services import read_settings
    from corpus.bundled import bundled_documents
    from evals.knowledge_base import eval_documents, resources_for
    from indexer.embedders.cache import CachedEmbeddings
    from indexer.embedders.registry import create_embedder

    settings = read_settings()
    embedder = CachedEmbeddings(create_embedder(settings.embedder), settings.cache_path)
    items: list[dict[str, Any]] = []
    per_split: dict[str, list[tuple[int, float, float]]] = {}
    for name in DATASETS:
        path = DATASETS_DIR / name
        docs = bundled_documents() + eval_documents(resources_for(path))
        store = baseline_retriever([d.text for d in docs], embedder, workdir)
        data = load_dataset(path)
        items += data
        for sp, v in score(lambda q, s=store: [d.page_content for d in s.similarity_search(q, k=5)], data).items():
            per_split.setdefault(sp, []).append((int(v["n"]), v["recall@1"], v["hit@400chars"]))
    return {sp: {"n": sum(n for n, _, _ in v),
                 "recall@1": sum(n * r for n, r, _ in v) / sum(n for n, _, _ in v),
                 "hit@400chars": sum(n * h for n, _, h in v) / sum(n for n, _, _ in v)} for sp, v in per_split.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LangChain baseline retrieval on the eval sets.")
    parser.add_argument("--ours", type=Path, action="append", default=[],
                        help="our run directories (one per split) to show beside the baseline")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = run(Path(tmp))
    ours = {}
    for run_dir in args.ours:
        summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
        ours.update({sp: v for sp, v in summary.get("by_split", {}).items()})
    print("| split | metric | ours | LangChain baseline |\n|---|---|---:|---:|")
    for sp in sorted(base):
        for metric in ("recall@1", "hit@400chars"):
            mine = ours.get(sp, {}).get(metric)
            print(f"| {sp} | {metric} | {'' if mine is None else f'{mine:.3f}'} | {base[sp][metric]:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
