"""The same content is never in the knowledge base twice.

A second copy made every answer quote the same sentence as [1] and [2] and listed the file twice. An
upload whose bytes match a resource already present is refused before anything is written; one whose
parsed text matches (the same document re-saved or re-encoded) is refused once it has been parsed, and its
job rolls back like any other failure. Replacing a resource with the very bytes of its live version is
refused too (nothing would change but the version number); a resource deleted (or whose upload failed) no
longer counts. Resources recorded before their content was hashed are fingerprinted once, on first need.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

from assistant.errors import Conflict
from assistant.records.resources import ResourceRows
from assistant.resource_files import kept_files
from assistant.service import Assistant
from assistant.visibility import PinnedVersions
from indexer.pipeline import PreparedDocument


def duplicate_error(existing: dict[str, Any]) -> Conflict:
    """The refusal of content the knowledge base already holds, naming the resource that holds it."""
    return Conflict(f"知识库中已有内容相同的资源《{existing['title']}》（{existing['id']}），不必重复上传；"
                    "如需更新请替换该资源")


def unchanged_error(current: dict[str, Any]) -> Conflict:
    """The refusal of a replacement whose file is the resource's live version again."""
    return Conflict(f"新文件与资源《{current['title']}》（{current['id']}）当前第 {current['version']} 版的内容完全相同，"
                    "未作替换，版本不变")


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_digest(texts: list[str]) -> str:
    """The parsed content: its chunk texts in order (what would be searched and quoted), whatever the
    file's format, encoding or title."""
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1e")
    return digest.hexdigest()


class Fingerprints:
    """Each resource's content hashes, compared before a version goes live."""

    def __init__(self, assistant: Assistant, rows: ResourceRows, visibility: PinnedVersions, files_dir: Path) -> None:
        self.assistant = assistant
        self.rows = rows
        self.visibility = visibility
        self.files_dir = files_dir
        self._lock = threading.Lock()
        self._done = False

    def check(self, rid: str, path: Path, prepared: PreparedDocument) -> dict[str, str]:
        """The hashes of what a job is about to make live; ``Conflict`` if another resource holds it."""
        self.fill_old_rows()
        content = {"file_sha256": file_digest(path.read_bytes()), "text_sha256": text_digest(prepared.texts)}
        clash = self.rows.same_content(rid, **content)
        if clash is not None:
            raise duplicate_error(clash)
        return content

    def fill_old_rows(self) -> None:
        """Fill in the hashes of resources recorded before they were kept (once per process): the file from
        the kept copy its last job read, the text from the live version's stored chunks. What cannot be
        known is recorded as '' so it is not looked for again; such a row is then never taken for a copy.
        Only ``NULL`` columns are written, so a job committing meanwhile keeps its own hashes; no resource
        lock is taken (a caller may hold one)."""
        with self._lock:
            if self._done:
                return
            for row in self.rows.unfingerprinted():
                rid = row["id"]
                kept = kept_files(self.files_dir, rid)
                file_sha = file_digest(kept[0].read_bytes()) if len(kept) == 1 else ""
                chunks = sorted((c for c in self.assistant.store.document_chunks(rid) if self.visibility.visible(c.id)),
                                key=lambda c: int(c.metadata.get("ordinal", 0)))
                self.rows.fill_fingerprint(rid, file_sha, text_digest([c.text for c in chunks]) if chunks else "")
            self._done = True
