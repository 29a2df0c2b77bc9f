"""API throughput under concurrent load on 127.0.0.1, beside the same asks made in-process.

The server is a real ``guopei serve`` process started over the same data directory (the evals never
import the API: they only talk HTTP to it), so the in-process run is the baseline and the ratio shows what
HTTP, auth, rate limiting and JSON cost on top of the assistant itself. Load is bounded in both count and
time and only ever targets loopback.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from assistant.services import Services, read_settings
from assistant.usecases.people import People
from evals.metrics import percentile

CLIENTS = 8
MAX_SECONDS = 20.0
START_TIMEOUT = 300.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load(call: Callable[[str], None], questions: Sequence[str], clients: int, per_client: int
          ) -> tuple[float, list[float], int]:
    """(asks/s, latencies ms, errors) for ``clients`` threads each making ``per_client`` calls."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + MAX_SECONDS

    def worker(offset: int) -> None:
        for i in range(per_client):
            if time.monotonic() > deadline:
                return
            start = time.perf_counter()
            try:
                call(questions[(offset + i) % len(questions)])
            except Exception:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)

    threads = [threading.Thread(target=worker, args=(n * 7,)) for n in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - began), latencies, errors[0]


def _wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(timeout=10) as probe:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"API 服务进程已退出（退出码 {proc.returncode}）")
            try:
                if probe.get(f"{base}/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
    raise RuntimeError(f"API 服务未能在 {START_TIMEOUT:.0f} 秒内就绪")


def bench_api(work: Path, questions: Sequence[str], row: Callable[..., Any], clients: int = CLIENTS,
              per_client: int = 25) -> list[Any]:
    data_dir = work / "api"
    settings = read_settings().model_copy(update={"data_dir": data_dir, "ask_rate_per_minute": 100_000})
    core = Services.from_settings(settings)
    core.assistant.ensure_indexed()
    _, token = core.usecases.people.add_user(People.operator(), "bench-admin", "admin")
    port = _free_port()
    env = {**os.environ, "GUOPEI_DATA_DIR": str(data_dir), "GUOPEI_ASK_RATE_PER_MINUTE": "100000"}
    proc = subprocess.Popen([sys.executable, "-m", "channels.cli", "serve", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)
        asker = People.operator()
        for q in questions:  # warm both processes' query embeddings
            core.usecases.asking.ask(asker, q)
            httpx.post(f"{base}/v1/ask", json={"question": q}, headers={"Authorization": f"Bearer {token}"},
                       timeout=120)
        local = threading.local()

        def over_http(q: str) -> None:
            client = getattr(local, "client", None) or httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120)
            local.client = client
            response = client.post("/v1/ask", json={"question": q})
            response.raise_for_status()

        api_rate, api_lat, api_err = _load(over_http, questions, clients, per_client)
        direct_rate, direct_lat, _ = _load(lambda q: core.usecases.asking.ask(asker, q), questions, clients,
                                           per_client)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        core.close()
    return [
        row(f"api: asks/s, {clients} concurrent clients, {api_err} errors (baseline: in-process)", api_rate,
            direct_rate, "higher"),
        row("api: ask p50 under load (ms)", percentile(api_lat, 50) or 0.0, percentile(direct_lat, 50) or 0.0,
            "lower"),
        row("api: ask p95 under load (ms)", percentile(api_lat, 95) or 0.0, percentile(direct_lat, 95) or 0.0,
            "lower"),
    ]
