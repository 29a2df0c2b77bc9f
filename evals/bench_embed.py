"""Embedding speed: every embedder beside an fp32 reference network, and end-to-end indexing of a 50-page PDF.

The reference is a PyTorch fp32 BERT of multilingual-e5-small's shape (12 layers, hidden 384, 12 heads,
FFN 1536; random weights -- speed does not depend on the values) at the same batch size and length:
what a plain framework does with this network on this machine, the practical limit to compare with.
All measurements alternate between the contenders round by round in one process and report medians,
because the two cores are shared and timings drift; ratios are only taken within a run.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from corpus.bundled import bundled_documents
from indexer.embedders.e5_tokenizer import E5Tokenizer
from indexer.normalize import normalize_text

PASSAGE_TOKENS = 134  # engine count: prefix, <s> and </s> included
BATCH = 32


def token_passages(tokenizer: E5Tokenizer, n: int, tokens: int = PASSAGE_TOKENS) -> list[str]:
    """``n`` consecutive cuts of the bundled corpus, each exactly ``tokens`` model tokens long."""
    text = "".join(normalize_text(d.text).replace("\n", "") for d in bundled_documents())
    text *= 1 + n * tokens // max(1, len(tokenizer.encode(text)))
    out, pos = [], 0
    while len(out) < n:
        lo, hi = pos + 1, pos + 8 * tokens
        while lo < hi:  # longest cut that still fits
            mid = (lo + hi + 1) // 2
            if len(tokenizer.encode(text[pos:mid])) + 2 <= tokens:
                lo = mid
            else:
                hi = mid - 1
        out.append(text[pos:lo])
        pos = lo
    return out


def fp32_reference(threads: int) -> Callable[[int, int], None]:
    """``run(batch, length)``: one forward pass plus mean pooling of the fp32 reference network."""
    import torch
    from transformers import BertConfig, BertModel

    torch.set_num_threads(threads)
    config = BertConfig(vocab_size=250037, hidden_size=384, num_hidden_layers=12, num_attention_heads=12,
                        intermediate_size=1536, max_position_embeddings=512, type_vocab_size=1)
    model = BertModel(config, add_pooling_layer=False).eval()
    generator = torch.Generator().manual_seed(0)

    def run(batch: int, length: int) -> None:
        ids = torch.randint(5, 250000, (batch, length), generator=generator)
        mask = torch.ones_like(ids)
        with torch.inference_mode():
            hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
            (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)

    return run


def embedder_throughput(embedders: dict[str, Any], passages: list[str], rounds: int, threads: int
                        ) -> list[dict[str, Any]]:
    """passages/s and tokens/s per embedder and for the fp32 reference, interleaved over ``rounds``."""
    reference = fp32_reference(threads)
    n_tokens = len(passages) * PASSAGE_TOKENS
    contenders: dict[str, Callable[[], None]] = {
        name: (lambda e=e: [e.embed_documents(passages[i : i + BATCH]) for i in range(0, len(passages), BATCH)])
        for name, e in embedders.items()
    }
    contenders["fp32 reference (PyTorch BertModel)"] = lambda: [
        reference(min(BATCH, len(passages) - i), PASSAGE_TOKENS) for i in range(0, len(passages), BATCH)]
    for run in contenders.values():  # warm-up: model loading and first-call allocation are not throughput
        run()
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            start = time.perf_counter()
            run()
            seconds[name].append(time.perf_counter() - start)
    ref_rate = len(passages) / statistics.median(seconds["fp32 reference (PyTorch BertModel)"])
    rows = []
    for name, times in seconds.items():
        rate = len(passages) / statistics.median(times)
        rows.append({"embedder": name, "passages_per_s": rate, "tokens_per_s": rate * n_tokens / len(passages),
                     "vs_fp32_reference": rate / ref_rate, "rounds": [len(passages) / t for t in times]})
    return rows


def write_pdf(path: Path, pool: Sequence[str], pages: int = 50, seed: int = 0) -> Path:
    """A trainer-style policy PDF of ``pages`` A4 pages (Chinese text layer, STSong CID font, no files needed)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    rng = random.Random(seed)
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    lines = ["关于加强中小学教师校本研修与国培计划衔接的实施意见", "示范教师函〔2024〕7号"]
    numerals = "一二三四五六七八九十"
    section = 0
    while len(lines) < pages * 34:
        lines.append(f"{numerals[section % 10]}、第{section + 1}部分 重点任务")
        for sub in range(rng.randint(2, 4)):
            lines.append(f"（{numerals[sub]}）具体要求")
            paragraph = "".join(rng.choice(pool) for _ in range(rng.randint(3, 6)))
            lines += [paragraph[i : i + 32] for i in range(0, len(paragraph), 32)]
        section += 1
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        pdf.setFont("STSong-Light", 13)
        for row, line in enumerate(lines[page * 34 : (page + 1) * 34]):
            pdf.drawString(60, 800 - 22 * row, line)
        pdf.showPage()
    pdf.save()
    return path


def index_throughput(index_ours: Callable[[int], int], index_baseline: Callable[[int], int], rounds: int
                     ) -> tuple[float, float, int, int]:
    """Median (ours chunks/s, baseline chunks/s) over ``rounds`` alternating runs, each into a fresh store
    (the callables get the round number), and the chunk counts."""
    ours_rates, base_rates, counts = [], [], (0, 0)
    for r in range(rounds):
        start = time.perf_counter()
        ours = index_ours(r)
        ours_rates.append(ours / (time.perf_counter() - start))
        start = time.perf_counter()
        base = index_baseline(r)
        base_rates.append(base / (time.perf_counter() - start))
        counts = (ours, base)
    return statistics.median(ours_rates), statistics.median(base_rates), *counts
