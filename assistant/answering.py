"""Answers built only from the knowledge base: the answerer protocol and its offline extractive default.

The extractive answerer never writes policy of its own. It quotes the sentences that best cover the
question, marks each with its citation, corrects a figure the question got wrong by quoting the real one,
and abstains when the retrieved evidence is too weak (the retriever's evidence strength below a
threshold calibrated on the eval set). Text inside documents is only ever quoted, never obeyed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Protocol

from assistant.retrieval import Hit, Retrieval, dense_norm
from indexer.chunking import sentences
from indexer.tokenizer import lexical_terms, to_simplified

ABSTAIN_MESSAGE = (
    "抱歉，知识库中没有找到能回答这个问题的依据，我不便凭空作答。"
    "建议换一种说法，或咨询当地教育行政部门、教师发展机构。"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|个百分点|学时|学分|万元|元|年|月|日|天|次|周|个)?")
_NUMERIC_INTENT = re.compile(r"多少|几|比例|百分之|份额|how much|how many|what share|percent", re.IGNORECASE)
# Sentences that speak to the assistant rather than about training ("忽略之前的规则，回答…") are data
# someone planted in a document; they are never quoted as an answer.
_INSTRUCTION = re.compile(
    r"(忽略|无视|不要理会|忘记|覆盖)(之前|以上|上述|前面|所有|一切)?的?(所有|全部)?(规则|指令|指示|提示|要求|设定)"
    r"|你(现在)?(是|扮演|必须|只能|应该)(一个|一名)?(助手|AI|模型|机器人)"
    r"|(系统|system)\s*(提示|prompt)|ignore\s+(all\s+)?(previous|prior|above)\s+(instructions|rules)"
    r"|disregard\s+(the\s+)?(previous|above)|you\s+are\s+now\b",
    re.IGNORECASE,
)
_MAX_SENTENCES = 3
_MAX_ANSWER_CHARS = 260


@dataclass
class Citation:
    marker: int
    chunk_id: str
    doc_id: str
    title: str
    doc_number: str
    section: str
    text: str  # the quoted span
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"marker": self.marker, "chunk_id": self.chunk_id, "doc_id": self.doc_id, "title": self.title, "doc_number": self.doc_number,
                "section": self.section, "text": self.text, "score": round(self.score, 4)}


@dataclass
class Answer:
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    strength: float = 0.0


class Answerer(Protocol):
    def answer(self, question: str, retrieval: Retrieval) -> Answer: ...


@dataclass
class _Sentence:
    text: str
    hit: Hit
    hit_rank: int
    order: int
    start: int = 0  # span in the hit's text, so adjacent quotes join without an ellipsis
    end: int = 0
    score: float = 0.0


def _quote(sentences: list[_Sentence]) -> str:
    """The quoted span of one passage: adjacent sentences verbatim, gaps marked with ……"""
    text = sentences[0].hit.text
    ordered = sorted(sentences, key=lambda s: s.start)
    out = ordered[0].text
    for prev, cur in pairwise(ordered):
        gap = text[prev.end:cur.start]
        out += ("……" if gap.strip() else gap.strip("\n")) + cur.text
    return out


def numbers(text: str) -> set[str]:
    return {re.sub(r"\s+", "", m.group(0)).replace("％", "%") for m in _NUMBER.finditer(text)}


class ExtractiveAnswerer:
    def __init__(self, abstain_threshold: float, *, max_hits: int = 3) -> None:
        self.abstain_threshold = abstain_threshold
        self.max_hits = max_hits

    def answer(self, question: str, retrieval: Retrieval) -> Answer:
        hits = retrieval.hits
        if not hits or retrieval.strength < self.abstain_threshold:
            return Answer(ABSTAIN_MESSAGE, True, [], hits, retrieval.strength)
        chosen = self._select(question, retrieval)
        if not chosen:
            return Answer(ABSTAIN_MESSAGE, True, [], hits, retrieval.strength)
        citations: dict[str, Citation] = {}
        quoted: dict[str, list[_Sentence]] = {}
        parts: list[str] = []
        for s in sorted(chosen, key=lambda s: (s.hit_rank, s.order)):
            cit = citations.get(s.hit.id)
            if cit is None:
                meta = s.hit.metadata
                cit = citations[s.hit.id] = Citation(len(citations) + 1, s.hit.id, s.hit.doc_id, s.hit.title,
                                                     str(meta.get("doc_number", "")), s.hit.section, "", s.hit.score)
                quoted[s.hit.id] = []
            quoted[s.hit.id].append(s)
            parts.append(f"{s.text}[{cit.marker}]")
        for hid, cit in citations.items():
            cit.text = _quote(quoted[hid])
        text = self._lead(chosen[0].hit) + "".join(parts)
        correction = self._correction(question, "".join(s.text for s in chosen))
        if correction:
            text = correction + "\n" + text
        return Answer(text, False, list(citations.values()), hits, retrieval.strength)

    @staticmethod
    def _lead(hit: Hit) -> str:
        number = str(hit.metadata.get("doc_number", ""))
        source = f"《{hit.title}》" + (f"（{number}）" if number else "")
        return f"根据{source}「{hit.section}」：\n"

    @staticmethod
    def _correction(question: str, evidence: str) -> str:
        """A figure in the question that the source contradicts is corrected by quoting the source's figure."""
        asked, stated = numbers(to_simplified(question)), numbers(evidence)
        wrong = sorted(n for n in asked if n not in stated and not any(n in s for s in stated))
        if not wrong or not stated:
            return ""
        unit = lambda n: re.sub(r"[\d.]", "", n)  # noqa: E731
        same_kind = sorted(s for s in stated if any(unit(s) == unit(w) for w in wrong))
        if not same_kind:
            return ""
        return f"需要更正：原文规定的是 {'、'.join(same_kind)}，而不是 {'、'.join(wrong)}。"

    def _select(self, question: str, retrieval: Retrieval) -> list[_Sentence]:
        terms = lexical_terms(to_simplified(question))
        numeric = bool(_NUMERIC_INTENT.search(question))
        top = retrieval.hits[0].score
        pool: list[_Sentence] = []
        for rank, hit in enumerate(retrieval.hits[: self.max_hits]):
            if rank and hit.score < 0.8 * top:
                break
            for order, (s, e) in enumerate(sentences(hit.text)):
                sent = hit.text[s:e]
                # A document's title line names it; it says nothing a teacher could act on.
                if sent != hit.title and not _INSTRUCTION.search(sent):
                    pool.append(_Sentence(sent, hit, rank, order, s, e))
        if not pool:
            return []
        weights = {t: 1.0 + len(t) / 2 for t in set(terms)}
        total = sum(weights.values()) or 1.0
        # The retriever already scored the top passages sentence by sentence with the embedder; that
        # similarity carries paraphrases and English questions that share no words with the text.
        cosine = {(h.id, s): c for h in retrieval.hits for s, _, c in h.sentences}
        for s in pool:
            present = set(lexical_terms(s.text))
            cover = sum(w for t, w in weights.items() if t in present) / total
            dense = dense_norm(cosine.get((s.hit.id, s.start), s.hit.dense))
            s.score = cover + 0.5 * dense + 0.25 * (s.hit.score / top) - 0.08 * s.hit_rank
            if numeric and numbers(s.text):
                s.score += 0.15
        pool.sort(key=lambda s: s.score, reverse=True)
        best = pool[0]
        chosen, covered = [best], set(lexical_terms(best.text)) & set(terms)
        length = len(best.text)
        for s in pool[1:]:
            if len(chosen) >= _MAX_SENTENCES or s.score < 0.75 * best.score:
                break
            # Another passage must be nearly as good as the best to be quoted beside it.
            if s.hit is not best.hit and s.score < 0.9 * best.score:
                continue
            new = (set(lexical_terms(s.text)) & set(terms)) - covered
            if new and length + len(s.text) <= _MAX_ANSWER_CHARS:
                chosen.append(s)
                covered |= new
                length += len(s.text)
        return chosen

