"""The in-memory side of the knowledge base: passages, their terms, BM25 and Chroma-style filters.

The vector store holds vectors; questions also need every passage's text and terms at hand (BM25, term
coverage, section headings, the document catalogue). Keeping that copy in one immutable object lets the
retriever swap it whole when a document changes.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from assistant.catalogue import build_catalogue
from assistant.lexical import BM25Index
from assistant.spelling import SoundIndex
from indexer.store import StoredChunk
from indexer.structure import PATH_SEPARATOR
from indexer.thesaurus import field_synonyms, synonyms
from indexer.tokenizer import lexical_terms


def chunk_doc_id(chunk_id: str) -> str:
    """The document a chunk id belongs to (ids are ``<doc_id>:<version>:<ordinal>``)."""
    parts = chunk_id.rsplit(":", 2)
    return parts[0] if len(parts) == 3 else chunk_id


class PassageIndex:
    """Every visible passage in memory: texts, terms, section terms, BM25 and the catalogue.

    The retriever reads one immutable instance per question; a document written or removed yields a new
    instance (``with_document``) while questions in flight keep reading the old one.
    """

    def __init__(self, chunks: list[StoredChunk]) -> None:
        self.chunks = chunks
        self.terms = [str(c.metadata.get("lex", "")).split() for c in chunks]
        self.heading_terms = [set(lexical_terms(str(c.metadata.get("section", "")))) for c in chunks]
        self.position = {c.id: i for i, c in enumerate(chunks)}
        self.by_doc: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            self.by_doc.setdefault(str(c.metadata.get("doc_id", "")), []).append(i)
        self.catalogue = build_catalogue(chunks)
        self.bm25 = BM25Index(self.terms)
        self._masks: dict[str, np.ndarray] = {}
        self._sounds: SoundIndex | None = None

    def with_document(self, doc_id: str, chunks: list[StoredChunk]) -> PassageIndex:
        """A new state where ``doc_id`` has exactly ``chunks`` (none: removed). Only that document's passages
        are tokenised and indexed; the rest is shared or copied shallowly, and this state is left as it was
        for the questions still reading it."""
        new = PassageIndex.__new__(PassageIndex)
        old = self.by_doc.get(doc_id, [])
        new.bm25 = self.bm25.copy()
        new.bm25.remove(old, [self.terms[p] for p in old])
        terms = [str(c.metadata.get("lex", "")).split() for c in chunks]
        positions = new.bm25.add(terms)
        new.chunks = [*self.chunks, *chunks]
        new.terms = [*self.terms, *terms]
        new.heading_terms = [*self.heading_terms,
                             *(set(lexical_terms(str(c.metadata.get("section", "")))) for c in chunks)]
        new.position = dict(self.position)
        for p in old:
            new.position.pop(self.chunks[p].id, None)
        new.position.update((c.id, p) for c, p in zip(chunks, positions, strict=True))
        new.by_doc = {**self.by_doc, doc_id: positions}
        if not positions:
            del new.by_doc[doc_id]
        new.catalogue = sorted([*(d for d in self.catalogue if d.doc_id != doc_id), *build_catalogue(chunks)],
                               key=lambda d: (d.kind != "policy", d.title))
        new._masks = {}
        new._sounds = None
        return new

    @property
    def sounds(self) -> SoundIndex:
        """The knowledge base's words by sound, built on the first question with a word it does not know."""
        if self._sounds is None:
            self._sounds = SoundIndex(self.bm25.vocabulary())
        return self._sounds

    def knows(self, term: str) -> bool:
        """A term, a synonym from the project's own tables, or all of its dictionary sub-words occur somewhere in
        the knowledge base. 词林's broad groups do not count here: they make 证件 known through 证明 and 开支
        through 支付, and so hide that the documents never speak of the thing asked about."""
        return self.frequency(term) > 0 or any(self.bm25.known(s) for s in field_synonyms(term))

    def document_uses(self, doc_id: str, term: str) -> bool:
        """Whether any passage of ``doc_id`` holds ``term``, its dictionary sub-words, or a synonym from the
        project's own tables (as ``knows`` asks of the whole knowledge base)."""
        words = {term, *field_synonyms(term)}
        parts = [p for p in lexical_terms(term) if p != term]
        for p in self.by_doc.get(doc_id, []):
            held = set(self.terms[p])
            if words & held or (parts and all(x in held for x in parts)):
                return True
        return False

    def section_after(self, chunk_id: str, limit: int = 4) -> list[StoredChunk]:
        """The passages that follow ``chunk_id`` in its document while they stay in its section, in order: a list
        or a table chunked short runs on in them."""
        pos = self.position.get(chunk_id)
        if pos is None:
            return []
        meta = self.chunks[pos].metadata
        by_ordinal = {int(self.chunks[p].metadata.get("ordinal", 0)): self.chunks[p]
                      for p in self.by_doc.get(str(meta.get("doc_id")), [])}
        ordinal, out, section = int(meta.get("ordinal", 0)), [], str(meta.get("section", ""))
        # A short last item of a list may have been read as a heading of its own (二、课程目标 > 5. 涵养乡村教育情怀):
        # a passage under the section is still in it.
        while len(out) < limit and (c := by_ordinal.get(ordinal + len(out) + 1)) is not None \
                and (c.metadata.get("section") == section
                     or str(c.metadata.get("section", "")).startswith(section + PATH_SEPARATOR)):
            out.append(c)
        return out

    def frequency(self, term: str) -> int:
        """Passages using a term, or else the rarest of its dictionary sub-words (synonyms do not count: a
        word is kept as a rendering only when the knowledge base uses that very word)."""
        found = self.bm25.frequency(term)
        if found:
            return found
        parts = [p for p in lexical_terms(term) if p != term]
        return min(self.bm25.frequency(p) for p in parts) if parts else 0

    def alternatives(self, terms: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """Synonyms of each question term that some passage actually uses (others cannot match anything)."""
        out = {}
        for t in set(terms):
            alts = tuple(s for s in synonyms(t) if s not in terms and self.bm25.known(s))
            if alts:
                out[t] = alts
        return out

    def mask(self, where: dict[str, Any] | None) -> np.ndarray | None:
        if not where:
            return None
        key = json.dumps(where, sort_keys=True, ensure_ascii=False)
        if key not in self._masks:
            self._masks[key] = np.array([matches(c.metadata, where) for c in self.chunks], dtype=bool)
        return self._masks[key]


_OPS: dict[str, Any] = {
    "$eq": lambda v, a: v == a,
    "$ne": lambda v, a: v != a,
    "$in": lambda v, a: v in a,
    "$nin": lambda v, a: v not in a,
}


def matches(metadata: dict[str, Any], where: dict[str, Any]) -> bool:
    """The subset of Chroma's ``where`` language we use: equality, $eq, $ne, $in, $and, $or."""
    for key, cond in where.items():
        if key == "$and":
            if not all(matches(metadata, c) for c in cond):
                return False
        elif key == "$or":
            if not any(matches(metadata, c) for c in cond):
                return False
        elif isinstance(cond, dict):
            value = metadata.get(key)
            for op, arg in cond.items():
                if op not in _OPS:
                    raise ValueError(f"不支持的过滤条件：{op}")
                if not _OPS[op](value, arg):
                    return False
        elif metadata.get(key) != cond:
            return False
    return True
