"""Parsing uploads in a worker process, with a hard time limit and a kill switch.

Reading a document (unzipping a .docx, walking HTML, extracting PDF text) and chunking it are pure-Python
CPU work. Done in the server process they hold the GIL, so every teacher's question waits behind a hostile
file, and a thread cannot be stopped. Here they run in a separate process: the parent waits on a pipe, so
questions keep their latency; the loaders' own budgets (blocks, pages, seconds) still apply inside, and the
parent kills the worker outright on cancellation or if it overruns by far. The worker is started once and
reused; a killed or crashed worker is replaced on the next parse.

Run as ``python -m assistant.parsing <read fd> <write fd>``: a plain subprocess rather than
multiprocessing, so the child imports only the loaders and the chunker, never the server's main module.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from assistant.errors import Cancelled
from corpus.documents import DocumentMeta, LoaderError
from corpus.loaders import ParseLimits, load_bytes
from indexer.pipeline import ChunkingOptions, PreparedDocument, prepare_document

HARD_LIMIT_SLACK = 300.0  # seconds beyond the loader's own budget before the worker is killed (chunking a
# 20 MB text legitimately takes a while; this only catches a worker stuck for good)


class ParseCrashed(RuntimeError):
    """The worker process died while parsing (killed by the OS, a crash in a C extension)."""


@dataclass(frozen=True)
class ParseRequest:
    path: str
    filename: str
    doc_id: str
    meta: DocumentMeta
    max_bytes: int
    chunking: ChunkingOptions
    limits: ParseLimits = field(default_factory=ParseLimits)
    fallback_title: str = ""  # the title when ``meta`` gives none and the file has none of its own


def prepare_file(request: ParseRequest) -> PreparedDocument:
    """What the worker does: bytes on disk → a document ready to embed (``LoaderError`` if unusable)."""
    data = Path(request.path).read_bytes()
    doc = load_bytes(data, request.filename, doc_id=request.doc_id, meta=request.meta,
                     max_bytes=request.max_bytes, limits=request.limits, fallback_title=request.fallback_title)
    return prepare_document(doc, request.chunking)


class ParserProcess:
    """One worker process, one parse at a time (uploads queue; questions never do)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._recv: Connection | None = None

    def parse(self, request: ParseRequest, cancelled: Callable[[], bool] = lambda: False) -> PreparedDocument:
        with self._lock:
            send, recv = self._start()
            send.send(request)
            deadline = time.monotonic() + request.limits.max_seconds + HARD_LIMIT_SLACK
            while not recv.poll(0.2):
                if cancelled():
                    self.stop()
                    raise Cancelled("管理员取消了任务")
                if self._proc is None or self._proc.poll() is not None:
                    self.stop()
                    raise ParseCrashed("解析进程意外退出")
                if time.monotonic() > deadline:
                    self.stop()
                    raise LoaderError(f"处理「{request.filename}」超时：解析进程长时间没有完成，已终止")
            try:
                kind, payload = recv.recv()
            except EOFError as exc:
                self.stop()
                raise ParseCrashed("解析进程意外退出") from exc
        if kind == "ok":
            return payload  # type: ignore[no-any-return]
        if kind == "loader":
            raise payload
        raise RuntimeError(payload)

    def _start(self) -> tuple[Connection, Connection]:
        if self._proc is not None and self._proc.poll() is None and self._send and self._recv:
            return self._send, self._recv
        self.stop()
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.parsing", str(to_child_r), str(from_child_w)],
            pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, close_fds=True)
        os.close(to_child_r)
        os.close(from_child_w)
        self._send = Connection(to_child_w, readable=False)
        self._recv = Connection(from_child_r, writable=False)
        return self._send, self._recv

    def stop(self) -> None:
        """Kill the worker (if any); the next parse starts a fresh one."""
        proc, self._proc = self._proc, None
        for conn in (self._send, self._recv):
            if conn is not None:
                conn.close()
        self._send = self._recv = None
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def _serve(recv: Connection, send: Connection) -> None:
    while True:
        try:
            request = recv.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        reply: tuple[str, Any]
        try:
            reply = ("ok", prepare_file(request))
        except LoaderError as exc:
            reply = ("loader", exc)
        except Exception as exc:  # reported to the parent, which fails the job with it
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            send.send(reply)
        except (BrokenPipeError, OSError):
            return


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))
