"""The knowledge base and the question path as one object: indexing, search and answers.

It owns the question-level rules (validation of bad input, follow-up resolution, the history window) and
wires the layers below (corpus → indexer → retrieval → answerer). It is built by the composition root
(``assistant.services``) and used by the use cases in ``assistant.usecases``; channels never hold one.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant.answering import Answer, Answerer, ExtractiveAnswerer, Verdict
from assistant.catalogue import subject_terms
from assistant.contract import contract
from assistant.conversation import contextualize, latest_list, named_item, points_back, unresolved_reference
from assistant.errors import InvalidInput
from assistant.hits import Retrieval
from assistant.llm.wiring import LLMServices
from assistant.retrieval import HybridRetriever, Visibility
from assistant.settings import Settings
from assistant.tuning import Tuning
from corpus.bundled import bundled_documents
from corpus.documents import LoaderError, SourceDocument
from corpus.loaders import is_document_file, load_file
from corpus.text import HAN
from indexer.pipeline import ChunkingOptions, IndexResult, PreparedDocument, index_document, store_document
from indexer.store import ChunkStore, StoredChunk
from indexer.tokenizer import to_simplified

__all__ = ["Assistant", "QuestionError", "contract", "validate_question"]

_MEANINGFUL = re.compile(f"[{HAN}A-Za-z]")


class QuestionError(InvalidInput):
    """A question that cannot be asked as given; the message tells the teacher what to change."""


def validate_question(question: str, max_chars: int) -> str:
    # Zero-width and direction marks (pasted from chat apps and web pages) are invisible: a question of
    # only those is empty, and inside one they would split the words it is searched by.
    q = "".join(ch for ch in (question or "") if unicodedata.category(ch) != "Cf").strip()
    if not q:
        raise QuestionError("问题不能为空，请输入想了解的内容。")
    if len(q) > max_chars:
        raise QuestionError(f"问题太长（{len(q)} 字），请控制在 {max_chars} 字以内，或拆成几个小问题。")
    return q


class Assistant:
    def __init__(self, settings: Settings, store: ChunkStore, answerer: Answerer | None = None, *,
                 tuning: Tuning | None = None, visibility: Visibility | None = None) -> None:
        self.settings = settings
        self.tuning = tuning or Tuning.from_settings(settings)
        self.store = store
        self.retriever = HybridRetriever(store, candidate_k=self.tuning.candidate_k, rrf_k=self.tuning.rrf_k,
                                         weights=self.tuning.rerank, visibility=visibility)
        # A configured OpenAI-compatible model words the answers and rewrites follow-ups; unset = offline.
        self.llm = LLMServices.from_settings(settings)
        extractive = ExtractiveAnswerer(self.tuning.abstain_threshold, policy=self.tuning.grounding)
        embedder = getattr(store, "embedder", None)
        self.answerer = answerer or (self.llm.answerer(extractive, embedder) if self.llm else extractive)
        self.rewrite = self.llm.rewriter() if self.llm else contextualize
        self.chunking = ChunkingOptions(settings.chunk_max_tokens, settings.chunk_min_tokens,
                                        settings.chunk_overlap_tokens)
        self._index_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Assistant:
        """The knowledge base alone, built the one way the composition root builds it."""
        from assistant.services import open_knowledge_base  # the root imports this module

        return open_knowledge_base(settings)

    # -- indexing ---------------------------------------------------------------------------------
    def index_documents(self, docs: Iterable[SourceDocument],
                        progress: Callable[[IndexResult], None] | None = None) -> list[IndexResult]:
        results = []
        with self._index_lock:
            for doc in docs:
                with self.retriever.writing(doc.doc_id):
                    result = index_document(self.store, doc, self.chunking)
                    if result.changed:
                        self.retriever.update_document(doc.doc_id)
                results.append(result)
                if progress:
                    progress(result)
        return results

    def index_paths(self, paths: Sequence[Path], progress: Callable[[IndexResult], None] | None = None,
                    on_error: Callable[[Path, LoaderError], None] | None = None,
                    on_skip: Callable[[Path], None] | None = None) -> list[IndexResult]:
        """Index files and folders. With ``on_error``, a file that cannot be read is reported and skipped
        (one bad file in a folder of fifty should not stop the other forty-nine); without it, it raises.

        In a folder, only files of a supported type are documents: slides, spreadsheets, hidden files and
        Office lock files (~$…) sit beside them in any teacher's folder and are passed to ``on_skip``, not
        reported as errors. A file named on its own is always read, and refused by type if it must be."""
        files: list[Path] = []
        for path in paths:
            if not path.is_dir():
                files.append(path)
                continue
            for found in sorted(x for x in path.rglob("*") if x.is_file()):
                if is_document_file(found.relative_to(path)):
                    files.append(found)
                elif on_skip is not None:
                    on_skip(found)

        def loaded() -> Iterable[SourceDocument]:
            for f in files:
                try:
                    yield self._placed(load_file(f), f)
                except LoaderError as exc:
                    if on_error is None:
                        raise
                    on_error(f, exc)

        return self.index_documents(loaded(), progress)

    def _placed(self, doc: SourceDocument, path: Path) -> SourceDocument:
        """The document with the file it came from. Its id comes from the file name, so 各区/a.txt and 本校/a.txt
        would be one document, the second silently replacing the first: a file whose name is taken by a file
        elsewhere gets an id of its own (a-1f2e3d4c), the same each time it is indexed again."""
        where = str(path.resolve())
        known = {str(meta.get("path", "")) for meta in self.store.document_metadata(doc.doc_id)} - {""}
        if known and where not in known:
            doc = replace(doc, doc_id=f"{doc.doc_id}-{hashlib.sha256(where.encode('utf-8')).hexdigest()[:8]}")
        return replace(doc, extra={**doc.extra, "path": where})

    def ensure_indexed(self, progress: Callable[[IndexResult], None] | None = None) -> list[IndexResult]:
        """Index the bundled corpus; a no-op when it is already there in this version."""
        return self.index_documents(bundled_documents(), progress)

    def store_version(self, prepared: PreparedDocument,
                      on_batch: Callable[[int, int], None] | None = None) -> IndexResult:
        """Write a new version of a document beside the live one; it is not searchable until
        ``switch_version`` makes it live (a crash in between leaves the old version answering).

        The index lock is taken only around the store's reads and writes, not the embedding: a 5 MB upload
        embeds for minutes, and holding the lock that long kept another trainer's small upload (indexed on
        the spot, the request still open) waiting until the big one finished."""
        with self.retriever.writing(prepared.doc_id):
            return store_document(self.store, prepared, keep_previous=True, on_batch=on_batch,
                                  write_lock=self._index_lock)

    def switch_version(self, doc_id: str, version: str | None, commit: Callable[[], None]) -> None:
        """Run ``commit`` (which records ``version`` as live, or ``None``: nothing) and bring search in line,
        then remove every other version's chunks from the store."""
        with self._index_lock, self.retriever.writing(doc_id):
            self.retriever.update_document(doc_id, commit)
            self.store.prune_document(doc_id, version)

    def delete_document(self, doc_id: str) -> int:
        with self._index_lock, self.retriever.writing(doc_id):
            removed = self.store.delete_document(doc_id)
            self.retriever.update_document(doc_id)
        return removed

    def chunk_texts(self, ids: list[str]) -> dict[str, str]:
        """Full texts of chunks by id (what a citation's quote can be checked against)."""
        return self.retriever.chunk_texts(ids)

    def chunks(self) -> list[StoredChunk]:
        """Every searchable chunk: what quiz distractors and study-plan topics are drawn from."""
        return self.retriever.chunks()

    def documents(self) -> list[dict[str, Any]]:
        """What the knowledge base holds, one entry per searchable document."""
        return [{"doc_id": d.doc_id, "title": d.title, "doc_number": d.doc_number, "kind": d.kind,
                 "chunks": d.chunks} for d in self.retriever.documents()]

    # -- questions --------------------------------------------------------------------------------
    def history_window(self, history: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
        """The part of a conversation a follow-up may lean on: the same on every surface."""
        return list(history or [])[-self.tuning.history_messages:]

    def retrieve(self, question: str, history: Sequence[dict[str, Any]] | None = None,
                 k: int | None = None, where: dict[str, Any] | None = None) -> Retrieval:
        q = validate_question(question, self.tuning.max_question_chars)
        window = self.history_window(history)
        query = self.rewrite(q, window)
        k = k or self.tuning.top_k
        found = self.retriever.retrieve(query, k, where, asked=q if query != q else "")
        floor = self.tuning.abstain_threshold
        if query != q and self.rewrite is contextualize and not points_back(q):
            # 今天天气怎么样 names nothing a retriever knows, so it was read with the conversation's topic; it does
            # not point back either. Read alone it finds nothing near and names what no passage mentions: the
            # subject has changed, and the earlier topic must not lend it an answer.
            alone = self.retriever.retrieve(q, k, where)
            if _off_the_documents(alone, floor):
                return alone
        if window and query == q and self.rewrite is contextualize and not _changes_subject(found, floor):
            # 带几个？最后要交啥材料？ names something, so it reads as a question of its own; after 骨干班学员回去要带
            # 青年教师吗 it is not. Read also with the conversation's topic, the better-supported reading is answered.
            # A question that alone finds nothing near, naming what the knowledge base never speaks of (红烧肉怎么做), has
            # changed the subject.
            joined = contextualize(q, window, force=True)
            if joined != q:
                other = self.retriever.retrieve(joined, k, where, asked=q)
                if other.strength > found.strength and _own_terms_held(other, found):
                    return other
        return found

    def search(self, query: str, k: int | None = None, where: dict[str, Any] | None = None
               ) -> list[dict[str, Any]]:
        return [h.as_dict() for h in self.retrieve(query, None, k, where).hits]

    def answer(self, question: str, history: Sequence[dict[str, Any]] | None = None,
               k: int | None = None, where: dict[str, Any] | None = None) -> Answer:
        q = validate_question(question, self.tuning.max_question_chars)
        window = self.history_window(history)
        reference = unresolved_reference(q, window)
        if reference and (items := latest_list(window)):
            # Items that are whole sentences (a numbered list's tasks) are counted, not strung together again.
            listed = f"这{len(items)}项：{'、'.join(items)}" if all(len(i) <= 12 for i in items) else f"{len(items)}项"
            return Answer(f"前面列出的只有{listed}，没有「{reference}」。"
                          "请说出其中一项的名称，或换个问法。", True, verdict=Verdict.NOT_FOUND)
        if reference:
            return Answer(f"不清楚「{reference}」指的是哪一项：前面的对话里没有列出可以按顺序数的内容。"
                          "请直接说出它的名称，或先问“国培计划有哪些重点工作”这类会列出几项的问题。",
                          True, verdict=Verdict.NOT_FOUND)
        if not _MEANINGFUL.search(q):
            retrieval = Retrieval(query=q, terms=())
        else:
            retrieval = self.retrieve(q, history, k, where)
        reply = self.answerer.answer(q, retrieval)
        picked = named_item(q, window)
        if picked is not None and not reply.abstained:
            reply = replace(reply, text=f"前面列出的{picked[0]}是「{picked[1]}」。\n{reply.text}")
        # Whichever answerer replied, the teacher sees which word their question was read as; a word carried over
        # from an earlier turn (a follow-up is read with the conversation) was told about then.
        shown = [(typo, meant) for typo, meant in retrieval.respelled if typo in to_simplified(q)]
        if shown:
            typed = "、".join(f"「{typo}」" for typo, _ in shown)
            read_as = "、".join(f"「{meant}」" for _, meant in shown)
            reply = replace(reply, text=f"（已将您输入的{typed}按{read_as}理解。）\n{reply.text}")
        return reply

    def ask(self, question: str, history: Sequence[dict[str, Any]] | None = None,
            k: int | None = None, where: dict[str, Any] | None = None) -> dict[str, Any]:
        """The answer in the JSON contract shared by the CLI, the API and the evals."""
        return contract(self.answer(question, history, k, where))


def _own_terms_held(joined: Retrieval, alone: Retrieval) -> bool:
    """The reading with the conversation's topic finds a passage holding some of the question's own key terms
    when the question alone does: after 境外研修, 学校每年要拿出多少经费用于教师培训 is still about 经费, and a
    passage on 出国研修 that holds none of its words, however strong the topic makes it, does not answer it."""
    own = [t for t in (alone.question.focus if alone.question else ()) if len(t) >= 2]

    def held(r: Retrieval) -> int:
        top = f"{r.hits[0].section}\n{r.hits[0].text}" if r.hits else ""
        return sum(t in top for t in own)

    return held(joined) > 0 or held(alone) == 0


def _off_the_documents(found: Retrieval, floor: float) -> bool:
    """Nothing in the knowledge base is near the question alone, and it names what no passage mentions (红烧肉)."""
    return found.strength < floor and bool(found.unknown)


def _changes_subject(found: Retrieval, floor: float) -> bool:
    """The question alone is off the documents (``_off_the_documents``), or it names the programme the documents
    are about (国培要求线上学习占多少): it says itself what it asks of."""
    return _off_the_documents(found, floor) or bool(subject_terms(found.terms, found.documents))
