"""Fit the support threshold of the post-check on the dev split (``assistant.llm.support``).

A generated sentence is kept only if a passage it cites supports it; the threshold decides how much
support is enough. It is fitted on pairs made from the dev split of the eval sets, where the questions
were written by people who had not read the documents, so they paraphrase rather than quote:

- supported: the question turned into a statement by putting its required content (``must_include``) in
  place of the question word (学校每年要拿出多少经费 → 学校每年要拿出5%经费), paired with the retrieved
  passage that holds the question's evidence;
- supported: an evidence span, reworded (function words swapped, clauses trimmed), with the same passage;
- unsupported: the same statement paired with the best-ranked passage that does not hold the evidence
  (same topic, other rule: the hard case);
- unsupported: an unanswerable question (the documents do not state it) turned into a statement, with its
  best-ranked passage.

The threshold maximises balanced accuracy on dev; the same pairs built from the test split are scored at
that threshold as a held-out check and never used to choose it. ``python -m evals.calibrate_support``
prints both, and the value goes into ``SUPPORT_THRESHOLD``.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from corpus.text import CJK
from evals.dataset import DATASETS_DIR, EVAL_SETS, load_dataset, select_split
from evals.metrics import covers_any

_WH = re.compile(r"(多少[钱个天年人次学时学分]*|几[个天年次项门周]*|什么时候|什么|哪些|哪个|哪里|哪儿|哪|怎么样|怎样|如何|怎么|为什么|为啥|谁)")
_TAIL = re.compile(r"[吗呢吧啊？?！!。\s]+$")
_REWORD = (("应当", "应该"), ("要求", "规定"), ("开展", "进行"), ("加强", "强化"), ("建立", "建设"),
           ("进一步", ""), ("切实", ""), ("各地", "各地方"), ("及时", "尽快"), ("组织", "安排"))


def statement(question: str, content: Sequence[str]) -> str | None:
    """The question as a claim with ``content`` where the question word was; None for non-Chinese."""
    q = _TAIL.sub("", question.split("？")[0] if "？" in question[:-1] else question)
    if len(CJK.findall(q)) < 4:
        return None
    filler = "、".join(content)
    if _WH.search(q):
        return _WH.sub(filler, q, count=1) + "。"
    return f"{q}，{filler}。" if filler else f"{q}。"


def reword(span: str) -> str:
    out = span.strip()
    for a, b in _REWORD:
        out = out.replace(a, b)
    parts = re.split(r"[，,]", out)
    return ("，".join(parts[:-1]) if len(parts) > 2 else out).rstrip("。；") + "。"


def pairs(assistant: Any, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """(claim, passage, supported) pairs of one dataset split, with the items they came from."""
    out: list[dict[str, Any]] = []
    for item in items:
        hits = assistant.retrieve(item["question"], item.get("history")).hits
        if not hits:
            continue
        evidence = item.get("evidence") or []
        holding = [h for h in hits if evidence and covers_any(h.text, evidence)]
        other = [h for h in hits if h not in holding]
        if item["answerable"]:
            claim = statement(item["question"], item.get("must_include") or [])
            if claim and holding:
                out.append({"id": item["id"], "kind": "statement", "claim": claim, "passage": holding[0].text,
                            "supported": True})
                if other:
                    out.append({"id": item["id"], "kind": "other_passage", "claim": claim,
                                "passage": other[0].text, "supported": False})
            for span in evidence[:1]:
                if holding and len(CJK.findall(span)) >= 8:
                    out.append({"id": item["id"], "kind": "reworded", "claim": reword(span),
                                "passage": holding[0].text, "supported": True})
        else:
            claim = statement(item["question"], [])
            if claim:
                out.append({"id": item["id"], "kind": "not_stated", "claim": claim, "passage": hits[0].text,
                            "supported": False})
    return out


def score_pairs(rows: list[dict[str, Any]], scorer: Any) -> None:
    for row in rows:
        s = scorer.score(row["claim"], row["passage"])
        row.update(score=s.score, terms=s.terms, chars=s.chars, meaning=s.meaning)


def balanced_accuracy(rows: Sequence[dict[str, Any]], threshold: float, key: str = "score") -> float:
    pos = [r for r in rows if r["supported"]]
    neg = [r for r in rows if not r["supported"]]
    if not pos or not neg:
        return 0.0
    tpr = sum(r[key] >= threshold for r in pos) / len(pos)
    tnr = sum(r[key] < threshold for r in neg) / len(neg)
    return (tpr + tnr) / 2


def fit_threshold(rows: Sequence[dict[str, Any]], key: str = "score") -> float:
    """The midpoint between adjacent scores that maximises balanced accuracy (ties: the higher one)."""
    values = sorted({round(float(r[key]), 4) for r in rows})
    cuts = [(a + b) / 2 for a, b in pairwise(values)] or values
    return max(cuts, key=lambda t: (balanced_accuracy(rows, t, key), t))


def report(rows: Sequence[dict[str, Any]], threshold: float) -> dict[str, Any]:
    kinds = sorted({r["kind"] for r in rows})
    return {"pairs": len(rows), "balanced_accuracy": round(balanced_accuracy(rows, threshold), 4),
            "kept_rate": {k: round(sum(r["score"] >= threshold for r in rows if r["kind"] == k)
                                   / max(1, sum(r["kind"] == k for r in rows)), 4) for k in kinds},
            "n": {k: sum(r["kind"] == k for r in rows) for k in kinds}}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fit the post-check's support threshold on the dev split.")
    parser.add_argument("datasets", nargs="*", type=Path,
                        default=[DATASETS_DIR / n for n in EVAL_SETS])
    parser.add_argument("--out", type=Path, default=None, help="write the scored pairs here (JSONL)")
    args = parser.parse_args(argv)

    from assistant.llm.support import SupportScorer
    from assistant.services import read_settings
    from evals.knowledge_base import eval_assistant, resources_for

    settings = read_settings()
    split_rows: dict[str, list[dict[str, Any]]] = {"dev": [], "test": []}
    for path in args.datasets:
        assistant = eval_assistant(settings, resources_for(path))
        scorer = SupportScorer(assistant.store.embedder)
        items = load_dataset(path)
        for split in split_rows:
            rows = pairs(assistant, select_split(items, split))
            score_pairs(rows, scorer)
            split_rows[split] += [{**r, "dataset": path.stem, "split": split} for r in rows]
    dev, test = split_rows["dev"], split_rows["test"]
    threshold = fit_threshold(dev)
    result = {"threshold": round(threshold, 4), "dev": report(dev, threshold), "test": report(test, threshold),
              "single_reading_dev": {k: round(balanced_accuracy(dev, fit_threshold(dev, k), k), 4)
                                     for k in ("terms", "chars", "meaning")}}
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.out:
        with args.out.open("w", encoding="utf-8") as f:
            for r in dev + test:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
