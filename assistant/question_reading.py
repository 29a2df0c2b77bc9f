"""A question read against the knowledge base it is put to: which documents it names, what it leaves unsaid,
the words it misspells, and the terms it is looked up by. The same words read differently with different
documents held (省里 names the province's plan when there is one, and is the documents' 省级 when there is none),
so the reading needs the index, and is done once per question before any passage is scored.
"""

from __future__ import annotations

import re
from datetime import date

from assistant.catalogue import (
    DocumentInfo,
    levels_as_written,
    named_documents,
    names_a_document,
    outside_programme,
    programme_named,
    subject_terms,
    years_as_written,
)
from assistant.hits import Retrieval
from assistant.lexical import SYNONYM_CREDIT
from assistant.passage_index import PassageIndex
from assistant.question import Question, analyse, asking_as, bridged, named_things
from assistant.spelling import respell
from assistant.wording import plain_wording
from indexer.tokenizer import lexical_terms, to_simplified

UNSAID_SHARE = 0.5  # of the question's key-term weight a named document never uses: it does not speak of it
COMMON_SHARE = 0.5


def read_question(query: str, asked: str, lex: PassageIndex, this_year: int | None = None) -> tuple[str, Retrieval]:
    """The query as the index reads it (simplified, respelled: the embedder is given it too), and the result the
    ranked passages are added to, already holding what the answerer needs of the question (what it names, leaves
    unsaid, misspells). ``asked`` is the teacher's own text when ``query`` joins it with the conversation's topic;
    ``this_year`` (today's by default) is the year 今年 means."""
    this_year = this_year or date.today().year

    def as_written(text: str) -> str:
        return years_as_written(levels_as_written(text, lex.catalogue), lex.catalogue, this_year)

    simplified = as_written(plain_wording(to_simplified(query)))
    # 国陪计划: a word no passage uses, typed for one that sounds the same (国培), is read as that word.
    simplified, respelled = respell(simplified, lexical_terms(simplified), lex.knows, lambda: lex.sounds)
    if asked and respelled:
        asked = respell(asked, [typed for typed, _ in respelled], lex.knows, lambda: lex.sounds)[0]
    terms = lexical_terms(simplified)
    # An English question is looked up by the Chinese words the knowledge base uses for its words.
    question = bridged(analyse(simplified), lex.frequency)
    if asked:
        question = asking_as(question, analyse(as_written(asked)))
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
    # 办法什么时候开始实施: asked for a date, 开始 frames it; no document has to use the word.
    unknown = tuple(t for t in question.focus if not lex.knows(t) and t not in told and t not in question.date_frame)
    result = Retrieval(query=query, terms=terms, asked=asked, question=question, respelled=respelled, documents=list(lex.catalogue), named=named,
                       unsaid=unsaid, unsaid_in=unsaid_in, unknown=unknown,
                       alien=tuple(n for n in named_things(question.text, question.tagged) if _alien(n, lex)),
                       outside=tuple(d for d in outside_programme(programme_named(question.focus, lex.catalogue),
                                                                  lex.catalogue) if d not in named),
                       common=tuple(t for t in dict.fromkeys((*terms, *question.focus))
                                    if lex.bm25.n and lex.bm25.frequency(t) >= COMMON_SHARE * lex.bm25.n))
    return simplified, result


def lookup_terms(terms: tuple[str, ...], question: Question, lex: PassageIndex
                 ) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...], dict[str, float] | None]:
    """The alternatives of each term (coverage credits them too), and the BM25 query with the boost of the words
    only a synonym put there. Read from the index as it is after the dense search, which may have refreshed it."""
    alternatives = {**lex.alternatives(_said(terms)), **question.alternatives()}
    # A teacher's word (老师, 路费) finds the passage that uses the document's word (教师, 交通费) too.
    lexical_query, boost = _query_terms(terms, alternatives)
    # The name a document gives its whole subject (国培计划) says nothing of which passage answers: repeated in
    # the passages that restate the programme, it outranked the one that lists its projects. Coverage still
    # counts it (as said in every passage of a document about it, see ``assistant.rerank``).
    subject = subject_terms(lexical_query, lex.catalogue)
    lexical_query = tuple(t for t in lexical_query if t not in subject) or lexical_query
    return alternatives, lexical_query, boost


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
