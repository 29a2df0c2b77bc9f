"""Scoring for the evaluation runner: pure functions over plain dicts, no I/O.

Everything compares text after removing all whitespace, because the source notice has hard line breaks
inside sentences and a chunker may or may not keep them; a span must match regardless of where the
breaks fell. Matching is deliberately lenient (half of a span, contiguous, is enough) so that chunk
boundaries cutting through an evidence sentence still count as a hit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from statistics import fmean
from typing import Any

from assistant.answering import HEDGE_NOTE
from corpus.text import fold_width

RECALL_KS = (1, 3, 5)
MRR_K = 10
HIT_CHARS = (400, 1000)
MIN_SENTENCE_CHARS = 6

_WS = re.compile(r"\s+")
_SENTENCE_SPLIT = re.compile(r"[。！？；!?\n]")
_CITATION_MARK = re.compile(r"\[\d+(?:\s*[,，、-]\s*\d+)*\]|【\d+】|\(\d+\)|（\d+）")
_QUOTES = re.compile(r"[“”‘’\"'「」『』]")
# Lead-ins an answer wraps around quoted evidence, e.g. 根据《…》（教师函〔2021〕4号）「三、… > （二）…」：
# They are the assistant's attribution, not claims, so they must not count against faithfulness. Matched
# before quote marks are dropped, because the 「section」 part may itself contain commas.
_SOURCE = r"(?:《[^》]*》|知识库|资料|该?文件|该?通知|上述文件)"
_LEAD_INS = (
    re.compile(rf"^(?:根据|依据|据){_SOURCE}(?:（[^）]*）)?(?:「[^」]*」)?[^，,：:「」]{{0,20}}[，,：:]"),
    re.compile(rf"^(?:原文|{_SOURCE})(?:中)?(?:规定|指出|提出|要求|明确|写道|表示)[，,：:]?"),
    re.compile(r"^(?:相关|具体)?(?:原文|内容|规定)(?:如下|是)[，,：:]"),
    re.compile(r"^(?:需要更正|更正|注意|提示|说明)[，,：:]"),
)


def normalize(s: str) -> str:
    """Drop all whitespace so hard line breaks in the source never decide a match."""
    return _WS.sub("", s)


def longest_common_substring(a: str, b: str) -> int:
    """Length of the longest common contiguous run; O(len(a)·len(b)) time, O(len(b)) memory."""
    if not a or not b:
        return 0
    if len(b) > len(a):
        a, b = b, a
    prev = [0] * (len(b) + 1)
    best = 0
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                v = prev[j - 1] + 1
                cur[j] = v
                if v > best:
                    best = v
        prev = cur
    return best


def has_common_run(text: str, span: str, length: int) -> bool:
    """Whether some ``length``-char window of ``span`` occurs in ``text`` (⟺ LCS ≥ length).

    Scanning windows with ``str.__contains__`` runs in C and beats the DP by ~100x on these sizes.
    """
    if length <= 0:
        return True
    return any(span[i : i + length] in text for i in range(len(span) - length + 1))


def covers(text: str, span: str) -> bool:
    """True if ``text`` holds ``span`` or a contiguous run of at least half of it (rounded up)."""
    t, s = normalize(text), normalize(span)
    if not s:
        return False
    return s in t or has_common_run(t, s, math.ceil(len(s) / 2))


def covers_any(text: str, spans: Iterable[str]) -> bool:
    return any(covers(text, s) for s in spans)


# --- retrieval ---------------------------------------------------------------------------------------


def first_hit_rank(retrieved: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first chunk covering any evidence span; None when nothing does."""
    if not evidence:
        return None
    for rank, text in enumerate(retrieved, 1):
        if covers_any(text, evidence):
            return rank
    return None


