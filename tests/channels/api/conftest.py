"""A real uvicorn server on a free local port, with a temporary data dir, users of every role, and helpers.

One server is shared by the whole API test package: starting it indexes the bundled corpus, which is the
slow part. Tests that need other settings (a tiny rate limit) start a second server over the same
knowledge base (``Services.from_settings(settings, assistant=…)``) instead of indexing again. Answers
worded by a model come from servers over a scripted OpenAI-compatible one (``model_live``, and
``planted_live`` over a one-document base with an instruction planted in it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from assistant.records.users import UserStore
from assistant.service import Assistant
from assistant.services import Services
from assistant.settings import Settings
from channels.api.app import create_app
from evals.runner import SEED_PATH
from evals.scripted_llm import ScriptedLLM, serving
from tests.assistant.llm.conftest import planted_knowledge_base as planted_assistant
from tests.conftest import free_port

START_TIMEOUT = 120.0
LLM_KEY = "sk-api-tests-0123456789"


@contextmanager
def serve(app: FastAPI, *, ready_path: str = "/readyz") -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread; yields the base URL once ``ready_path`` answers 200."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on", timeout_graceful_shutdown=5))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        with httpx.Client(base_url=base, timeout=5) as client:
            while True:
                try:
                    if client.get("/healthz").status_code == 200 and client.get(ready_path).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or not thread.is_alive():
                    raise RuntimeError(f"API 服务未能在 {START_TIMEOUT:.0f} 秒内就绪")
                time.sleep(0.2)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@dataclass
class Live:
    base: str
    app: FastAPI
    services: Services
    tokens: dict[str, str]  # name -> token; names: admin, trainer, trainer2, teacher

    @property
    def assistant(self) -> Assistant:
        return self.services.assistant

    @property
    def users(self) -> UserStore:
        return self.services.users

    def client(self, who: str | None = None, **kwargs: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=kwargs.pop("timeout", 60), **kwargs)

    def chunk_ids(self) -> set[str]:
        return {c.id for c in self.assistant.store.all_chunks()}


@pytest.fixture(scope="session")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=Path(tmp_path_factory.mktemp("api-data")), ask_rate_per_minute=100_000,
                    upload_background_bytes=48 * 1024)


@pytest.fixture(scope="session")
def live(api_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    # The session server gets a two-question "seed" set: a fuzzed POST /v1/evals then costs two asks, not 132.
    datasets = tmp_path_factory.mktemp("live-datasets")
    lines = (SEED_PATH.read_text(encoding="utf-8").splitlines())[:2]
    (datasets / "seed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    services = Services.from_settings(api_settings.model_copy(update={"eval_datasets_dir": datasets}))
    app = create_app(services)
    tokens = {}
    for name, role in [("admin", "admin"), ("trainer", "trainer"), ("trainer2", "trainer"), ("teacher", "teacher")]:
        tokens[name] = services.users.add(name, role)[1]
    with serve(app) as base:
        yield Live(base, app, services, tokens)


@dataclass
class ModelLive:
    """A second server over a given knowledge base; its answers are worded by the scripted model ``llm``
    (None: the extractive answerer)."""

    base: str
    services: Services
    llm: ScriptedLLM | None
    token: str  # a teacher's

    @property
    def assistant(self) -> Assistant:
        return self.services.assistant

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {self.token}"},
                            timeout=kwargs.pop("timeout", 60), **kwargs)


@contextmanager
def server_over(assistant: Assistant, settings: Settings, llm: ScriptedLLM | None = None) -> Iterator[ModelLive]:
    """Serve ``assistant``'s knowledge base with ``settings``. The bundled corpus is not indexed again
    (``start(index_bundled=False)``): a one-document test base stays one document."""
    services = Services.from_settings(settings, assistant=Assistant(settings, assistant.store))
    token = services.users.add("teacher", "teacher")[1]
    services.start(index_bundled=False)
    try:
        with serve(create_app(services, start=False)) as base:
            yield ModelLive(base, services, llm, token)
    finally:
        services.close()


@contextmanager
def model_server(assistant: Assistant, data_dir: Path) -> Iterator[ModelLive]:
    """Serve ``assistant``'s knowledge base with a scripted OpenAI-compatible model configured."""
    with serving(ScriptedLLM(api_key=LLM_KEY)) as llm:
        settings = Settings(data_dir=data_dir, llm_base_url=llm.base_url, llm_model=llm.model,
                            llm_api_key=SecretStr(LLM_KEY), llm_timeout=5.0, llm_max_retries=0,
                            ask_rate_per_minute=100_000)
        with server_over(assistant, settings, llm) as server:
            yield server


@pytest.fixture(scope="module")
def model_live(live: Live, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModelLive]:
    """The session's knowledge base (the bundled corpus), answered through the scripted model."""
    with model_server(live.assistant, tmp_path_factory.mktemp("model-live")) as server:
        yield server


@pytest.fixture(scope="module")
def planted_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModelLive]:
    """The planted document, answered through the scripted model."""
    with model_server(planted_assistant(tmp_path_factory.mktemp("kb-planted-api")),
                      tmp_path_factory.mktemp("planted-live")) as server:
        yield server


@pytest.fixture
def lost_kb(tmp_path: Path) -> Iterator[ModelLive]:
    """A server whose knowledge base disappears once it is up (its Chroma collection is deleted under it):
    a question gets past every check and fails only when the answer is being retrieved."""
    assistant = planted_assistant(tmp_path / "kb")
    with server_over(assistant, Settings(data_dir=tmp_path / "srv", ask_rate_per_minute=100_000)) as server:
        server.assistant.store._client.delete_collection(server.assistant.store.name)
        yield server
