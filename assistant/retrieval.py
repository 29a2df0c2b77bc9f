"""Hybrid retrieval: dense (Chroma) + BM25 (jieba terms), fused by reciprocal rank, then reranked.

Each signal covers the other's blind spot: the multilingual embedder understands paraphrases and English
questions, BM25 catches exact terms and figures. The rerank adds two cues a teacher's question gives away:
how much of the question a passage actually speaks to (idf-weighted term coverage) and whether the
question names the section's own heading. The same signals give an evidence strength the answerer uses to
abstain instead of guessing. An English question shares no words with the text; its words are rendered as
the Chinese words the knowledge base uses (``assistant.question.bridged``), and BM25 and coverage use those.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from assistant.asked_facts import holds_fact
from assistant.catalogue import (
    DocumentInfo,
    levels_as_written,
    named_documents,
    names_a_document,
    outside_programme,
    programme_named,
    subject_terms,
)
from assistant.lexical import SYNONYM_CREDIT
from assistant.listing import listed_noun, lists_kinds
from assistant.passage_index import PassageIndex, chunk_doc_id
from assistant.question import Question, analyse, asking_as, bridged, named_things, states_eligibility
from assistant.spelling import respell
from assistant.wording import plain_wording
from corpus.text import CJK
from indexer.chunking import question_heading, sentences
from indexer.store import ChunkStore, StoredChunk
from indexer.structure import PATH_SEPARATOR, heading_name
from indexer.thesaurus import synonyms
from indexer.tokenizer import lexical_terms, to_simplified

# Cosine similarities of the e5 family sit in a narrow band; this maps "unrelated" (~0.72) to 0 and
# "same topic, same wording" (~0.92) to 1, so dense scores are comparable across questions.
DENSE_FLOOR, DENSE_SPAN = 0.72, 0.20
STALE_CHECK_SECONDS = 1.0
# An FAQ heading is a short question, worded like the teacher's: its similarity runs a little higher than a
# sentence's that answers as well, so it speaks for its passage at this discount (chosen on the dev split).
HEADING_DISCOUNT = 0.01
UNSAID_SHARE = 0.5  # of the question's key-term weight a named document never uses: it does not speak of it


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


COMMON_SHARE = 0.5
CONTINUED_TOP = 3  # the passages whose list may run on into the next ones

# The last line of a passage is a numbered item (1. …, （二）…, (3)…) or opens a list (…完成以下任务：).
_LIST_LINE = re.compile(r"^\s*(?:（[一二三四五六七八九十\d]+）|\(\d+\)|\d+[.．、](?!\d))|[：:]\s*$")


def _continued(hits: list[Hit], lex: PassageIndex) -> dict[str, list[Hit]]:
    out: dict[str, list[Hit]] = {}
    for h in hits:
        lines = [ln for ln in h.text.splitlines() if ln.strip()]
        if lines and _LIST_LINE.search(lines[-1]):
            after = [Hit(c.id, c.text, dict(c.metadata)) for c in lex.section_after(h.id)]
            if after:
                out[h.id] = after
    return out


@dataclass(frozen=True)
class RerankWeights:
    """Fitted by ``python -m evals.tune`` on the dev split of the eval sets (recall@1, MRR tie-break)."""

    dense: float = 0.4
    lexical: float = 0.1
    coverage: float = 0.3
    heading: float = 0.0
    fused: float = 0.0
    sentence: float = 0.9
    scope: float = 0.3  # bonus for a passage of a document the question names
    fact: float = 0.1  # bonus for a passage holding the kind of fact asked for (a figure, a date)
    sentence_top_n: int = 8  # candidates whose sentences are scored one by one


def dense_norm(cos: float) -> float:
    return float(min(1.0, max(0.0, (cos - DENSE_FLOOR) / DENSE_SPAN)))


# A question in a language the corpus is not written in (English against Chinese policy text) gets
# systematically lower cosine similarities from the multilingual model, and no lexical overlap at all.
# This offset puts such questions on the same scale before the abstain threshold is applied; it was
# calibrated on the seed eval set (README, "Abstention").
CROSS_LINGUAL_OFFSET = 0.097
_CJK = CJK


def evidence_strength(hit: Hit, *, cross_lingual: bool = False) -> float:
    """How well the best passage supports an answer, on an absolute 0–1 scale (not relative to rivals)."""
    cos = max(hit.dense, hit.sentence) + (CROSS_LINGUAL_OFFSET if cross_lingual else 0.0)
    return 0.6 * dense_norm(cos) + 0.4 * max(hit.coverage, hit.heading)


class Visibility(Protocol):
    """Which stored chunks may be searched: the store can hold chunks of a version still being written (or
    cut off by a crash); the owner of the versions (the core's resource records) says which one is live."""

    def visible(self, chunk_id: str) -> bool: ...

    def reload(self) -> None: ...

    def generation(self) -> object: ...


# 够不够, 能不能: a yes/no asked by repeating a word around 不.
_A_NOT_A = re.compile(r"(.{1,2})不\1")


def _said(terms: tuple[str, ...]) -> tuple[str, ...]:
    """The terms without the pieces of an A-not-A question (不够 in 占比够不够): it asks whether, and no passage
    should be found by the synonyms of the shortfall it does not state (不足, 未达标)."""
    asked = [t for t in terms if _A_NOT_A.fullmatch(t)]
    return tuple(t for t in terms if not any(t != a and t in a for a in asked)) if asked else terms


def _alien(name: str, lex: PassageIndex) -> bool:
    """No passage and no title uses the name, and it has a word of two or more characters no passage uses."""
    if any(name in d.title for d in lex.catalogue):
        return False
    words = [t for t in lexical_terms(name) if len(t) >= 2]
    if words:
        return any(not lex.knows(t) for t in words)
    # Written in one-character words (双减): read the passages themselves.
    return not any(name in chunk.text for chunk in lex.chunks)


HEADING_QUOTED_MIN = 4  # characters of a heading's name the question must repeat verbatim


def _names_section(text: str, hit: Hit, named: tuple[str, ...]) -> bool:
    """The question repeats the name of one of the passage's headings (指导思想, 学分银行, or a whole heading
    copied); not when it names another document than the passage's: 国家说匿名评价… asks the notice, whatever
    the FAQ's 七、匿名评价 covers."""
    if named and hit.doc_id not in named:
        return False
    return any(len(name := heading_name(part)) >= HEADING_QUOTED_MIN and name in text
               for part in hit.section.split(PATH_SEPARATOR))


def topic_terms(terms: tuple[str, ...], named: tuple[str, ...], catalogue: list[DocumentInfo]) -> tuple[str, ...]:
    """A question comparing documents of different levels (国家通知和省方案里经费怎么说) is about 经费: the words
    naming the documents say where to look, and ranking by them finds the plan's passages that say 方案 or 省.
    Naming one document (省方案里的经费) keeps them: 省 is then often also what the answer is about (省级职责)."""
    if len({d.level for d in catalogue if d.doc_id in named}) < 2:
        return terms
    return tuple(t for t in terms if not names_a_document(t)) or terms


def _named_by_own_term(focus: tuple[str, ...], lex: PassageIndex) -> tuple[str, ...]:
    """A key term that one document alone uses, and in its title, names that document: 访名校项目的经费比例 asks
    the 访名校 rules, not the workshop budget that happens to state a share."""
    if len(lex.catalogue) < 2:
        return ()
    for term in focus:
        # In some title first: a word no title holds names nothing, whoever uses it (and this runs for every
        # question, while reading which documents use a word goes through all their passages).
        if len(term) < 2 or not any(term in d.title for d in lex.catalogue):
            continue
        users = [d for d in lex.catalogue if lex.document_uses(d.doc_id, term)]
        if len(users) == 1 and term in users[0].title:
            return (users[0].doc_id,)
    return ()


def _unsaid(question: Question, named: tuple[str, ...], lex: PassageIndex) -> tuple[str, ...]:
    """Key terms of a question asking whether one named document says something, that the knowledge base uses
    but that document never does (nor a synonym), when they carry most of the question: it does not speak of them."""
    if len(named) != 1 or not question.asks_if_said:
        return ()
    key = [t for t in question.focus if len(t) >= 2 and not names_a_document(t) and lex.knows(t)]
    unsaid = [t for t in key if not lex.document_uses(named[0], t)]
    # Most of what the question is about, by weight: one word the document puts otherwise (打分 for 评估) is not
    # its silence on the subject.
    weights = lex.bm25.weights(key)
    if sum(weights[t] for t in unsaid) < UNSAID_SHARE * sum(weights.values()):
        return ()
    return tuple(unsaid)


def answer_kinds(question: Question, hit: Hit, listed: str) -> int:
    """How many of the kinds of answer the question wants the passage holds: the fact asked for (a figure, a
    date), kinds of the thing a list question names (``listed``: 项目 → 示范项目, 骨干项目), whom a training is
    for when the question asks who may take part."""
    return (int(question.wants_fact and holds_fact(question, hit.text))
            + int(bool(listed) and (lists_kinds(listed, hit.text) or _headed_list(listed, hit)))
            + int(question.asks_eligibility and states_eligibility(f"{hit.section}\n{hit.text}")))


def _headed_list(noun: str, hit: Hit) -> bool:
    """目标有几条 asked of a section headed 课程目标 whose passage is a numbered list: its items are the 目标."""
    heading = heading_name(hit.section.split(PATH_SEPARATOR)[-1])
    items = sum(1 for line in hit.text.splitlines() if _LIST_LINE.match(line) and not line.rstrip().endswith(("：", ":")))
    return heading.endswith((noun, *synonyms(noun))) and items >= 2


def _best_of(ranked: list[Hit], doc: str) -> Hit | None:
    return next((h for h in ranked if h.doc_id == doc), None)


def _each_named(ranked: list[Hit], k: int, named: tuple[str, ...]) -> list[Hit]:
    """The top ``k``, with room for each document a comparison names (省方案和国家通知在学分上有啥不一样): its best
    passage takes the place of the last one from a document that has more than one."""
    top = ranked[:k]
    if len(named) < 2:
        return top
    for doc in named:
        if any(h.doc_id == doc for h in top):
            continue
        own = _best_of(ranked[k:], doc)
        counts = {d: sum(h.doc_id == d for h in top) for d in {h.doc_id for h in top}}
        spare = next((i for i in range(len(top) - 1, 0, -1) if counts[top[i].doc_id] > 1), None)
        if own is None or spare is None:
            continue
        top = [*top[:spare], *top[spare + 1:], own]
    return top


def _query_terms(terms: tuple[str, ...], renderings: dict[str, tuple[str, ...]]
                 ) -> tuple[tuple[str, ...], dict[str, float] | None]:
    """BM25 query terms: the question's own, plus the synonyms the knowledge base uses (or the other
    renderings of an English word) at a synonym's weight, each split into the terms the index holds."""
    if not renderings:
        return terms, None
    own = tuple(dict.fromkeys(t for term in terms for t in (lexical_terms(term) or (term,))))
    boost = {t: SYNONYM_CREDIT for alts in renderings.values() for a in alts for t in (lexical_terms(a) or (a,))
             if t not in own}
    return own + tuple(boost), boost


class HybridRetriever:
    def __init__(self, store: ChunkStore, *, candidate_k: int = 30, rrf_k: int = 60,
                 weights: RerankWeights | None = None, visibility: Visibility | None = None) -> None:
        self.store = store
        self.candidate_k = candidate_k
        self.rrf_k = rrf_k
        self.weights = weights or RerankWeights()
        self.visibility = visibility
        self._lex: PassageIndex | None = None
        self._lex_count = -1
        self._lex_generation: object = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._writing: dict[str, int] = {}  # doc ids this process is writing right now

    def _visible(self, chunk_id: str) -> bool:
        return self.visibility is None or self.visibility.visible(chunk_id)

    def _generation(self) -> object:
        return self.visibility.generation() if self.visibility is not None else None

    def refresh(self, *, only_if_stale: bool = False) -> None:
        """Rebuild the lexical index from the whole store: at start, and when another process wrote."""
        with self._lock:
            if only_if_stale and self._lex is not None and not self._stale():
                return  # a write of our own brought it up to date while this thread waited for the lock
            if self.store.changed_elsewhere():
                self.store.reopen()
            if self.visibility is not None:
                self.visibility.reload()
            chunks = [c for c in self.store.all_chunks() if self._visible(c.id)]
            self._lex = PassageIndex(chunks)
            self._lex_count = self.store.count()
            self._lex_generation = self._generation()

    def update_document(self, doc_id: str, commit: Callable[[], None] | None = None) -> None:
        """Bring one document up to date in the lexical index (added, replaced or deleted): work in
        proportion to that document, not to the knowledge base. ``commit`` (switching the live version) runs
        under the same lock, so no question sees the switch before the index has it."""
        with self._lock:
            if commit is not None:
                commit()
            if self._lex is None:
                return  # built from the whole store on first use anyway
            chunks = [c for c in self.store.document_chunks(doc_id) if self._visible(c.id)]
            self._lex = self._lex.with_document(doc_id, chunks)
            if self._lex.bm25.dead > max(10_000, self._lex.bm25.n):
                self._lex = PassageIndex([c for c in self._lex.chunks if c.id in self._lex.position])
            self._lex_count = self.store.count()
            self._lex_generation = self._generation()

    @contextmanager
    def writing(self, doc_id: str) -> Iterator[None]:
        """Marks a write in progress here: its half-written chunks must not look like another process's
        finished work and trigger a rebuild that would make them searchable."""
        with self._lock:
            self._writing[doc_id] = self._writing.get(doc_id, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._writing[doc_id] -= 1
                if not self._writing[doc_id]:
                    del self._writing[doc_id]

    def _stale(self) -> bool:
        if self._generation() != self._lex_generation or self.store.changed_elsewhere():
            return True
        return not self._writing and self.store.count() != self._lex_count

    def _unknown(self, chunk_id: str) -> bool:
        """A dense hit the lexical index lacks that is finished, visible work (so worth a rebuild)."""
        return (chunk_doc_id(chunk_id) not in self._writing and self._visible(chunk_id))

    def _lexical(self) -> PassageIndex:
        """Our own writes update the index explicitly; another process's are noticed within a second."""
        now = time.monotonic()
        if self._lex is None or (now - self._checked > STALE_CHECK_SECONDS and self._stale()):
            self.refresh(only_if_stale=True)
        self._checked = now
        assert self._lex is not None
        return self._lex

    def documents(self) -> list[DocumentInfo]:
        """The documents in the knowledge base, each with its head chunk."""
        return list(self._lexical().catalogue)

    def chunks(self) -> list[StoredChunk]:
        """Every searchable chunk (the in-memory copy: no store round trip, nothing uncommitted)."""
        lex = self._lexical()
        return [c for c in lex.chunks if lex.position.get(c.id) is not None]

    def chunk_texts(self, ids: list[str]) -> dict[str, str]:
        lex = self._lexical()
        return {i: lex.chunks[lex.position[i]].text for i in ids if i in lex.position}

    def retrieve(self, query: str, k: int = 5, where: dict[str, Any] | None = None, asked: str = "") -> Retrieval:
        """``asked`` is the teacher's own text when ``query`` joins it with the conversation's topic: what kind of
        answer is wanted is read from it (乡村教师每年能参加几次 asks a count, though 学分 came before)."""
        lex = self._lexical()
        simplified = levels_as_written(plain_wording(to_simplified(query)), lex.catalogue)
        # 国陪计划: a word no passage uses, typed for one that sounds the same (国培), is read as that word.
        simplified, respelled = respell(simplified, lexical_terms(simplified), lex.knows, lambda: lex.sounds)
        if asked and respelled:
            asked = respell(asked, [typed for typed, _ in respelled], lex.knows, lambda: lex.sounds)[0]
        terms = lexical_terms(simplified)
        # An English question is looked up by the Chinese words the knowledge base uses for its words.
        question = bridged(analyse(simplified), lex.frequency)
        if asked:
            question = asking_as(question, analyse(levels_as_written(asked, lex.catalogue)))
        if question.cross_lingual:
            terms = question.terms
        named = tuple(named_documents(simplified, lex.catalogue)) or _named_by_own_term(question.focus, lex)
        terms = topic_terms(terms, named, lex.catalogue)
        unsaid = _unsaid(question, named, lex)
        unsaid_in = named[0] if unsaid else ""
        if unsaid:
            named = ()  # the named document is silent on it: every document is ranked alike
        # Asked whether they may take part, who the teacher says they are is no term a document must name.
        told = question.circumstance
        result = Retrieval(query=query, terms=terms, asked=asked, question=question, respelled=respelled, documents=list(lex.catalogue), named=named,
                           unsaid=unsaid, unsaid_in=unsaid_in, unknown=tuple(t for t in question.focus if not lex.knows(t) and t not in told),
                           alien=tuple(n for n in named_things(question.text, question.tagged) if _alien(n, lex)),
                           outside=tuple(d for d in outside_programme(programme_named(question.focus, lex.catalogue),
                                                                      lex.catalogue) if d not in named),
                           common=tuple(t for t in dict.fromkeys((*terms, *question.focus))
                                        if lex.bm25.n and lex.bm25.frequency(t) >= COMMON_SHARE * lex.bm25.n))
        if not lex.chunks:
            return result
        qvec = np.asarray(self.store.embedder.embed_query(simplified), dtype=np.float32)
        # Texts and metadata come from the in-memory copy the lexical index holds, so the vector query
        # transfers ids and distances only; a chunk newer than that copy triggers a refresh.
        dense = self.store.query_vector(qvec.tolist(), self.candidate_k, where=where, content=False)
        if any(sc.id not in lex.position and self._unknown(sc.id) for sc in dense):
            self.refresh()
            lex = self._lexical()
        alternatives = {**lex.alternatives(_said(terms)), **question.alternatives()}
        # A teacher's word (老师, 路费) finds the passage that uses the document's word (教师, 交通费) too.
        lexical_query, boost = _query_terms(terms, alternatives)
        # The name a document gives its whole subject (国培计划) says nothing of which passage answers: repeated in
        # the passages that restate the programme, it outranked the one that lists its projects. Coverage still
        # counts it (as said in every passage of a document about it, see ``_rerank``).
        subject = subject_terms(lexical_query, lex.catalogue)
        lexical_query = tuple(t for t in lexical_query if t not in subject) or lexical_query
        lexical = lex.bm25.top(lexical_query, self.candidate_k, lex.mask(where), boost)

        hits: dict[str, Hit] = {}
        for rank, sc in enumerate(dense):
            if sc.id not in lex.position:
                continue
            chunk = lex.chunks[lex.position[sc.id]]
            hit = hits.setdefault(sc.id, Hit(sc.id, chunk.text, dict(chunk.metadata)))
            hit.dense = float(sc.score or 0.0)
            hit.fused += 1.0 / (self.rrf_k + rank + 1)
        missing_dense = []
        for rank, lh in enumerate(lexical):
            chunk = lex.chunks[lh.index]
            hit = hits.get(chunk.id)
            if hit is None:
                hit = hits[chunk.id] = Hit(chunk.id, chunk.text, dict(chunk.metadata))
                missing_dense.append(hit)
            hit.lexical = lh.score
            hit.fused += 1.0 / (self.rrf_k + rank + 1)
        if missing_dense:
            vectors = self.store.vectors([h.id for h in missing_dense])
            for h in missing_dense:
                if h.id in vectors:
                    h.dense = float(np.dot(vectors[h.id], qvec))
                else:  # gone from the store since the lexical index was built: never cite it
                    del hits[h.id]
        self._rerank(list(hits.values()), terms, lex, qvec, question, named, alternatives, result.outside)
        ranked = sorted(hits.values(), key=lambda h: h.score, reverse=True)
        result.hits = _each_named(ranked, k, named)
        result.continued = _continued(result.hits[:CONTINUED_TOP], lex)
        cross = not _CJK.search(query)
        result.strength = max((evidence_strength(h, cross_lingual=cross) for h in ranked[:3]), default=0.0)
        return result

    def _rerank(self, hits: list[Hit], terms: tuple[str, ...], lex: PassageIndex, qvec: np.ndarray,
                question: Question, named: tuple[str, ...], alternatives: dict[str, tuple[str, ...]],
                outside: tuple[str, ...] = ()) -> None:
        w = self.weights
        max_lex = max((h.lexical for h in hits), default=0.0) or 1.0
        max_fused = max((h.fused for h in hits), default=0.0) or 1.0
        weights = lex.bm25.weights(terms)
        # 国培计划有哪些项目: the notice's 支持重点 lists them without repeating 国培计划, the name the whole notice
        # is about; in its own document that name counts as said in every passage.
        in_hits = {h.doc_id for h in hits}
        subject = {d.doc_id: subject_terms(terms, [d]) for d in lex.catalogue if d.doc_id in in_hits}
        listed = listed_noun(question)
        for h in hits:
            pos = lex.position.get(h.id)
            doc_terms = lex.terms[pos] if pos is not None else str(h.metadata.get("lex", "")).split()
            doc_terms = set(doc_terms) | subject.get(h.doc_id, set())
            head_terms = lex.heading_terms[pos] if pos is not None else set()
            h.coverage = lex.bm25.coverage(weights, doc_terms, alternatives)
            h.heading = lex.bm25.coverage(weights, head_terms, alternatives)
            h.score = (w.dense * dense_norm(h.dense) + w.lexical * h.lexical / max_lex
                       + w.coverage * h.coverage + w.heading * h.heading + w.fused * h.fused / max_fused)
            if named and h.doc_id in named:
                h.score += w.scope
            if h.doc_id in outside:  # as far below the programme's documents as a named one is above the rest
                h.score -= w.scope
            # 强化能力建设，健全教师发展支持服务体系具体怎么搞 (a heading copied, or 第三项 resolved to it) names its
            # section as plainly as 省方案 names a document.
            if _names_section(question.text, h, named):
                h.score += w.scope
            if w.fact:
                h.score += w.fact * answer_kinds(question, h, listed)
        # Second stage: a chunk is as relevant as its best sentence. An FAQ entry is also about the question
        # in its heading (1. 哪些教师可以参加“国培计划”项目？): when that question is closer to the teacher's than
        # any sentence of the answer, it speaks for the passage. Both kinds of vector were computed at indexing
        # time into the embedding cache (``indexer.pipeline.rerank_texts``): one cache lookup, no model work.
        first = sorted(hits, key=lambda h: h.score, reverse=True)
        top = first[: w.sentence_top_n]
        if len(named) >= 2:  # a comparison: each document it names is read sentence by sentence too
            missing = [doc for doc in named if not any(t.doc_id == doc for t in top)]
            top += [h for doc in missing if (h := _best_of(first, doc)) is not None]
        spans = [(h, s, e) for h in top for s, e in sentences(h.text)]
        if not spans:
            return
        asked = [(h, q) for h in top if (q := question_heading(h.section))]
        texts = [h.text[s:e] for h, s, e in spans] + [q for _, q in asked]
        cosines = np.asarray(self.store.embedder.embed_documents(texts), dtype=np.float32) @ qvec
        for (h, s, e), cos in zip(spans, cosines[: len(spans)], strict=True):
            h.sentences.append((s, e, float(cos)))
        for h in top:
            h.sentence = max((c for _, _, c in h.sentences), default=h.dense)
        for (h, _), cos in zip(asked, cosines[len(spans):], strict=True):
            h.sentence = max(h.sentence, float(cos) - HEADING_DISCOUNT)
        for h in top:
            h.score += w.sentence * dense_norm(h.sentence)
