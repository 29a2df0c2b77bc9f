"""The policy texts shipped with the package, so a fresh install can answer questions about 国培计划.

Metadata lives in ``data/manifest.json`` rather than being guessed from the files: titles, 文号 and
issuers of official documents must be exact, because the assistant cites them to teachers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from corpus.documents import DocumentMeta, LoaderError, SourceDocument
from corpus.loaders import load_file

__all__ = ["BUNDLED_DIR", "MANIFEST_PATH", "bundled_documents", "load_manifest"]

BUNDLED_DIR: Final[Path] = Path(__file__).parent / "data"
MANIFEST_PATH: Final[Path] = BUNDLED_DIR / "manifest.json"

_REQUIRED = ("doc_id", "path", "title")


def load_manifest(path: Path = MANIFEST_PATH) -> list[dict[str, Any]]:
    """Read and validate the manifest; a broken one is a packaging bug, so fail loudly and early."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise LoaderError(f"内置资料清单「{path.name}」无法读取：{exc}") from exc
    if not isinstance(entries, list):
        raise LoaderError(f"内置资料清单「{path.name}」格式错误：应为列表")
    seen: set[str] = set()
    root = path.parent.resolve()
    for i, entry in enumerate(entries):
        missing = [key for key in _REQUIRED if not (isinstance(entry, dict) and entry.get(key))]
        if missing:
            raise LoaderError(f"内置资料清单第 {i + 1} 项缺少字段：{', '.join(missing)}")
        if entry["doc_id"] in seen:
            raise LoaderError(f"内置资料清单中 doc_id「{entry['doc_id']}」重复")
        seen.add(entry["doc_id"])
        if not (root / entry["path"]).resolve().is_relative_to(root):
            raise LoaderError(f"内置资料清单第 {i + 1} 项的路径超出资料目录：{entry['path']}")
    return entries


def _meta(entry: dict[str, Any]) -> DocumentMeta:
    return DocumentMeta(
        title=entry["title"],
        doc_number=entry.get("doc_number", ""),
        issuers=tuple(entry.get("issuers", ())),
        year=entry.get("year"),
        date=entry.get("date", ""),
        kind=entry.get("kind", "resource"),
        subject=entry.get("subject", ""),
        stage=entry.get("stage", ""),
        tags=tuple(entry.get("tags", ())),
        source=entry["path"],
    )


def bundled_documents() -> list[SourceDocument]:
    """Every manifest entry loaded through the same loader as uploads, so both produce identical text."""
    return [
        load_file(BUNDLED_DIR / entry["path"], doc_id=entry["doc_id"], meta=_meta(entry))
        for entry in load_manifest()
    ]
