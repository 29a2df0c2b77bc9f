"""Cut a normalised document into retrieval chunks along its own structure.

Rules, in order of priority: a chunk never crosses a section boundary (so its section path is exact),
never cuts a sentence (so a quoted citation is always a whole sentence), and stays under the jieba
token budget. Bare headings (``二、重点工作``) hold no content of their own, so they are carried into the
next chunk rather than indexed alone. Consecutive chunks of one long section overlap by whole sentences
so that a rule stated across a split can still be found in one piece.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from indexer.structure import PATH_SEPARATOR, PREAMBLE, Section, is_pure_heading, parse_structure
from indexer.tokenizer import count_tokens

_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』）)】]*\n?|\n")


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    ordinal: int
    text: str  # == normalised_text[start:end]
    start: int
    end: int
    section_path: tuple[str, ...]
    n_tokens: int

    @property
    def section(self) -> str:
        return PATH_SEPARATOR.join(self.section_path) if self.section_path else PREAMBLE

    @property
    def heading(self) -> str:
        return self.section_path[-1] if self.section_path else PREAMBLE


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans covering text[start:end] without gaps; a span ends after its 。！？； or newline."""
    end = len(text) if end is None else end
    spans, pos = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.end() > pos:
            spans.append((pos, m.end()))
            pos = m.end()
    if pos < end:
        spans.append((pos, end))
    return spans


def sentences(text: str, min_chars: int = 6) -> list[tuple[int, int]]:
    """Quotable sentences of a chunk (stripped spans, headings and fragments left out)."""
    out = []
    for s, e in sentence_spans(text):
        piece = text[s:e]
        s += len(piece) - len(piece.lstrip())
        e -= len(piece) - len(piece.rstrip())
        if e - s >= min_chars and not is_pure_heading(text[s:e]):
            out.append((s, e))
    return out


def question_heading(section: str) -> str | None:
    """The innermost heading of a section path when it is a question (1. 哪些教师可以参加“国培计划”项目？): what an
    FAQ entry answers. The reranker compares it with the teacher's question, so indexing caches its vector."""
    last = section.split(PATH_SEPARATOR)[-1].strip()
    return last if last.endswith(("？", "?")) else None


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    out: list[str] = []
    for parts in zip(*paths, strict=False):
        if any(p != parts[0] for p in parts):
            break
        out.append(parts[0])
    return tuple(out)


def _merge_bare_headings(sections: list[Section], text: str, min_tokens: int,
                         count: Callable[[str], int]) -> list[Section]:
    """Fold sections with (almost) no body into their neighbours, never across their parent.

    A bare heading joins the section after it (二、重点工作 + （一）…: the chunk is named after the inner
    section). Short sibling items (1.…每8学时折算1学分。 2.…) join each other and are named after their
    common parent, and a group never grows past its first section's parent, so a chunk of （二）'s items is
    never labelled as the （三） that follows. An FAQ entry (a question heading and its answer) stays alone.
    Only a heading line can be bare: a short rule (第一条 校本研修每学年不少于48学时。) is a body of its own, and a
    group it leads is named after what its sections share, not after the last of them.
    """
    out: list[Section] = []
    group: list[Section] = []
    bodies: list[int] = []
    bare: list[bool] = []

    def flush() -> None:
        if not group:
            return
        bare_lead = all(bare[:-1])
        # The preamble (no path) shares nothing with the parts after it: what they share names the group.
        path = group[-1].path if bare_lead else (_common_prefix([g.path for g in group if g.path]) or group[-1].path)
        out.append(Section(path, group[0].start, group[-1].end, group[-1].heading_end))
        group.clear()
        bodies.clear()
        bare.clear()

    for sec in sections:
        if group:
            # A bare heading gathers its own subsections; anything else, its siblings.
            scope = group[0].path if bare[0] else group[0].path[:-1]
            if sec.path[:len(scope)] != scope or len(sec.path) <= len(scope):
                flush()
        first_line = text[sec.start:sec.end].split("\n", 1)[0].strip()
        titled = bool(sec.path) and is_pure_heading(first_line)
        body = count(text[sec.start:sec.end]) - (count(first_line) if titled else 0)
        group.append(sec)
        bodies.append(body)
        bare.append(body < min_tokens // 4 and (titled or not sec.path))
        # A question heading with its answer (11. 请假耽误的课程怎么补？ 答：…) is one entry of an FAQ, however
        # short: merged with the next entry, it would be about two questions and named after neither.
        answered = titled and first_line.endswith(("？", "?")) and body >= min_tokens // 4
        if sum(bodies) >= min_tokens or answered:
            flush()
    flush()
    return out


def chunk_document(
    doc_id: str,
    text: str,
    *,
    max_tokens: int = 90,
    min_tokens: int = 24,
    overlap_tokens: int = 22,
    count: Callable[[str], int] = count_tokens,
) -> list[Chunk]:
    """Chunks whose spans, read in order and minus overlaps, reproduce ``text`` exactly."""
    if not text:
        return []
    sections = _merge_bare_headings(parse_structure(text).sections, text, min_tokens, count)
    chunks: list[Chunk] = []
    for sec in sections:
        sents = [(s, e, count(text[s:e])) for s, e in sentence_spans(text, sec.start, sec.end)]
        i = 0
        while i < len(sents):
            j, size = i, 0
            while j < len(sents) and (j == i or size + sents[j][2] <= max_tokens):
                size += sents[j][2]
                j += 1
            # Avoid a tiny trailing chunk: pull its sentences into this one if they fit loosely.
            rest = sum(t for _, _, t in sents[j:])
            if 0 < rest < min_tokens and size + rest <= max_tokens * 1.25:
                size += rest
                j = len(sents)
            s, e = sents[i][0], sents[j - 1][1]
            chunks.append(Chunk(doc_id, len(chunks), text[s:e], s, e, sec.path, size))
            if j >= len(sents):
                break
            # Next chunk starts with whole sentences from the end of this one, up to the overlap budget.
            # The overlap must leave room for at least the next new sentence, or the chunk would add nothing.
            back, k = 0, j
            while (k - 1 > i and back + sents[k - 1][2] <= overlap_tokens
                   and back + sents[k - 1][2] + sents[j][2] <= max_tokens):
                back += sents[k - 1][2]
                k -= 1
            i = k
    return chunks
