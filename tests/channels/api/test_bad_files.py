"""Kinds of bad upload: each gets a 4xx with a Chinese message, and the knowledge base is untouched."""

from __future__ import annotations

import gzip
import io
import os
import re
import socket
import time
import zipfile
from collections.abc import Callable

import httpx
import pytest
from pypdf import PdfWriter

from tests.channels.api.conftest import Live
from tests.corpus.test_loaders import _docx_with_body

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ZeroStream(io.RawIOBase):
    """``size`` bytes produced on demand and not seekable, so httpx streams them (chunked, no length)."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.left)
        buffer[:n] = b"a" * n
        self.left -= n
        return n


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _pdf(password: str | None = None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


BAD: dict[str, tuple[str, Callable[[], bytes]]] = {
    "corrupt-docx": ("方案.docx", lambda: b"PK\x03\x04" + os.urandom(2000)),
    "zip-bomb-docx": ("炸弹.docx", lambda: _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"0" * 30_000_000})),
    "zip-not-docx": ("压缩包.docx", lambda: _zip({"readme.txt": "你好".encode()})),
    "encrypted-pdf": ("加密.pdf", lambda: _pdf("secret")),
    "pdf-no-text": ("扫描件.pdf", lambda: _pdf()),
    "truncated-pdf": ("残缺.pdf", lambda: b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"),
    "random-named-pdf": ("随机.pdf", lambda: os.urandom(4096)),
    "binary-named-txt": ("二进制.txt", lambda: os.urandom(4096)),
    "png-named-txt": ("图片.txt", lambda: b"\x89PNG\r\n\x1a\n" + os.urandom(2048)),
    "gzip-named-txt": ("压缩.txt", lambda: gzip.compress(os.urandom(1024))),
    "nul-laden-txt": ("空字符.txt", lambda: b"abc\x00\x00\x00\x01\x02" * 200),
    "empty": ("空.txt", lambda: b""),
    "whitespace-md": ("空白.md", lambda: b"   \n\n\t  \n"),
    "exe": ("setup.exe", lambda: b"MZ\x90\x00\x03" + os.urandom(1024)),
    "no-extension": ("README", lambda: "国培计划说明".encode()),
    "xlsx": ("表格.xlsx", lambda: _zip({"xl/workbook.xml": b"<workbook/>"})),
    "html-only-script": ("页面.html", lambda: b"<html><head><script>alert(1)</script></head>"
                         b"<body><script>document.write('x')</script></body></html>"),
    "legacy-doc": ("旧版.doc", lambda: OLE2 + os.urandom(4096)),
    "encrypted-office-docx": ("加密.docx", lambda: OLE2 + os.urandom(4096)),
    "paragraph-flood-docx": ("段落洪水.docx", lambda: _docx_with_body(b"<w:p/>" * 250_000 + b"<w:p><w:r><w:t>x</w:t></w:r></w:p>")),
    "deep-html": ("深.html", lambda: b"<html><body>" + b"<b>" * 250_000 + b"x</body></html>"),
}
EXPECTED = {"exe": 415, "no-extension": 415, "xlsx": 415, "legacy-doc": 415}


@pytest.fixture(scope="module")
def baseline(live: Live) -> tuple[int, int]:
    with live.client("admin") as admin:
        return live.assistant.store.count(), len(admin.get("/v1/resources").json())


def _chinese(detail: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", detail))


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_file_is_refused(live: Live, baseline: tuple[int, int], case: str) -> None:
    name, make = BAD[case]
    with live.client("trainer") as trainer:
        resp = trainer.post("/v1/resources", files={"file": (name, make(), "application/octet-stream")})
        if resp.status_code == 202:  # too big to parse in the request: the background job must fail, saying why
            _background_failure(trainer, resp.json())
            return
    assert resp.status_code in (413, 415, 422), (case, resp.status_code, resp.text)
    if case in EXPECTED:
        assert resp.status_code == EXPECTED[case], resp.text
    assert _chinese(resp.json()["detail"]), resp.text


def _background_failure(trainer: httpx.Client, body: dict[str, object]) -> None:
    """A refused background upload: the job ends failed with a Chinese reason, the row says so and has no
    searchable chunk, and deleting it removes every trace."""
    deadline = time.monotonic() + 60
    while (job := trainer.get(str(body["status_url"])).json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    assert job["status"] == "failed" and _chinese(job["error"] or ""), job
    row = trainer.get(f"/v1/resources/{body['id']}").json()
    assert row["status"] == "failed" and _chinese(row["error"]), row
    assert trainer.get(f"/v1/resources/{body['id']}/chunks").json() == []
    assert trainer.delete(f"/v1/resources/{body['id']}").status_code == 200


def test_small_docx_of_100k_empty_paragraphs_is_indexed_in_seconds(live: Live, baseline: tuple[int, int]) -> None:
    """37 KB that used to pin a core for minutes inside the upload request."""
    data = _docx_with_body(b"<w:p/>" * 100_000 + "<w:p><w:r><w:t>柳溪镇青年教师每学期赛课一次。</w:t></w:r></w:p>".encode())
    with live.client("trainer") as trainer:
        start = time.perf_counter()
        resp = trainer.post("/v1/resources", files={"file": ("空段落.docx", data, "application/octet-stream")})
        seconds = time.perf_counter() - start
        assert resp.status_code == 201, resp.text
        assert trainer.delete(f"/v1/resources/{resp.json()['id']}").status_code == 200
    assert seconds < 15, f"{seconds:.1f}s"


def test_a_text_file_named_pdf_is_indexed_as_the_text_it_is(live: Live, baseline: tuple[int, int]) -> None:
    """Its type is judged by content: it used to be refused as a damaged PDF."""
    data = "柳溪镇教师研修说明\n这其实是文本文件，不是PDF。柳溪镇青年教师每学期赛课两次。\n".encode()
    with live.client("trainer") as trainer:
        resp = trainer.post("/v1/resources", files={"file": ("fake.pdf", data, "application/pdf")})
        assert resp.status_code == 201, resp.text
        chunks = trainer.get(f"/v1/resources/{resp.json()['id']}/chunks").json()
        assert "赛课两次" in "".join(c["text"] for c in chunks)
        assert trainer.delete(f"/v1/resources/{resp.json()['id']}").status_code == 200


def test_over_cap_upload_is_cut_off_while_streaming(live: Live, baseline: tuple[int, int]) -> None:
    """21 MB against a 20 MB cap, sent without Content-Length: the server stops reading at the cap."""
    size = 21 * 1024 * 1024
    with live.client("trainer", timeout=60) as trainer:
        try:
            resp = trainer.post("/v1/resources", files={"file": ("大文件.txt", ZeroStream(size), "text/plain")})
        except httpx.TransportError:  # the server may close mid-upload; then check it said why first
            pytest.fail("服务器未返回 413 就断开了连接")
        assert resp.status_code == 413, resp.text
        assert "过大" in resp.json()["detail"]
    # A declared length over the cap is answered before any of the body is sent.
    host, port = live.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall((f"POST /v1/resources HTTP/1.1\r\nHost: {host}\r\n"
                      f"Authorization: Bearer {live.tokens['trainer']}\r\n"
                      f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {size}\r\n\r\n").encode())
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert b" 413 " in status_line


def test_replace_with_bad_file_keeps_current_version(live: Live, baseline: tuple[int, int]) -> None:
    with live.client("trainer") as trainer:
        rid = trainer.post("/v1/resources", files={"file": ("好文件.txt", "柳溪镇每学期举行一次青年教师赛课。".encode(),
                                                             "text/plain")}).json()["id"]
        before = trainer.get(f"/v1/resources/{rid}/chunks").json()
        bad = trainer.put(f"/v1/resources/{rid}", files={"file": ("坏.docx", b"PK\x03\x04garbage", "x/y")})
        assert bad.status_code == 422
        assert trainer.get(f"/v1/resources/{rid}/chunks").json() == before
        assert trainer.get(f"/v1/resources/{rid}").json()["version"] == 1
        assert trainer.delete(f"/v1/resources/{rid}").status_code == 200


def test_knowledge_base_unchanged_after_all_bad_files(live: Live, baseline: tuple[int, int]) -> None:
    with live.client("admin") as admin:
        rows = admin.get("/v1/resources").json()
    assert live.assistant.store.count() == baseline[0]
    assert len(rows) == baseline[1]
