"""The knowledge bases the eval sets are written against.

Every dataset is scored against the documents its questions were written for: ``seed.jsonl`` against the
bundled notice alone, ``resource.jsonl`` against the notice and the city's school-based training guide, and
``kb.jsonl`` (and any dataset not declared here) against the full eval knowledge base: the notice plus four
fictional training resources written for the evals (a provincial plan as PDF, the guide as .docx with a
table, a course syllabus as Markdown, a FAQ page as GBK HTML). The manifest lists the resources because
their folder also holds build scripts and an annotators' README that must never be indexed.

Each knowledge base lives in a collection of its own (``<knowledge base>-eval-<n docs>``), so running an
eval never adds fictional documents to the knowledge base teachers are answered from, and switching
between datasets never re-embeds anything (the embedding cache is shared).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from corpus.documents import DocumentMeta, SourceDocument
from corpus.loaders import load_file, slugify
from evals.dataset import RESOURCES_DIR

MANIFEST = RESOURCES_DIR / "manifest.json"
ALL = "all"
# Dataset file name -> the resources (manifest paths) its questions were written for; ALL by default.
DECLARED: dict[str, tuple[str, ...] | str] = {
    "seed.jsonl": (),
    "resource.jsonl": ("校本研修实施指南.docx",),
}


def manifest(path: Path = MANIFEST) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8")))


def resources_for(dataset: Path | str, kb: str = "declared") -> tuple[str, ...]:
    """Manifest paths of the resources a dataset is scored with (beside the bundled notice)."""
    every = tuple(e["path"] for e in manifest())
    if kb == "bundled":
        return ()
    if kb == "eval":
        return every
    declared = DECLARED.get(Path(dataset).name, ALL)
    return every if declared == ALL else tuple(declared)


def eval_documents(paths: tuple[str, ...]) -> list[SourceDocument]:
    entries = {e["path"]: e for e in manifest()}
    docs = []
    for rel in paths:
        entry = entries[rel]
        path = MANIFEST.parent / rel
        meta = DocumentMeta(title="", kind=entry.get("kind", "resource"), subject=entry.get("subject", ""),
                            stage=entry.get("stage", ""), source=rel)
        docs.append(load_file(path, doc_id=slugify(path.stem), meta=meta))
    return docs


def eval_assistant(settings: Any, resources: tuple[str, ...], extra: list[Path] | None = None) -> Any:
    """An assistant over the bundled corpus plus ``resources``, in a collection of its own, built by the
    composition root exactly as the live knowledge base is."""
    from assistant.services import open_knowledge_base

    key = hashlib.sha256("|".join(sorted(resources)).encode("utf-8")).hexdigest()[:6]
    assistant = open_knowledge_base(settings, name=f"{settings.knowledge_base}-eval-{key}")
    assistant.ensure_indexed()
    if resources:
        assistant.index_documents(eval_documents(resources))
    if extra:
        assistant.index_paths(extra)
    return assistant
