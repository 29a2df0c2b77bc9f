"""The composition root: the one place where settings are read and every long-lived object is built.

``Services.from_settings(read_settings())`` builds the embedder and vector store, the knowledge base with
its retriever and answerer, the database with the teacher records, users, roles and invites, the rate
limiter, the parser process, the job supervisor, resources, eval runs and the use-case facade — once.
The CLI, the API, the bot and the evals start from here and only from here; nothing else constructs
``Settings`` or wires these objects by hand.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from assistant.companion import Companion
from assistant.db import Database
from assistant.evalruns import EvalRuns
from assistant.jobs import Supervisor
from assistant.parsing import ParserProcess
from assistant.ratelimit import RateLimiter
from assistant.records import Records
from assistant.records.jobs import JobStore
from assistant.records.resources import ResourceRows
from assistant.records.roles import ChannelRoleStore
from assistant.records.usage import UsageStats
from assistant.records.users import UserStore
from assistant.resources import ResourceService
from assistant.retrieval import Visibility
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.tuning import Tuning
from assistant.usecases import Admin, Asking, Enrolment, Learning, Library, People, Probing, UseCases
from assistant.usecases.learners import Learners
from assistant.visibility import PinnedVersions
from indexer.embedders.cache import CachedEmbeddings
from indexer.embedders.registry import create_embedder
from indexer.store import ChunkStore

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def read_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings()


@lru_cache(maxsize=4)
def _embedder(name: str, model: str | None, cache: str | None) -> Any:
    """One embedder per model per process: a second knowledge base (an eval's) must not load it twice."""
    embedder = create_embedder(name, **({"model": model} if model else {}))
    return CachedEmbeddings(embedder, cache) if cache else embedder


def open_knowledge_base(settings: Settings, *, name: str | None = None,
                        visibility: Visibility | None = None) -> Assistant:
    """The knowledge base (store, retriever, answerer) alone: ``name`` picks another collection, as the evals
    do for their own knowledge bases."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    cache = str(settings.cache_path) if settings.embedding_cache else None
    store = ChunkStore(name or settings.knowledge_base, _embedder(settings.embedder, settings.embedder_model, cache),
                       path=settings.resolved_chroma_path, url=settings.chroma_url)
    return Assistant(settings, store, tuning=Tuning.from_settings(settings), visibility=visibility)


@dataclass
class Readiness:
    """Whether the bundled corpus is indexed: ``/readyz`` and the bot's start-up wait on it."""

    indexed: threading.Event = field(default_factory=threading.Event)
    error: str | None = None


@dataclass
class Services:
    settings: Settings
    db: Database
    assistant: Assistant
    records: Records
    companion: Companion
    users: UserStore
    roles: ChannelRoleStore
    usage: UsageStats
    limiter: RateLimiter
    supervisor: Supervisor
    parser: ParserProcess
    resources: ResourceService
    evals: EvalRuns
    usecases: UseCases
    readiness: Readiness = field(default_factory=Readiness)

    @classmethod
    def from_settings(cls, settings: Settings, *, assistant: Assistant | None = None) -> Services:
        """Build everything once. ``assistant`` reuses an already indexed knowledge base (tests share one);
        it then shows this instance's uploads."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.db_path)
        rows = ResourceRows(db)
        shared = assistant.retriever.visibility if assistant is not None else None
        if isinstance(shared, PinnedVersions) and shared.rows.db.path == db.path:
            # Another instance over the same records already pins this knowledge base: one set of pins,
            # or a commit made through one instance would stay invisible to the retriever of the other.
            visibility = shared
        else:
            visibility = PinnedVersions(rows)
        if assistant is None:
            assistant = open_knowledge_base(settings, visibility=visibility)
        elif visibility is not shared:
            assistant.retriever.visibility = visibility
            assistant.retriever.refresh()
        records = Records(db, settings.credit_hours_per_task, settings.credits_per_hour)
        companion = Companion(assistant, records)
        users, roles, usage = UserStore(db), ChannelRoleStore(db), UsageStats(db)
        limiter = RateLimiter(settings.ask_rate_per_minute)
        supervisor = Supervisor(JobStore(db), stale_seconds=settings.job_stale_seconds)
        parser = ParserProcess()
        resources = ResourceService(assistant, rows, supervisor, parser, visibility,
                                    files_dir=settings.data_dir / "resources", max_bytes=settings.upload_max_bytes,
                                    background_bytes=settings.upload_background_bytes)
        readiness = Readiness()
        evals = EvalRuns(settings, assistant, supervisor, settings.data_dir / "evals", ready=readiness.indexed.is_set)
        learning = Learning(companion, uploads=rows)
        asking = Asking(assistant, limiter, usage, learning)
        learning.throttle = asking.throttle
        usecases = UseCases(asking=asking, learning=learning, learners=Learners(users, records.teachers),
                            library=Library(assistant, resources),
                            people=People(users, roles, {"telegram": settings.telegram_admin_ids}),
                            admin=Admin(evals, supervisor, usage), probing=Probing(assistant),
                            enrolment=Enrolment(users, roles))
        return cls(settings, db, assistant, records, companion, users, roles, usage, limiter, supervisor, parser,
                   resources, evals, usecases, readiness)

    # -- life cycle -----------------------------------------------------------------------------------------
    def start(self, *, index_bundled: bool = True) -> None:
        """For a serving process: pick up the jobs a previous process left (before anything is answered),
        run queued jobs from now on, and index the bundled corpus in the background."""
        self.supervisor.start()
        if not index_bundled:
            self.readiness.indexed.set()
            return
        threading.Thread(target=self._index_bundled, name="index-bundled", daemon=True).start()

    def _index_bundled(self) -> None:
        try:
            self.assistant.ensure_indexed()
        except Exception as exc:  # reported by readiness; the process itself stays up
            log.exception("内置语料索引失败")
            self.readiness.error = str(exc) or type(exc).__name__
        else:
            self.readiness.indexed.set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        return self.readiness.indexed.wait(timeout)

    def close(self) -> None:
        self.supervisor.stop()
        self.parser.stop()
