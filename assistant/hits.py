"""What a retrieval hands the answerer: the passages found, with the scores each signal gave them, and what was
read from the question on the way. The evidence strength is on an absolute scale so that one abstain threshold
serves every question, whatever its rivals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.catalogue import DocumentInfo
from assistant.question import Question

# Cosine similarities of the e5 family sit in a narrow band; this maps "unrelated" (~0.72) to 0 and
# "same topic, same wording" (~0.92) to 1, so dense scores are comparable across questions.
DENSE_FLOOR, DENSE_SPAN = 0.72, 0.20


@dataclass
class Hit:
    id: str
    text: str
    metadata: dict[str, Any]
    dense: float = 0.0  # cosine similarity to the question
    lexical: float = 0.0  # BM25
    coverage: float = 0.0  # idf share of question terms present in the passage
    heading: float = 0.0  # idf share of question terms present in the section path
    fused: float = 0.0  # reciprocal-rank fusion
    sentence: float = 0.0  # best cosine similarity of one of its sentences to the question
    sentences: list[tuple[int, int, float]] = field(default_factory=list)  # (start, end, cosine)
    score: float = 0.0  # final rerank score

    @property
    def doc_id(self) -> str:
        return str(self.metadata.get("doc_id", ""))

    @property
    def title(self) -> str:
        return str(self.metadata.get("title", ""))

    @property
    def section(self) -> str:
        return str(self.metadata.get("section", ""))

    def as_dict(self) -> dict[str, Any]:
        return {"chunk_id": self.id, "doc_id": self.doc_id, "title": self.title, "section": self.section,
                "text": self.text.strip(), "score": round(self.score, 4)}


@dataclass
class Retrieval:
    query: str
    terms: tuple[str, ...]
    # The teacher's own words, when ``query`` joins them with the conversation's topic: what kind of answer is
    # wanted, and what is missing, are read from these (乡村教师每年能参加几次 after a question about 学分).
    asked: str = ""
    hits: list[Hit] = field(default_factory=list)
    strength: float = 0.0  # evidence strength of the best hit, compared with the abstain threshold
    question: Question | None = None  # what the (contextualised) query asks for
    documents: list[DocumentInfo] = field(default_factory=list)  # the knowledge base's catalogue
    named: tuple[str, ...] = ()  # ids of the documents the question names (国家的通知, 省里的方案)
    unknown: tuple[str, ...] = ()  # key terms of the question that no passage holds, nor any synonym of them
    # 国家通知里有没有提到送教下乡: the named document never uses these key terms, though others do. Every document
    # is then searched alike, and the answer says first that the named one does not speak of it.
    unsaid: tuple[str, ...] = ()
    unsaid_in: str = ""  # that document's id
    # A programme or policy the question names (“强师计划”, 双减政策) that the knowledge base never mentions: its
    # rules cannot be in any document here.
    alien: tuple[str, ...] = ()
    # 国培补贴每人每天多少钱: ids of the documents about something else than the programme the question names
    # (``catalogue.outside_programme``). Their passages rank below and do not answer beside the programme's own.
    outside: tuple[str, ...] = ()
    # Words of the question no passage uses, read as the known word that sounds the same: (国陪, 国培).
    respelled: tuple[tuple[str, str], ...] = ()
    # Question terms most passages use (教师, 培训 in a knowledge base of teacher-training texts): they place a
    # passage in the knowledge base, not on the question's topic.
    common: tuple[str, ...] = ()
    # The passages that continue a top passage's numbered list in its section (a short chunk holds two of five
    # tasks), by the id of the passage they continue: the rest of the list, though no question term is in it.
    continued: dict[str, list[Hit]] = field(default_factory=dict)


def dense_norm(cos: float) -> float:
    return float(min(1.0, max(0.0, (cos - DENSE_FLOOR) / DENSE_SPAN)))


# A question in a language the corpus is not written in (English against Chinese policy text) gets
# systematically lower cosine similarities from the multilingual model, and no lexical overlap at all.
# This offset puts such questions on the same scale before the abstain threshold is applied; it was
# calibrated on the seed eval set (README, "Abstention").
CROSS_LINGUAL_OFFSET = 0.097


def evidence_strength(hit: Hit, *, cross_lingual: bool = False) -> float:
    """How well the best passage supports an answer, on an absolute 0–1 scale (not relative to rivals)."""
    cos = max(hit.dense, hit.sentence) + (CROSS_LINGUAL_OFFSET if cross_lingual else 0.0)
    return 0.6 * dense_norm(cos) + 0.4 * max(hit.coverage, hit.heading)
