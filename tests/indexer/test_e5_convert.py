"""Conversion of the bundled model: complete or absent, checked on load, redone when damaged.

One real conversion per module; each test works on a copy of it, so damaging files is cheap.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from indexer.embedders import e5_convert
from indexer.embedders.e5_convert import FORMAT, MANIFEST, ensure_converted, load_manifest
from indexer.embedders.e5_onnx import OnnxE5Embeddings
from indexer.embedders.q4_format import bundled_model_path, file_sha256

SOURCE_ID = "test-source"
FILES = {"encoder.onnx", "word_q4.npy", "pos_type.npy", "vocab.txt", "scores.npy", "tokenizer.json"}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("conv") / "model"
    steps: list[tuple[int, int]] = []
    ensure_converted(bundled_model_path(), target, SOURCE_ID, lambda done, total, _: steps.append((done, total)))
    assert steps[-1] == (12, 12)  # the progress callback saw every layer
    return target


@pytest.fixture
def model(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "models" / "model"
    shutil.copytree(pristine, target, copy_function=shutil.copy2)  # copy2 keeps mtimes
    return target


def test_manifest_lists_every_file_with_its_checksum(pristine: Path) -> None:
    manifest = json.loads((pristine / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == FORMAT and manifest["source_id"] == SOURCE_ID
    assert manifest["source_sha256"] == file_sha256(bundled_model_path())
    assert set(manifest["files"]) == FILES
    for name, entry in manifest["files"].items():
        assert (pristine / name).stat().st_size == entry["size"]
        assert file_sha256(pristine / name) == entry["sha256"]
    assert load_manifest(pristine, SOURCE_ID) == manifest
    assert not [p for p in pristine.parent.iterdir() if p.name.startswith(".model.")]  # no staging left


def test_untouched_model_loads_without_hashing(model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_hashing(path: Path) -> str:
        raise AssertionError(f"hashed {path}")

    monkeypatch.setattr(e5_convert, "file_sha256", no_hashing)
    assert load_manifest(model, SOURCE_ID) is not None


def test_copied_model_with_new_mtimes_is_verified_and_accepted(model: Path) -> None:
    for path in model.iterdir():
        os.utime(path, (1_000_000_000, 1_000_000_000))
    assert load_manifest(model, SOURCE_ID) is not None


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "manifest"])
def test_damaged_model_is_detected_and_converted_again(model: Path, damage: str) -> None:
    victim = model / "encoder.onnx"
    if damage == "truncate":
        victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    elif damage == "flip":
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 0xFF
        victim.write_bytes(bytes(data))
    elif damage == "delete":
        victim.unlink()
    else:  # a crash before the manifest was written
        (model / MANIFEST).unlink()
    assert load_manifest(model, SOURCE_ID) is None
    ensure_converted(bundled_model_path(), model, SOURCE_ID)
    manifest = load_manifest(model, SOURCE_ID)
    assert manifest is not None and file_sha256(victim) == manifest["files"]["encoder.onnx"]["sha256"]


def test_conversion_of_another_source_or_format_is_not_reused(model: Path) -> None:
    assert load_manifest(model, "other-source") is None
    manifest = json.loads((model / MANIFEST).read_text(encoding="utf-8"))
    manifest["format"] = FORMAT - 1
    (model / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert load_manifest(model, SOURCE_ID) is None


def test_failed_conversion_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_args: object) -> None:
        raise OSError("磁盘已满")

    monkeypatch.setattr(e5_convert, "_write_files", crash)
    target = tmp_path / "models" / "model"
    with pytest.raises(e5_convert.ConversionError, match="磁盘已满"):
        ensure_converted(bundled_model_path(), target, SOURCE_ID)
    assert not target.exists()
    assert [p.name for p in target.parent.iterdir()] == [".convert.lock"]


def test_embedder_repairs_a_damaged_conversion(pristine: Path, tmp_path: Path) -> None:
    embedder = OnnxE5Embeddings(model=str(tmp_path / "models"))
    shutil.copytree(pristine, embedder.target, copy_function=shutil.copy2)
    manifest = json.loads((embedder.target / MANIFEST).read_text(encoding="utf-8"))
    manifest["source_id"] = embedder.source_id
    (embedder.target / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    (embedder.target / "word_q4.npy").write_bytes(b"\x93NUMPY")  # truncated by a full disk, say
    vector = embedder.embed_query("教师培训学分怎么认定？")
    assert len(vector) == 384
    assert load_manifest(embedder.target, embedder.source_id) is not None
