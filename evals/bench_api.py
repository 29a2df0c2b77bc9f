"""API throughput under concurrent load on 127.0.0.1, beside the same asks made in-process.

The in-process run is the baseline: the ratio shows what HTTP, auth, rate limiting and JSON cost on top of
the assistant itself. Load is bounded in both count and time and only ever targets loopback.
"""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from assistant.api.app import create_app
from assistant.settings import Settings

CLIENTS = 8
MAX_SECONDS = 20.0


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


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else 0.0)


def bench_api(work: Path, questions: Sequence[str], row: Callable[..., Any], clients: int = CLIENTS,
              per_client: int = 25) -> list[Any]:
    settings = Settings(data_dir=work / "api", ask_rate_per_minute=100_000)
    app = create_app(settings)
    token = app.state.users.add("bench-admin", "admin")[1]
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=120) as probe:
            for _ in range(600):
                try:
                    if probe.get(f"{base}/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.5)
        assistant = app.state.assistant
        for q in questions:  # warm both paths' query embeddings
            assistant.ask(q)
        local = threading.local()

        def over_http(q: str) -> None:
            client = getattr(local, "client", None) or httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120)
            local.client = client
            response = client.post("/v1/ask", json={"question": q})
            response.raise_for_status()

        api_rate, api_lat, api_err = _load(over_http, questions, clients, per_client)
        direct_rate, direct_lat, _ = _load(assistant.ask, questions, clients, per_client)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    return [
        row(f"api: asks/s, {clients} concurrent clients, {api_err} errors (baseline: in-process)", api_rate,
            direct_rate, "higher"),
        row("api: ask p50 under load (ms)", statistics.median(api_lat), statistics.median(direct_lat), "lower"),
        row("api: ask p95 under load (ms)", _p95(api_lat), _p95(direct_lat), "lower"),
    ]
