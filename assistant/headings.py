"""The outline of a stored document: every heading of its structure, in order, read back from its chunks.

A trainer checks the outline after an upload to see that the file was understood. It used to list one
label per chunk, and a chunk is named after one section (the last of two short ones it holds), so 「一、培训时间」
vanished behind 「二、培训内容」 and a chapter behind the next. The chunks' offsets give back the normalised
text, and the same structure parser the chunker uses lists all of its headings, whichever chunk holds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indexer.structure import PATH_SEPARATOR, parse_structure


def document_text(chunks: Sequence[dict[str, Any]]) -> str | None:
    """The normalised text the chunks were cut from (they overlap by whole sentences), or None when their
    offsets do not agree with their texts."""
    parts: list[str] = []
    pos = 0
    for c in sorted(chunks, key=lambda c: int(c["ordinal"])):
        start, end, text = int(c["start"]), int(c["end"]), str(c["text"])
        if end - start != len(text) or start > pos or end < pos:
            return None
        parts.append(text[pos - start:])
        pos = end
    return "".join(parts)


def document_outline(chunks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every heading in document order: ``level`` (1 for a top-level part), ``heading``, its ``path`` as
    citations name it, and the ``ordinal`` of the chunk its heading line is in (None if not known)."""
    ordered = sorted(chunks, key=lambda c: int(c["ordinal"]))
    text = document_text(ordered)
    if text is None:  # read each chunk on its own: the headings are all there, only not placed by offset
        text, ordered = "\n".join(str(c["text"]) for c in ordered), []
    outline: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()
    for section in parse_structure(text).sections:
        for depth in range(1, len(section.path) + 1):
            path = section.path[:depth]
            if path in seen:
                continue
            seen.add(path)
            holder = next((c for c in ordered if int(c["start"]) <= section.start < int(c["end"])), None)
            outline.append({"level": depth, "heading": path[-1], "path": PATH_SEPARATOR.join(path),
                            "ordinal": int(holder["ordinal"]) if holder else None})
    return outline
