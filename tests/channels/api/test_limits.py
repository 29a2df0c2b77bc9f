"""Request bodies on a live server: the token is checked before any body byte is read, JSON bodies are
capped without being buffered, and JSON the encoder could not echo back (NaN, lone surrogates) is a 422."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.channels.api.conftest import Live

BIG = 200 * 1024 * 1024  # what the probe sent: 200 MB used to cost the server +600 MB of memory
JSON_ROUTES = [("POST", "/v1/ask"), ("POST", "/v1/ask/stream"), ("POST", "/v1/search"), ("POST", "/v1/quiz"),
               ("PUT", "/v1/me/plan"), ("POST", "/v1/feedback"), ("POST", "/v1/tasks/0000000000000000/answer"), ("POST", "/v1/evals")]


def _rss_kb() -> int:
    """Resident memory of this process, which is also the server's: ``live`` runs uvicorn in a thread."""
    with open("/proc/self/status", encoding="ascii") as status:
        return int(next(line for line in status if line.startswith("VmRSS:")).split()[1])


def _head_only(live: Live, method: str, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Send the request line and headers, never the body; the server must answer anyway."""
    host, port = live.base.removeprefix("http://").split(":")
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"] + [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        try:
            while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except TimeoutError:
            pytest.fail(f"{method} {path}: 服务器在等待请求体，没有先检查令牌或声明的长度")
    head, body = data.split(b"\r\n\r\n", 1)
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = {k.lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines)}
    return int(status_line.split()[1]), parsed, body


def _length(data: bytes) -> int:
    m = re.search(rb"content-length:\s*(\d+)", data.split(b"\r\n\r\n", 1)[0], re.IGNORECASE)
    return int(m.group(1)) if m else 0


@pytest.mark.parametrize(("method", "path"), [*JSON_ROUTES, ("POST", "/v1/resources")])
@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_missing_or_bad_token_is_401_before_any_body_is_read(live: Live, method: str, path: str,
                                                              token: str | None) -> None:
    headers = {"Content-Type": "application/json", "Content-Length": str(BIG)}
    for chunked in (False, True):  # a declared length, and a chunked body that never starts
        if chunked:
            headers = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        status, response_headers, body = _head_only(live, method, path, headers)
        assert status == 401, body
        assert response_headers["www-authenticate"] == "Bearer"
        assert re.search(r"[\u4e00-\u9fff]", json.loads(body)["detail"])


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES)
def test_declared_oversized_json_is_413_before_its_body(live: Live, method: str, path: str) -> None:
    cap = live.services.settings.json_max_bytes
    headers = {"Authorization": f"Bearer {live.tokens['admin']}", "Content-Type": "application/json",
               "Content-Length": str(cap + 1)}
    status, _, body = _head_only(live, method, path, headers)
    assert status == 413, body
    assert json.loads(body)["detail"] == f"请求体过大：上限为 {cap // 1024} KB"


def test_oversized_chunked_json_is_cut_off_without_buffering(live: Live) -> None:
    """50 MB of JSON sent in 1 MB chunks without a length: refused at the cap, memory stays flat."""
    size, chunk = 50 * 1024 * 1024, b'{"question": "' + b"a" * (1024 * 1024 - 14)
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        while sent < size:
            sent += len(chunk)
            yield chunk

    peak, stop = [_rss_kb()], threading.Event()
    baseline = peak[0]

    def sample() -> None:
        while not stop.is_set():
            peak.append(_rss_kb())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        with live.client("teacher") as teacher:
            resp = teacher.post("/v1/ask", content=body(), headers={"Content-Type": "application/json"})
    except httpx.TransportError:
        pytest.fail("服务器未返回 413 就断开了连接")
    finally:
        stop.set()
        sampler.join()
    grown_mb = (max(peak) - baseline) / 1024
    print(f"\n50 MB chunked JSON: {resp.status_code}, client sent {sent / 2**20:.0f} MB, peak RSS +{grown_mb:.1f} MB")
    assert resp.status_code == 413, resp.text
    assert "请求体过大" in resp.json()["detail"]
    assert grown_mb < 16, f"RSS grew by {grown_mb:.1f} MB"


def test_json_just_under_the_cap_is_served(live: Live) -> None:
    cap = live.services.settings.json_max_bytes
    turns = [{"role": "assistant", "content": "国培计划" * 900}] * 2  # 43 KB of \u-escaped history
    payload = json.dumps({"question": "国培计划的培训经费如何保障？", "history": turns}).encode()
    assert cap // 2 < len(payload) < cap
    with live.client("teacher") as teacher:
        resp = teacher.post("/v1/ask", content=payload, headers={"Content-Type": "application/json"})
    assert resp.status_code == 200, resp.text
