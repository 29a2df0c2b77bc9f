"""The shipped corpus must load cleanly and carry exact citation metadata."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.bundled import BUNDLED_DIR, MANIFEST_PATH, bundled_documents, load_manifest
from corpus.documents import LoaderError


def test_seed_notice_loads_with_manifest_meta() -> None:
    docs = {doc.doc_id: doc for doc in bundled_documents()}
    notice = docs["jiaoshihan-2021-4"]
    assert notice.meta.title == "教育部 财政部关于实施中小学幼儿园教师国家级培训计划（2021—2025年）的通知"
    assert notice.meta.doc_number == "教师函〔2021〕4号"
    assert notice.meta.issuers == ("教育部", "财政部")
    assert notice.meta.year == 2021
    assert notice.meta.kind == "policy"
    assert notice.meta.tags == ("国培计划",)
    assert notice.meta.source == "policy/jiaoshihan-2021-4.txt"
    assert "\r" not in notice.text
    assert "一、基本思路" in notice.text.split("\n")  # numbered headings survive as their own lines


def test_every_bundled_file_is_in_the_manifest() -> None:
    listed = {entry["path"] for entry in load_manifest()}
    on_disk = {
        path.relative_to(BUNDLED_DIR).as_posix()
        for path in BUNDLED_DIR.rglob("*")
        if path.is_file() and path != MANIFEST_PATH
    }
    assert listed == on_disk


def test_bundled_metadata_is_chroma_compatible() -> None:
    for doc in bundled_documents():
        for value in doc.meta.as_metadata().values():
            assert isinstance(value, str | int)


def _write_manifest(tmp_path: Path, entries: object) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"doc_id": "x"}, "应为列表"),
        ([{"doc_id": "a", "path": "a.txt"}], "缺少字段：title"),
        ([{"doc_id": "a", "path": "a.txt", "title": "A"}] * 2, "重复"),
        ([{"doc_id": "a", "path": "../escape.txt", "title": "A"}], "超出资料目录"),
    ],
)
def test_broken_manifest_is_refused(tmp_path: Path, entries: object, message: str) -> None:
    with pytest.raises(LoaderError, match=message):
        load_manifest(_write_manifest(tmp_path, entries))
