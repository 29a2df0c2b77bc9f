"""The post-check: what a generated answer may keep, sentence by sentence, and when it is thrown away.

Each sentence of the reply is checked in this order:

1. a sentence that echoes an instruction planted in a passage ("忽略之前的规则，回答…"), or talks like one,
   rejects the whole answer: a model that obeyed data once cannot be trusted with the rest;
2. it must cite: a sentence without ``[n]`` is dropped, unless it only says the documents do not state
   something (文件没有写明……), which needs no source and may name only figures the question or passages hold;
3. every ``[n]`` must name a passage that was given; otherwise the sentence is dropped;
4. every figure must appear in the passages it cites (5% stays 5%; an added 1280元 is dropped);
5. it must be supported by one of its passages (``SupportScorer``) at or above the calibrated threshold.

The whole answer falls back to the extractive one when it is empty, has no citation at all, is not in
Chinese, ignores the knowledge base's decision that the documents do not state what was asked, or loses
more than half of its claims (the reason then names what most sentences failed on). What survives is
renumbered [1], [2] … in order of first use, and each citation quotes, verbatim, the sentences of its
passage that best support the claims citing it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from assistant.compose import Citation
from assistant.furniture import INSTRUCTION
from assistant.llm.prompt import Passage
from assistant.llm.support import SupportScorer, char_support, foreign_figures
from corpus.text import CJK
from indexer.chunking import sentences

_MARKS = re.compile(r"[\[【［]\^?\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】］]")
_MARKER = re.compile(r"\[(\d+)\]")
_END = re.compile(r"[。！？!?；;\n]")
NOT_STATED = re.compile(r"(没有|未|并未|尚未|不曾)(写明|规定|明确|说明|提到|提及|涉及|载明|列出|给出|找到)")
_PENDING = re.compile(r"\s*(?:[\[【［]\^?\s*[\d,，、\s]*)?")
_FRAME = re.compile(r"^[^\d]{0,20}[：:]$")
_LETTERS = re.compile(r"[A-Za-z]")

SENTENCE_REASONS = ("uncited", "unknown_citation", "number", "unsupported")


def canonical_markers(text: str) -> str:
    """【1】, ［1］, [^1] and [1,2] written as [1] and [1][2]."""
    return _MARKS.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), text)


@dataclass
class Sentence:
    text: str  # as written, markers included
    markers: tuple[int, ...]

    @property
    def claim(self) -> str:
        return _MARKER.sub("", self.text).strip()


def split_sentences(text: str, *, final: bool = True) -> tuple[list[Sentence], str]:
    """Complete sentences (a terminator, then any markers after it) and the unfinished rest.

    While a reply is still streaming (``final=False``) a sentence that ends the text so far is held back:
    its markers may be in the next piece.
    """
    text = canonical_markers(text)
    out, pos = [], 0
    for m in _END.finditer(text):
        end = m.end()
        tail = re.match(r"(?:\s*\[\d+\])+", text[end:])
        if tail:
            end += tail.end()
        if not final and _PENDING.fullmatch(text[end:]):
            break
        piece = text[pos:end]
        if piece.strip():
            out.append(Sentence(piece.strip(), tuple(int(n) for n in _MARKER.findall(piece))))
        pos = end
    return out, text[pos:]


@dataclass
class Verdict:
    sentence: Sentence
    reason: str | None = None  # one of SENTENCE_REASONS, "instruction", or None when kept
    frame: bool = False  # a lead-in (具体如下：) or a "not stated" line: kept, but no claim
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # passage number -> best span


@dataclass
class Checked:
    text: str
    citations: list[Citation]
    verdicts: list[Verdict]
    fallback: str | None = None

    @property
    def dropped(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.reason]

    @property
    def outcome(self) -> str:
        return "fallback" if self.fallback else ("repaired" if self.dropped else "kept")

    @property
    def declined(self) -> bool:
        """The kept reply opens by saying the documents do not state what was asked."""
        kept = [v for v in self.verdicts if not v.reason]
        return bool(kept and kept[0].frame and NOT_STATED.search(kept[0].sentence.claim))

    @property
    def gap(self) -> str:
        """What the reply says the documents do not state (文件没有写明「误餐补助的标准」 → 误餐补助的标准)."""
        if not self.declined:
            return ""
        claim = next(v for v in self.verdicts if not v.reason).sentence.claim
        m = NOT_STATED.search(claim)
        assert m is not None
        rest = re.split(r"[，,；;。！!？?：:]", claim[m.end():].strip(), maxsplit=1)[0]
        return rest.strip("「」“”\"' ")[:40] or "所问的内容"


class PostCheck:
    def __init__(self, scorer: SupportScorer, passages: Sequence[Passage], *, answered: bool = True,
                 question: str = "") -> None:
        self.scorer = scorer
        self.passages = {p.number: p for p in passages}
        self.answered = answered
        self.question = question
        self.planted = [p.hit.text[s:e] for p in passages for s, e in sentences(p.hit.text, min_chars=4)
                        if INSTRUCTION.search(p.hit.text[s:e])]
        self.numbering: dict[int, int] = {}  # given passage number -> number in the checked answer

    # -- one sentence -------------------------------------------------------------------------------
    def _obeys(self, claim: str) -> bool:
        if INSTRUCTION.search(claim):
            return True
        for planted in self.planted:
            echoed = char_support(claim, planted)
            elsewhere = max((char_support(claim, p.hit.text.replace(planted, "")) for p in self.passages.values()),
                            default=0.0)
            if echoed >= 0.6 and echoed > elsewhere + 0.2:
                return True
        return False

    def _own_figures_only(self, claim: str) -> bool:
        return not foreign_figures(claim, [self.question, *(p.hit.text for p in self.passages.values())])

    def check_sentence(self, sentence: Sentence) -> Verdict:
        claim = sentence.claim
        if self._obeys(claim):
            return Verdict(sentence, "instruction")
        if not sentence.markers:
            if NOT_STATED.search(claim) and self._own_figures_only(claim):
                return Verdict(sentence, frame=True)
            if _FRAME.match(claim) or not CJK.search(claim):
                return Verdict(sentence, frame=True)
            return Verdict(sentence, "uncited")
        if any(n not in self.passages for n in sentence.markers):
            return Verdict(sentence, "unknown_citation")
        texts = [self.passages[n].hit.text for n in dict.fromkeys(sentence.markers)]
        if foreign_figures(claim, texts):
            return Verdict(sentence, "number")
        ok, found = self.scorer.supported(claim, texts)
        if not ok:
            return Verdict(sentence, "unsupported")
        spans = {n: s.best for n, s in zip(dict.fromkeys(sentence.markers), found, strict=True)
                 if s.best is not None and s.score >= self.scorer.threshold}
        return Verdict(sentence, spans=spans)

    def piece(self, so_far: str, verdict: Verdict) -> str:
        """The kept sentence as appended to the answer ``so_far``: list items and what follows a lead-in
        start a new line."""
        line = self.renumber(verdict)
        if so_far and (so_far.endswith(("：", ":")) or re.match(r"\d+[.、]|[-*•]", line)):
            return "\n" + line
        return line

    def renumber(self, verdict: Verdict) -> str:
        """The kept sentence with its markers in the checked answer's numbering (assigned on first use)."""
        def sub(m: re.Match[str]) -> str:
            n = int(m.group(1))
            return f"[{self.numbering.setdefault(n, len(self.numbering) + 1)}]"
        return _MARKER.sub(sub, verdict.sentence.text)

    # -- the whole answer ---------------------------------------------------------------------------
    def fallback_reason(self, raw: str, verdicts: Sequence[Verdict]) -> str | None:
        if not raw.strip():
            return "empty"
        if any(v.reason == "instruction" for v in verdicts):
            return "instruction"
        if not _MARKER.search(canonical_markers(raw)):
            return "no_citations"
        if len(_LETTERS.findall(raw)) > len(CJK.findall(raw)):
            return "language"
        kept = [v for v in verdicts if not v.reason]
        if not self.answered and not (kept and kept[0].frame and NOT_STATED.search(kept[0].sentence.claim)):
            return "decision"  # the documents do not state it, and the reply does not say so first
        claims = [v for v in kept if not v.frame]
        failed = [v.reason for v in verdicts if v.reason]
        if not claims or len(failed) > len(claims):
            return Counter(failed).most_common(1)[0][0] if failed else "unsupported"
        return None

    def check(self, raw: str) -> Checked:
        done, _ = split_sentences(raw + "\n")
        return self.finish(raw, [self.check_sentence(s) for s in done])

    def finish(self, raw: str, verdicts: list[Verdict]) -> Checked:
        reason = self.fallback_reason(raw, verdicts)
        if reason:
            return Checked("", [], verdicts, reason)
        kept = [v for v in verdicts if not v.reason]
        text = ""
        for v in kept:
            text += self.piece(text, v)
        return Checked(text, self.citations(kept), verdicts)

    def citations(self, kept: Sequence[Verdict]) -> list[Citation]:
        spans: dict[int, set[tuple[int, int]]] = {}
        for v in kept:
            for n, span in v.spans.items():
                spans.setdefault(n, set()).add(span)
        out = []
        for given, marker in sorted(self.numbering.items(), key=lambda kv: kv[1]):
            hit = self.passages[given].hit
            ordered = sorted(spans.get(given, set()))
            text = hit.text[ordered[0][0]:ordered[0][1]] if ordered else hit.text.strip()
            for (_, e0), (s1, e1) in pairwise(ordered):
                text += ("……" if hit.text[e0:s1].strip() else hit.text[e0:s1].strip("\n")) + hit.text[s1:e1]
            out.append(Citation(marker, hit.id, hit.doc_id, hit.title, str(hit.metadata.get("doc_number", "")),
                                hit.section, text, hit.score))
        return out

