"""The assistant as one object: what the CLI, the API, the bots and the evals all call.

It wires settings to the layers below (corpus → indexer → retrieval → answerer) and owns the
question-level rules: validation of bad input, follow-up resolution, and the JSON contract.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from assistant.answering import Answer, Answerer, ExtractiveAnswerer
from assistant.conversation import contextualize
from assistant.llm.wiring import LLMServices
from assistant.retrieval import HybridRetriever, Retrieval
from assistant.settings import Settings
from corpus.bundled import bundled_documents
from corpus.documents import LoaderError, SourceDocument
from corpus.loaders import load_file
from indexer.embedders.cache import CachedEmbeddings
from indexer.embedders.registry import create_embedder
from indexer.pipeline import ChunkingOptions, IndexResult, index_document
from indexer.store import ChunkStore

_MEANINGFUL = re.compile(r"[\u4e00-\u9fffA-Za-z]")


class QuestionError(ValueError):
    """A question that cannot be asked as given; the message tells the teacher what to change."""


def validate_question(question: str, max_chars: int) -> str:
    q = (question or "").strip()
    if not q:
        raise QuestionError("问题不能为空，请输入想了解的内容。")
    if len(q) > max_chars:
        raise QuestionError(f"问题太长（{len(q)} 字），请控制在 {max_chars} 字以内，或拆成几个小问题。")
    return q


def contract(ans: Answer) -> dict[str, Any]:
    """An answer in the JSON shape shared by the CLI, the API and the evals."""
    out = {
        "answer": ans.text,
        "abstained": ans.abstained,
        "verdict": ans.verdict.value,
        "citations": [c.as_dict() for c in ans.citations],
        "retrieved": [h.as_dict() for h in ans.retrieved],
    }
    if ans.generation is not None:  # only when a model is configured (assistant.llm)
        out["generation"] = ans.generation
    return out


class Assistant:
    def __init__(self, settings: Settings, store: ChunkStore, answerer: Answerer | None = None) -> None:
        self.settings = settings
        self.store = store
        self.retriever = HybridRetriever(store, candidate_k=settings.candidate_k, rrf_k=settings.rrf_k)
        # A configured OpenAI-compatible model words the answers and rewrites follow-ups; unset = offline.
        self.llm = LLMServices.from_settings(settings)
        extractive = ExtractiveAnswerer(settings.abstain_threshold)
        embedder = getattr(store, "embedder", None)
        self.answerer = answerer or (self.llm.answerer(extractive, embedder) if self.llm else extractive)
        self.rewrite = self.llm.rewriter() if self.llm else contextualize
        self.chunking = ChunkingOptions(settings.chunk_max_tokens, settings.chunk_min_tokens,
                                        settings.chunk_overlap_tokens)
        self._index_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Assistant:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        options = {"model": settings.embedder_model} if settings.embedder_model else {}
        embedder = create_embedder(settings.embedder, **options)
        if settings.embedding_cache:
            embedder = CachedEmbeddings(embedder, settings.cache_path)
        store = ChunkStore(settings.knowledge_base, embedder,
                           path=settings.resolved_chroma_path, url=settings.chroma_url)
        return cls(settings, store)

    # -- indexing ---------------------------------------------------------------------------------
    def index_documents(self, docs: Iterable[SourceDocument],
                        progress: Callable[[IndexResult], None] | None = None) -> list[IndexResult]:
        results = []
        with self._index_lock:
            for doc in docs:
                result = index_document(self.store, doc, self.chunking)
                results.append(result)
                if progress:
                    progress(result)
            if any(r.changed for r in results):
                self.retriever.refresh()
        return results

    def index_paths(self, paths: Sequence[Path], progress: Callable[[IndexResult], None] | None = None,
                    on_error: Callable[[Path, LoaderError], None] | None = None) -> list[IndexResult]:
        """Index files and folders. With ``on_error``, a file that cannot be read is reported and skipped
        (one bad file in a folder of fifty should not stop the other forty-nine); without it, it raises."""
        files = [p for path in paths for p in (sorted(x for x in path.rglob("*") if x.is_file())
                                                if path.is_dir() else [path])]

        def loaded() -> Iterable[SourceDocument]:
            for f in files:
                try:
                    yield load_file(f)
                except LoaderError as exc:
                    if on_error is None:
                        raise
                    on_error(f, exc)

        return self.index_documents(loaded(), progress)

    def ensure_indexed(self, progress: Callable[[IndexResult], None] | None = None) -> list[IndexResult]:
        """Index the bundled corpus; a no-op when it is already there in this version."""
        return self.index_documents(bundled_documents(), progress)

    def delete_document(self, doc_id: str) -> int:
        with self._index_lock:
            removed = self.store.delete_document(doc_id)
            self.retriever.refresh()
        return removed

    def chunk_texts(self, ids: list[str]) -> dict[str, str]:
        """Full texts of chunks by id (what a citation's quote can be checked against)."""
        return self.retriever.chunk_texts(ids)

    # -- questions --------------------------------------------------------------------------------
    def retrieve(self, question: str, history: Sequence[dict[str, Any]] | None = None,
                 k: int | None = None, where: dict[str, Any] | None = None) -> Retrieval:
        q = validate_question(question, self.settings.max_question_chars)
        return self.retriever.retrieve(self.rewrite(q, history), k or self.settings.top_k, where)

    def search(self, query: str, k: int | None = None, where: dict[str, Any] | None = None
               ) -> list[dict[str, Any]]:
        return [h.as_dict() for h in self.retrieve(query, None, k, where).hits]

    def answer(self, question: str, history: Sequence[dict[str, Any]] | None = None,
               k: int | None = None, where: dict[str, Any] | None = None) -> Answer:
        q = validate_question(question, self.settings.max_question_chars)
        if not _MEANINGFUL.search(q):
            retrieval = Retrieval(query=q, terms=())
        else:
            retrieval = self.retrieve(q, history, k, where)
        return self.answerer.answer(q, retrieval)

    def ask(self, question: str, history: Sequence[dict[str, Any]] | None = None,
            k: int | None = None, where: dict[str, Any] | None = None) -> dict[str, Any]:
        """The answer in the JSON contract shared by the CLI, the API and the evals."""
        return contract(self.answer(question, history, k, where))
