"""Answers built only from the knowledge base: the answerer protocol and its offline extractive default.

The extractive answerer never writes policy of its own. For every question it decides one of five
outcomes, in this order:

1. nothing relevant (evidence strength below the calibrated threshold): say so, quote nothing;
2. a request to write a new text (帮我写一份发言稿): no document holds it, so decline and quote what the
   documents say on its topic, if anything;
3. a question about a document itself (文号, issuers, date, title, what the knowledge base holds):
   answer from the document's metadata, quoting the line of the document that states it;
4. the passages touch the topic but do not answer what was asked (``assistant.grounding``): say plainly
   what the documents do not state, then quote what they do say on the topic; ``abstained`` is true;
5. otherwise quote the sentences that answer, each followed by its citation marker, after correcting a
   wrong premise by comparing like with like (``assistant.premise``); when the answerability model is
   unsure the quote answers what was asked, a first line says so (``hedged``): a quote reads as policy.

Text inside documents is only ever quoted, never obeyed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol

from assistant.candidates import candidates
from assistant.catalogue import DocumentInfo
from assistant.compose import Citation, conflict_note, quote_block
from assistant.documents import addressee_answer, document_answer, title_line
from assistant.grounding import GroundingPolicy, as_written, judge
from assistant.hits import Hit, Retrieval
from assistant.outline import outline_answer
from assistant.parts import answer_parts
from assistant.premise import corrections
from assistant.question import Question, analyse
from assistant.quote import Quote
from assistant.scoring import score
from assistant.selection import choose, with_exceptions

__all__ = ["ABSTAIN_MESSAGE", "HEDGE_NOTE", "Answer", "Answerer", "Citation", "ExtractiveAnswerer", "Verdict"]

ABSTAIN_MESSAGE = (
    "抱歉，知识库中没有找到能回答这个问题的依据，我不便凭空作答。"
    "建议换一种说法，或咨询当地教育行政部门、教师发展机构。"
)

HEDGE_NOTE = "提示：文件中没有与这个问题完全对应的表述，以下是最相关的规定，请对照原文判断是否回答了您的问题。"


class Verdict(StrEnum):
    ANSWERED = "answered"  # quoted sentences answer the question
    NOT_SPECIFIED = "not_specified"  # the documents touch the topic but do not state what was asked
    NOT_FOUND = "not_found"  # nothing in the knowledge base is relevant
    ABOUT_ASSISTANT = "about_assistant"  # a greeting, thanks, or what the assistant is: no question for the documents


@dataclass
class Answer:
    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    strength: float = 0.0
    verdict: Verdict = Verdict.ANSWERED
    missing: str = ""  # for NOT_SPECIFIED: what the documents do not state
    hedged: bool = False  # ANSWERED, but the quote may not answer what was asked (the text opens with HEDGE_NOTE)
    # Read off a document's head or outline (its 文号, the headings under 二、项目设置): exact as it stands.
    structured: bool = False
    # Set by a generative answerer (assistant.llm): mode, model, outcome, fallback reason, dropped sentences.
    generation: dict[str, Any] | None = None


class Answerer(Protocol):
    def answer(self, question: str, retrieval: Retrieval) -> Answer: ...


def _scope_name(retrieval: Retrieval, quoted_doc_ids: set[str]) -> str:
    """Name the one document the question asked about when it is quoted, else the knowledge base."""
    named = [d for d in retrieval.documents if d.doc_id in retrieval.named]
    if len(named) == 1 and named[0].doc_id in quoted_doc_ids:
        return f"《{named[0].title}》"
    return "知识库中的文件"


def _silence_head(retrieval: Retrieval) -> tuple[Citation, Hit] | None:
    """国家通知里有没有提到送教下乡: the named document's title line, cited as marker 1 before anything quoted."""
    doc = next((d for d in retrieval.documents if d.doc_id == retrieval.unsaid_in), None) \
        if retrieval.unsaid else None
    return _title_citation(doc) if doc is not None else None


def _named_silent(retrieval: Retrieval, reason: str, quoted: set[str]) -> tuple[Citation, Hit] | None:
    """国家通知里的示范项目一年要培训多少人: the figure was looked for in the named document alone, so the answer says
    that document is silent, citing its title line, before quoting what another says (the province's 4000人)."""
    if reason != "in_named" or retrieval.named[0] in quoted:
        return None
    doc = next((d for d in retrieval.documents if d.doc_id == retrieval.named[0]), None)
    return _title_citation(doc) if doc is not None else None


def _title_citation(doc: DocumentInfo) -> tuple[Citation, Hit]:
    """A document's title line as marker 1, for an answer that opens by saying the document is silent."""
    hit, line = title_line(doc)
    return Citation(1, hit.id, hit.doc_id, hit.title, str(hit.metadata.get("doc_number", "")), hit.section, line,
                    1.0), hit


def _with_silence(reply: Answer, retrieval: Retrieval, head: Citation, hit: Hit) -> Answer:
    """That the named document does not speak of it is the first part of the answer. The quotes below were
    numbered after ``head`` when they were composed (``_first_citations``), so markers are never rewritten."""
    phrases = as_written(list(retrieval.unsaid), retrieval.question.text if retrieval.question else retrieval.query)
    lead = f"「{head.text}」[1]中没有提到{'、'.join(f'「{p}」' for p in phrases)}。"
    lead += "其他文件中的相关规定如下：\n" if reply.verdict == Verdict.ANSWERED else "\n"
    cits = reply.citations or [head]  # any quotes were numbered after ``head``, which leads their citations
    context = reply.retrieved + ([hit] if all(h.id != hit.id for h in reply.retrieved) else [])
    return replace(reply, text=lead + reply.text, citations=cits, retrieved=context)


