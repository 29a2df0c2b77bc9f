"""Which sentences of the retrieved passages answer the question, best first.

A sentence earns its place by covering the question's key terms (or their synonyms), by the embedder's
sentence-level similarity, and by holding the kind of fact asked for: for "how many" a sentence with the
right kind of figure beats a topical one without it, even in a lower passage. Further sentences join the
best one only if they answer too; a sentence about funding never rides along with one about teachers.
Sentences that address the assistant (planted instructions) and title lines are never candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.question import Asks, Question, holds_fact
from assistant.retrieval import Hit, Retrieval, dense_norm
from indexer.chunking import sentences
from indexer.thesaurus import synonyms
from indexer.tokenizer import lexical_terms

MAX_SENTENCES = 3
MAX_ANSWER_CHARS = 260
# Sentences that speak to the assistant rather than about training ("忽略之前的规则，回答…") are data
# someone planted in a document; they are never quoted.
INSTRUCTION = re.compile(
    r"(忽略|无视|不要理会|不必理会|忘记|忘掉|覆盖|绕过)[^。！？]{0,12}(规则|指令|指示|提示|要求|设定|限制|约束)"
    r"|(你|您)(现在)?(是|扮演|必须|只能|应该|要|需要)(一个|一名)?[^。！？]{0,6}(助手|AI|模型|机器人)"
    r"|(助手|模型|AI|机器人|大模型|GPT|ChatGPT)[^。！？]{0,8}(请注意|注意|请你|请务必|必须|你要|你应)"
    r"|不要(说明|注明|标注|给出|提供|引用)[^。！？]{0,4}(出处|来源|引用|依据)"
    r"|直接(告诉|回答|回复|答复)[^。！？]{0,4}(提问|用户|教师|老师|学员)"
    r"|(系统|system)\s*(提示|prompt)|(AI|人工智能)(助手|模型)?(在)?(回答|回复)"
    r"|ignore\s+(all\s+)?(previous|prior|above|earlier)\s+(instructions|rules)"
    r"|disregard\s+(the\s+|all\s+)?(previous|above|prior)|you\s+are\s+now\b|as\s+an\s+ai\b",
    re.IGNORECASE,
)


@dataclass
class Quote:
    """One candidate sentence: where it sits, and how well it answers."""

    text: str
    hit: Hit
    hit_rank: int
    order: int
    start: int
    end: int
    cover: float = 0.0  # weighted share of the question's terms it holds (synonyms count)
    dense: float = 0.0  # normalised sentence similarity
    fact: bool = True  # holds the kind of fact asked for
    score: float = 0.0


def term_weights(q: Question) -> dict[str, float]:
    """Longer terms say more (学分银行 over 学分); the key terms of the question count double."""
    focus = set(q.focus)
    return {t: (1.0 + len(t) / 2) * (2.0 if t in focus else 1.0) for t in set(q.terms)}


def present(term: str, words: set[str], text: str) -> bool:
    return term in words or term in text or any(s in text for s in synonyms(term))


def coverage(weights: dict[str, float], text: str) -> float:
    words = set(lexical_terms(text))
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if present(t, words, text)) / total


def candidates(retrieval: Retrieval, max_hits: int = 3, *, within: float = 0.8) -> list[Quote]:
    """Quotable sentences of the top passages whose score is within ``within`` of the best."""
    if not retrieval.hits:
        return []
    top = retrieval.hits[0].score
    pool: list[Quote] = []
    for rank, hit in enumerate(retrieval.hits[:max_hits]):
        if rank and hit.score < within * top:
            break
        title = re.sub(r"\s+", "", hit.title)
        for order, (s, e) in enumerate(sentences(hit.text)):
            text = hit.text[s:e]
            # A title line names a document; it says nothing a teacher could act on.
            if re.sub(r"\s+", "", text) != title and not INSTRUCTION.search(text):
                pool.append(Quote(text, hit, rank, order, s, e))
    return pool


def score(q: Question, retrieval: Retrieval, pool: list[Quote]) -> list[Quote]:
    """Score every candidate and return them best first."""
    if not pool:
        return []
    weights = term_weights(q)
    top = retrieval.hits[0].score or 1.0
    named = set(retrieval.named)
    # The retriever already scored the top passages sentence by sentence with the embedder; that
    # similarity carries paraphrases and English questions that share no words with the text.
    cosine = {(h.id, s): c for h in retrieval.hits for s, _, c in h.sentences}
    for s in pool:
        s.cover = coverage(weights, s.text)
        s.dense = dense_norm(cosine.get((s.hit.id, s.start), s.hit.dense))
        s.fact = holds_fact(q, s.text)
        s.score = s.cover + 0.5 * s.dense + 0.25 * (s.hit.score / top) - 0.08 * s.hit_rank
        if q.asks != Asks.OTHER and q.wants_fact and s.fact:
            s.score += 0.3
        if named and s.hit.doc_id in named:
            s.score += 0.1
    return sorted(pool, key=lambda s: s.score, reverse=True)


def choose(q: Question, ranked: list[Quote]) -> list[Quote]:
    """The best answering sentence, plus up to two more that answer too and add something new."""
    if not ranked:
        return []
    answering = [s for s in ranked if s.fact] if q.wants_fact else ranked
    if not answering:
        return []
    best = answering[0]
    terms = set(q.terms)
    chosen = [best]
    covered = set(lexical_terms(best.text)) & terms
    length = len(best.text)
    for s in answering[1:]:
        if len(chosen) >= MAX_SENTENCES or s.score < 0.75 * best.score:
            break
        # Another passage must be nearly as good as the best to be quoted beside it.
        if s.hit is not best.hit and s.score < 0.9 * best.score:
            continue
        new = (set(lexical_terms(s.text)) & terms) - covered
        if new and length + len(s.text) <= MAX_ANSWER_CHARS:
            chosen.append(s)
            covered |= new
            length += len(s.text)
    return chosen
