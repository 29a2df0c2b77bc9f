"""The document model shared by every loader and by the indexer.

A loader's only job is to turn a file into ``SourceDocument.text``: plain text, one block (paragraph,
heading, table row) per line, headings that carry no numbering marked as Markdown ``#`` lines so the
structure parser can see them. Everything downstream works from that text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    doc_number: str = ""  # 文号, e.g. 教师函〔2021〕4号
    issuers: tuple[str, ...] = ()
    year: int | None = None
    date: str = ""  # signing date, ISO YYYY-MM-DD, when the document states one
    kind: str = "resource"  # policy | resource | ...
    subject: str = ""
    stage: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""  # file name or path it came from

    def as_metadata(self) -> dict[str, str | int]:
        """Flat, Chroma-compatible metadata (no None, no lists)."""
        return {
            "title": self.title,
            "doc_number": self.doc_number,
            "issuers": " ".join(self.issuers),
            "year": self.year or 0,
            "date": self.date,
            "kind": self.kind,
            "subject": self.subject,
            "stage": self.stage,
            "tags": ",".join(self.tags),
            "source": self.source,
        }


@dataclass(frozen=True)
class SourceDocument:
    doc_id: str
    text: str
    meta: DocumentMeta
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Identifies this exact version; chunk ids derive from it so re-indexing is a no-op."""
        h = hashlib.sha256(self.text.encode("utf-8"))
        h.update(repr(sorted(self.meta.as_metadata().items())).encode("utf-8"))
        return h.hexdigest()[:16]


class LoaderError(ValueError):
    """A file that cannot become a document; the message names the file and says why, in Chinese."""
