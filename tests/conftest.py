"""Shared fixtures: a real Chroma server for the whole session, plus small generic helpers.

Store tests run against the server as well as the embedded client because the HTTP client has its own
serialisation and limits; bugs there would otherwise only show up in deployment.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from chromadb.errors import NotFoundError

from assistant.roles import Actor
from assistant.service import Assistant
from assistant.services import Services
from assistant.settings import Settings
from indexer.store import ChunkStore

CHROMA_URL_ENV = "GUOPEI_TEST_CHROMA_URL"
CHROMA_START_TIMEOUT = 60.0


@pytest.fixture(scope="session", autouse=True)
def shared_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One conversion of the default embedder per test session, not one per data directory."""
    path = tmp_path_factory.mktemp("models")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GUOPEI_MODEL_DIR", str(path))
        yield path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unique_name(prefix: str = "t") -> str:
    """A Chroma-valid collection name that no other test (or earlier run on the same server) uses."""
    return f"{prefix}-{uuid.uuid4().hex}"


def _heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def chroma_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a running Chroma server: ``$GUOPEI_TEST_CHROMA_URL`` or one started for this session."""
    external = os.environ.get(CHROMA_URL_ENV)
    if external:
        yield external.rstrip("/")
        return

    chroma = Path(sys.executable).parent / "chroma"
    if not chroma.exists():
        pytest.fail(f"找不到 chroma 可执行文件：{chroma}")
    workdir = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_out = (workdir / "stdout.log").open("wb")
    log_err = (workdir / "stderr.log").open("wb")
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(workdir / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log_out,
        stderr=log_err,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + CHROMA_START_TIMEOUT
        while not _heartbeat(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                log_err.flush()
                log_out.flush()
                err = (workdir / "stderr.log").read_text(errors="replace")[-4000:]
                out = (workdir / "stdout.log").read_text(errors="replace")[-2000:]
                pytest.fail(
                    f"Chroma 服务端未能在 {CHROMA_START_TIMEOUT:.0f} 秒内启动（退出码 {proc.poll()}）：\n"
                    f"stderr:\n{err}\nstdout:\n{out}"
                )
            time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log_out.close()
        log_err.close()


def drop_collection(store: ChunkStore) -> None:
    """Delete a test's collection from the shared Chroma server (it outlives the test session)."""
    with contextlib.suppress(NotFoundError):
        store._client.delete_collection(store.name)


# -- a real, indexed assistant (bundled corpus, bundled e5 model) on each Chroma backend -------------
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
    drop_collection(assistant.store)


@pytest.fixture(params=["embedded", "server"])
def assistant(request: pytest.FixtureRequest) -> Assistant:
    return request.getfixturevalue(f"{request.param}_assistant")


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """The core over an empty data directory of its own: what the resource and library tests upload into."""
    built = Services.from_settings(Settings(data_dir=tmp_path, knowledge_base="services-test"))
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def trainer(services: Services) -> Actor:
    user, _ = services.users.add("培训者", "trainer")
    return Actor("api", str(user.id), role="trainer", user_id=user.id)