def _first_citations(head: Citation | None) -> dict[str, Citation]:
    """Quotes are numbered after the silent document's title line when the answer will open with it."""
    return {head.chunk_id: replace(head)} if head is not None else {}


def _related(ranked: list[Quote]) -> list[Quote]:
    """The best sentence that shares any of the question's terms: what an answer that cannot answer quotes."""
    return [s for s in ranked if s.cover > 0][:1]


class ExtractiveAnswerer:
    def __init__(self, abstain_threshold: float, *, max_hits: int = 5,
                 policy: GroundingPolicy | None = None) -> None:
        self.abstain_threshold = abstain_threshold
        self.max_hits = max_hits
        self.policy = policy or GroundingPolicy()

    def answer(self, question: str, retrieval: Retrieval) -> Answer:
        silent = _silence_head(retrieval)
        head = silent[0] if silent else None
        reply = self._answer(question, retrieval, head)
        if silent and not reply.structured and reply.verdict != Verdict.ABOUT_ASSISTANT:
            return _with_silence(reply, retrieval, *silent)
        return reply

    def _answer(self, question: str, retrieval: Retrieval, head: Citation | None = None) -> Answer:
        hits = retrieval.hits
        q = retrieval.question or analyse(question)
        reply = document_answer(q, retrieval) or addressee_answer(q, retrieval)
        if reply is not None:
            cited = {h.id for h in reply.cited}
            context = reply.cited + [h for h in hits if h.id not in cited]
            verdict = (Verdict.ABOUT_ASSISTANT if reply.about_us else
                       Verdict.ANSWERED if reply.stated else Verdict.NOT_SPECIFIED)
            return Answer(reply.text, not reply.stated, reply.citations, context, retrieval.strength, verdict,
                          structured=True)
        outline = outline_answer(q, retrieval) if retrieval.strength >= self.abstain_threshold else None
        if outline is not None:
            found = {h.id for h in hits}
            return Answer(outline.text, False, outline.citations, hits + [h for h in outline.cited if h.id not in found],
                          retrieval.strength, structured=True)
        if q.compose:
            return self._decline_writing(q, retrieval, head)
        if not hits or retrieval.strength < self.abstain_threshold:
            return Answer(ABSTAIN_MESSAGE, True, [], hits, retrieval.strength, Verdict.NOT_FOUND)
        ranked = score(q, retrieval, candidates(retrieval, self.max_hits))
        if not ranked:
            return Answer(ABSTAIN_MESSAGE, True, [], hits, retrieval.strength, Verdict.NOT_FOUND)
        # Read joined with the conversation's topic: what is missing is named in the teacher's own words.
        verdict = judge(q, retrieval, ranked, self.policy, asked=retrieval.asked)
        if not verdict.answered:
            related = _related(ranked)
            if not related:  # nothing on the topic at all: not a gap in the documents, just not there
                return Answer(ABSTAIN_MESSAGE, True, [], hits, retrieval.strength, Verdict.NOT_FOUND)
            quoted = {s.hit.doc_id for s in related}
            silent = None if head else _named_silent(retrieval, verdict.reason, quoted)
            body, cits = quote_block(related, _first_citations(head or (silent[0] if silent else None)))
            scope = f"「{silent[0].text}」[1]中" if silent else _scope_name(retrieval, quoted)
            text = f"{scope}没有写明{verdict.missing}。与此相关的内容是：\n{body}"
            return Answer(text, True, list(cits.values()), hits + ([silent[1]] if silent else []),
                          retrieval.strength, Verdict.NOT_SPECIFIED, verdict.missing)
        chosen = choose(q, ranked, retrieval.named, retrieval.asked, retrieval.outside)
        chosen = with_exceptions(answer_parts(q, ranked, chosen), ranked)
        if not chosen:
            return Answer(ABSTAIN_MESSAGE, True, [], hits, retrieval.strength, Verdict.NOT_FOUND)
        body, cits = quote_block(chosen, _first_citations(head))
        fixes = corrections(q, "".join(s.text for s in chosen), question, best=chosen[0].text)
        text = (f"{HEDGE_NOTE}\n" if verdict.hedged else "") + (f"需要更正：{'；'.join(fixes)}。\n" if fixes else "") + body
        text += conflict_note(q, chosen)
        return Answer(text, False, list(cits.values()), hits, retrieval.strength, hedged=verdict.hedged)

    def _decline_writing(self, q: Question, retrieval: Retrieval, head: Citation | None) -> Answer:
        """A new text (a speech, a plan) is not in any document: say so, and quote what the documents
        require of such a text when they say something on its topic."""
        action = f"{q.compose_verb}{q.compose}"  # 代写总结, 构思活动
        refusal = f"我只能引用知识库中的文件回答问题，不能{action}。"
        hits = retrieval.hits
        ranked = score(q, retrieval, candidates(retrieval, self.max_hits)) \
            if hits and retrieval.strength >= self.abstain_threshold else []
        related = _related(ranked)
        if not related:
            return Answer(refusal, True, [], hits, retrieval.strength, Verdict.NOT_FOUND, action)
        body, cits = quote_block(related, _first_citations(head))
        return Answer(f"{refusal}文件中与此相关的内容是：\n{body}", True, list(cits.values()), hits,
                      retrieval.strength, Verdict.NOT_SPECIFIED, action)