def recall_at_k(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def mrr_at_k(rank: int | None, k: int = MRR_K) -> float:
    return 1.0 / rank if rank is not None and rank <= k else 0.0


def hit_within_chars(retrieved: Sequence[str], evidence: Sequence[str], n: int) -> bool:
    """Would a reader who only sees the first ``n`` characters of the ranked context find the evidence?"""
    prefix = "".join(normalize(t) for t in retrieved)[:n]
    return covers_any(prefix, evidence)


def retrieval_metrics(retrieved: Sequence[str], evidence: Sequence[str]) -> dict[str, Any]:
    rank = first_hit_rank(retrieved, evidence)
    out: dict[str, Any] = {"first_hit_rank": rank}
    for k in RECALL_KS:
        out[f"recall@{k}"] = recall_at_k(rank, k)
    out[f"mrr@{MRR_K}"] = mrr_at_k(rank, MRR_K)
    for n in HIT_CHARS:
        out[f"hit@{n}chars"] = 1.0 if hit_within_chars(retrieved, evidence, n) else 0.0
    return out


# --- answers -----------------------------------------------------------------------------------------


def must_include_coverage(answer: str, must_include: Sequence[str]) -> float | None:
    if not must_include:
        return None
    a = fold_width(normalize(answer))
    return sum(fold_width(normalize(m)) in a for m in must_include) / len(must_include)


def citation_precision(
    citation_texts: Sequence[str], evidence: Sequence[str], answerable: bool
) -> float | None:
    if not answerable or not citation_texts or not evidence:
        return None
    return sum(covers_any(t, evidence) for t in citation_texts) / len(citation_texts)


def answer_sentences(answer: str) -> list[str]:
    """Claim-bearing sentences: citation markers, quote marks and boilerplate lead-ins removed (and the
    caveat a hedged answer opens with, which is about the quote, not about policy)."""
    out = []
    for raw in _SENTENCE_SPLIT.split(answer.replace(HEDGE_NOTE, "")):
        s = _CITATION_MARK.sub("", normalize(raw))
        for lead in _LEAD_INS:
            s = lead.sub("", s, count=1)
        s = _QUOTES.sub("", s)
        if len(s) >= MIN_SENTENCE_CHARS:
            out.append(s)
    return out


def faithfulness(answer: str, citation_texts: Sequence[str]) -> float | None:
    """Share of answer sentences backed by a cited text; None when the answer makes no checkable claim."""
    sentences = answer_sentences(answer)
    if not sentences:
        return None
    return sum(any(covers(c, s) for c in citation_texts) for s in sentences) / len(sentences)


_MARKER = re.compile(r"\[(\d+)\]")
_TITLE = re.compile(r"《([^《》]{2,120})》")


def attribution_problems(answer: str, citations: Sequence[dict[str, Any]],
                         cited_chunks: dict[str, str]) -> list[str]:
    """Why an answer's attribution is wrong; empty when every quote is where its marker says.

    Each ``[n]`` must name a citation, and the quote it closes (the text since the previous marker or line
    break, or the last 「…」 before it) must appear verbatim, up to whitespace, in the chunk citation ``n``
    was taken from; every citation's own quoted span must be in its chunk; and every document named as
    《title》 outside the quotes must be one the answer cites.
    """
    problems: list[str] = []
    by_marker = {int(c["marker"]): c for c in citations if c.get("marker") is not None}
    chunk_of = {m: normalize(cited_chunks.get(str(c.get("chunk_id")), "")) for m, c in by_marker.items()}
    prose, pos = [], 0
    for m in _MARKER.finditer(answer):
        segment = answer[pos:m.start()]
        pos = m.end()
        marker = int(m.group(1))
        if marker not in by_marker:
            problems.append(f"[{marker}] names no citation")
            continue
        head, quote = segment, segment
        if segment.rstrip().endswith("」") and "「" in segment:
            cut = segment.rindex("「")
            head, quote = segment[:cut], segment[cut + 1:segment.rstrip().rindex("」")]
        elif "\n" in segment:
            cut = segment.rindex("\n")
            head, quote = segment[:cut], segment[cut + 1:]
        else:
            head, quote = "", segment
        prose.append(head)
        if not normalize(quote) or normalize(quote) not in chunk_of[marker]:
            problems.append(f"[{marker}] quote not in its chunk: {quote.strip()[:40]}")
    prose.append(answer[pos:])
    for marker, c in by_marker.items():
        for piece in str(c.get("text", "")).split("……"):
            if normalize(piece) and normalize(piece) not in chunk_of[marker]:
                problems.append(f"citation [{marker}] text not in its chunk: {piece.strip()[:40]}")
    cited_titles = {normalize(str(c.get("title", ""))) for c in citations}
    for title in _TITLE.findall("".join(prose)):
        if normalize(title) not in cited_titles:
            problems.append(f"names 《{title[:30]}》 without citing it")
    return problems


def abstention_correct(answerable: bool, abstained: bool) -> bool:
    return answerable != abstained


# --- aggregation -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile: always an observed value, no interpolation."""
    if not values:
        return None
    ordered = sorted(values)
    idx = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(idx, len(ordered)) - 1]


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return fmean(vals) if vals else None


