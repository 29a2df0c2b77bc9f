from pathlib import Path

import numpy as np
import pytest

from evals.sentence_vectors import ComposedChunks, PooledSentences, Standalone, main
from indexer.embedders.e5_onnx import OnnxE5Embeddings

CHUNK = "参训教师返回本校开展校本实践，时间不少于2个月。学校应为参训教师上研究课提供条件。"
FIRST, SECOND = "参训教师返回本校开展校本实践，时间不少于2个月。", "学校应为参训教师上研究课提供条件。"


@pytest.fixture(scope="module")
def base(shared_model_dir: Path) -> OnnxE5Embeddings:
    return OnnxE5Embeddings(model=str(shared_model_dir))


def _cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_pooled_sentences_come_from_the_chunk_pass(base: OnnxE5Embeddings) -> None:
    pooled = PooledSentences(base)
    chunk, first, second = pooled.embed_documents([CHUNK, FIRST, SECOND])
    alone = base.embed_documents([CHUNK, FIRST, SECOND])
    assert _cos(chunk, alone[0]) > 0.999  # the chunk's own vector is unchanged
    # A pooled sentence carries its chunk's context: nearer the chunk than the sentence read alone is, and
    # no longer its standalone vector (which is why the reranker loses by it).
    for pooled_vector, own in ((first, alone[1]), (second, alone[2])):
        assert _cos(pooled_vector, chunk) > _cos(own, chunk)
        assert 0.8 < _cos(pooled_vector, own) < 0.999
    assert _cos(first, second) < 0.999
    tokens = pooled.tokens
    assert pooled.embed_documents([FIRST]) == [first] and pooled.tokens == tokens  # kept for the reranker


def test_composed_chunk_is_the_weighted_mean_of_its_sentences(base: OnnxE5Embeddings) -> None:
    composed = ComposedChunks(base)
    chunk, first = composed.embed_documents([CHUNK, FIRST])
    alone = base.embed_documents([FIRST, SECOND])
    assert _cos(first, alone[0]) > 0.9999
    assert abs(np.linalg.norm(chunk) - 1.0) < 1e-5
    assert _cos(chunk, alone[0]) > 0.9 and _cos(chunk, alone[1]) > 0.9
    encode = base.runtime().tokenizer.encode
    assert composed.tokens == len(encode(FIRST)) + len(encode(SECOND))  # the chunk costs no pass of its own


def test_standalone_counts_each_text_once(base: OnnxE5Embeddings) -> None:
    standalone = Standalone(base)
    standalone.embed_documents([CHUNK, FIRST])
    once = standalone.tokens
    standalone.embed_documents([FIRST])
    assert once > 0 and standalone.tokens == once


def test_unknown_strategy_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--strategies", "pooled,magic"])
    assert "未知的策略：magic" in capsys.readouterr().err
