"""A real, indexed assistant (bundled corpus, bundled e5 model) on each Chroma backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import unique_name


@pytest.fixture(scope="session")
def embedded_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    assistant = Assistant.from_settings(Settings(data_dir=tmp_path_factory.mktemp("kb-embedded")))
    assistant.ensure_indexed()
    return assistant


@pytest.fixture(scope="session")
def server_assistant(tmp_path_factory: pytest.TempPathFactory, chroma_server_url: str) -> Iterator[Assistant]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("kb-server"), chroma_url=chroma_server_url,
                        knowledge_base=unique_name("kb"))
    assistant = Assistant.from_settings(settings)
    assistant.ensure_indexed()
    yield assistant
    assistant.store.reset()


@pytest.fixture(params=["embedded", "server"])
def assistant(request: pytest.FixtureRequest) -> Assistant:
    return request.getfixturevalue(f"{request.param}_assistant")