def score_item(r: dict[str, Any]) -> dict[str, Any]:
    """All per-item scores; retrieval ones are None for unanswerable items."""
    texts = [c["text"] for c in r.get("retrieved", [])]
    cited = [c["text"] for c in r.get("citations", [])]
    answerable, abstained = bool(r["answerable"]), bool(r["abstained"])
    out: dict[str, Any] = {"abstention_correct": abstention_correct(answerable, abstained)}
    ret = retrieval_metrics(texts, r["evidence"]) if answerable else {}
    out.update(ret)
    answered = answerable and not abstained
    out["must_include"] = must_include_coverage(r.get("answer", ""), r["must_include"]) if answered else None
    out["citation_precision"] = citation_precision(cited, r["evidence"], answerable) if answered else None
    out["faithfulness"] = faithfulness(r.get("answer", ""), cited) if answered else None
    has_quotes = bool(r.get("citations")) and "cited_chunks" in r
    out["attribution"] = (not attribution_problems(r.get("answer", ""), r["citations"], r["cited_chunks"])
                          if has_quotes else None)
    return out


HEADLINE_KEYS = ("n", "n_answerable", "n_unanswerable", "recall@1", "hit@400chars", "must_include",
                 "citation_precision", "attribution", "answered_rate_answerable", "abstained_rate_unanswerable",
                 "hedged_rate_answerable", "hedged_rate_unanswerable_answered")


def summarize(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate per-item results into the numbers a run is judged by, overall and per split."""
    summary = _aggregate(results)
    splits = sorted({str(r.get("split") or "") for r in results} - {""})
    summary["by_split"] = {sp: {k: v for k, v in _aggregate([r for r in results if r.get("split") == sp]).items()
                                if k in HEADLINE_KEYS} for sp in splits}
    sets = sorted({str(r.get("dataset") or "") for r in results} - {""})
    if len(sets) > 1:
        summary["by_dataset"] = {d: {k: v for k, v in _aggregate([r for r in results if r.get("dataset") == d]).items()
                                     if k in HEADLINE_KEYS} for d in sets}
    return summary


def _aggregate(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    scored = [(r, score_item(r)) for r in results]
    ans = [(r, s) for r, s in scored if r["answerable"]]
    unans = [(r, s) for r, s in scored if not r["answerable"]]
    answered = [(r, s) for r, s in ans if not r["abstained"]]
    latencies = [float(r["latency_ms"]) for r in results if r.get("latency_ms") is not None]

    summary: dict[str, Any] = {"n": len(results), "n_answerable": len(ans), "n_unanswerable": len(unans)}
    for key in [*(f"recall@{k}" for k in RECALL_KS), f"mrr@{MRR_K}", *(f"hit@{n}chars" for n in HIT_CHARS)]:
        summary[key] = _mean(s[key] for _, s in ans)
    for key in ("must_include", "citation_precision", "faithfulness"):
        summary[key] = _mean(s[key] for _, s in answered)
    summary["attribution"] = _mean(float(s["attribution"]) for _, s in scored if s["attribution"] is not None)
    summary["attribution_failures"] = sorted(r["id"] for r, s in scored if s["attribution"] is False)
    summary["abstention_accuracy"] = _mean(float(s["abstention_correct"]) for _, s in scored)
    summary["answered_rate_answerable"] = _mean(0.0 if r["abstained"] else 1.0 for r, _ in ans)
    summary["abstained_rate_unanswerable"] = _mean(1.0 if r["abstained"] else 0.0 for r, _ in unans)
    # Of the answers given, how many open with the caveat: wanted on unanswerable questions, a cost on the rest.
    summary["hedged_rate_answerable"] = _mean(float(bool(r.get("hedged"))) for r, _ in ans if not r["abstained"])
    summary["hedged_rate_unanswerable_answered"] = _mean(float(bool(r.get("hedged"))) for r, _ in unans
                                                         if not r["abstained"])
    summary["latency_p50_ms"] = percentile(latencies, 50)
    summary["latency_p95_ms"] = percentile(latencies, 95)

    by_category: dict[str, dict[str, Any]] = {}
    for cat in sorted({r.get("category", "") for r in results}):
        group = [(r, s) for r, s in scored if r.get("category", "") == cat]
        by_category[cat] = {
            "n": len(group),
            "recall@1": _mean(s["recall@1"] for r, s in group if r["answerable"]),
            "abstention_accuracy": _mean(float(s["abstention_correct"]) for _, s in group),
        }
    summary["by_category"] = by_category

    by_section: dict[str, dict[str, Any]] = {}
    for sec in sorted({r.get("section") or "" for r, _ in ans} - {""}):
        group = [s for r, s in ans if r.get("section") == sec]
        by_section[sec] = {"n": len(group), "recall@1": _mean(s["recall@1"] for s in group)}
    summary["by_section"] = by_section
    return summary
