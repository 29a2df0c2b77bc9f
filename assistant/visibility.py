"""Which stored chunks are searchable: the committed version of each uploaded resource, nothing else.

The vector store cannot switch a document's version atomically (it writes in batches, and a process can be
killed between two of them), so the commit point is the resource row in SQLite. Chunk ids carry their
version (``<doc_id>:<version>:<ordinal>``), so deciding visibility needs no metadata lookup.
"""

from __future__ import annotations

import threading

from assistant.records.resources import ResourceRows


def _split(chunk_id: str) -> tuple[str, str] | None:
    parts = chunk_id.rsplit(":", 2)
    return (parts[0], parts[1]) if len(parts) == 3 else None


class PinnedVersions:
    """Implements ``assistant.retrieval.Visibility`` over the resources table."""

    def __init__(self, rows: ResourceRows) -> None:
        self.rows = rows
        self._lock = threading.Lock()
        self._pins = rows.pins()

    def visible(self, chunk_id: str) -> bool:
        parts = _split(chunk_id)
        if parts is None:
            return True
        pin = self._pins.get(parts[0])
        return pin is None or pin == parts[1]

    def pin(self, doc_id: str, version: str | None) -> None:
        """Set what this process searches for ``doc_id`` (``""``: nothing; ``None``: no pin at all)."""
        with self._lock:
            pins = dict(self._pins)
            if version is None:
                pins.pop(doc_id, None)
            else:
                pins[doc_id] = version
            self._pins = pins

    def reload(self) -> None:
        self._pins = self.rows.pins()

    def generation(self) -> object:
        return self.rows.generation()
