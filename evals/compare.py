"""Extractive and generative answers on the same questions, scored the same way.

``python -m evals.compare`` asks every question of the chosen split twice, once with the offline
extractive answerer and once with the LLM answerer, over the same knowledge base, and reports side by
side what a trainer deciding whether to switch a model on needs to know:

- must-include coverage, abstention (answerable questions answered, unanswerable ones declined), latency;
- supported sentences: the share of the answer's claims (lead-ins and "not stated" lines aside) that the
  chunk their ``[n]`` names supports, scored by ``SupportScorer`` at the calibrated threshold. For the LLM
  answerer this is the post-check's own measure, so it shows what survived the check, not an independent
  judgment; verbatim coverage (the ``faithfulness`` of ``evals.metrics``) is reported beside it;
- what the post-check did: answers kept, repaired or replaced by the extractive one, and why;
- with ``--judge``, the configured model grades each answer (supported by its quotes, answers the
  question): an opinion from a model, reported as such.

The model is the one configured by ``GUOPEI_LLM_*``. Where none can be reached, ``--scripted FAULTS``
serves the stand-in of ``evals.scripted_llm`` on 127.0.0.1, with a share of its replies carrying a fault
the post-check must catch; the report then counts faults caught per kind. Those figures measure the
pipeline, not any model's quality, and the report says so.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from corpus.text import CJK
from evals.dataset import DATASETS_DIR, EVAL_SETS, load_dataset, select_split
from evals.metrics import percentile, summarize

ANSWERERS = ("extractive", "llm")
HEADLINE = ("must_include", "faithfulness", "supported_sentences", "abstention_accuracy",
            "answered_rate_answerable", "abstained_rate_unanswerable", "latency_p50_ms", "latency_p95_ms")
_SOURCES = re.compile(r"\n\s*(来源|出处)[:：].*", re.S)


def claims(answer: str) -> list[tuple[str, tuple[int, ...]]]:
    """The answer's sentences that make a claim, each with the markers it carries (markers written after
    the full stop belong to the sentence before them)."""
    from assistant.llm.postcheck import NOT_STATED, split_sentences

    done, _ = split_sentences(_SOURCES.sub("", answer) + "\n")
    out = []
    for sentence in done:
        text = sentence.claim.strip(" \n「」“”")
        # A lead-in (根据《…》「…」：) or a "the documents do not state" line makes no claim to support.
        if len(CJK.findall(text)) < 6 or text.rstrip().endswith(("：", ":")) or NOT_STATED.search(text):
            continue
        out.append((text, sentence.markers))
    return out


def supported_share(result: dict[str, Any], scorer: Any) -> float | None:
    """Share of claims supported by a chunk one of their markers names (a claim with no marker fails)."""
    found = claims(result.get("answer", ""))
    if result.get("abstained") or not found:
        return None
    chunk_of = {int(c["marker"]): result["cited_chunks"].get(str(c.get("chunk_id")), "")
                for c in result.get("citations", []) if c.get("marker") is not None}
    ok = 0
    for text, markers in found:
        passages = [chunk_of[m] for m in markers if chunk_of.get(m)]
        ok += bool(passages) and scorer.supported(text, passages)[0]
    return ok / len(found)


def postcheck_counts(results: Sequence[dict[str, Any]]) -> dict[str, Any]:
    generations = [r.get("generation") or {} for r in results]
    return {"outcomes": dict(Counter(g.get("outcome", "none") for g in generations)),
            "fallback_reasons": dict(Counter(g["fallback"] for g in generations if g.get("fallback"))),
            "dropped_sentences": dict(Counter(d["reason"] for g in generations for d in g.get("dropped") or ()
                                              if d.get("reason")))}


def faults_caught(results: Sequence[dict[str, Any]], responder: Any) -> dict[str, dict[str, int]]:
    """Per fault the stand-in planted: how many answers carried it and how many reached the reader."""
    out: dict[str, dict[str, int]] = {}
    for r in results:
        asked = [q for q in responder.applied if q == r["question"] or q.startswith(r["question"] + "（")]
        fault = responder.applied[asked[0]] if asked else None
        if fault is None or not (r.get("generation") or {}).get("outcome") or r["generation"]["outcome"] == "skipped":
            continue
        outcome, answer = r["generation"]["outcome"], r.get("answer", "")
        leaked = {
            "instruction": responder.planted in answer,
            "extra_number": "1280" in answer,
            "no_citation": outcome == "kept",
            "wrong_citation": outcome == "kept",
        }[fault]
        row = out.setdefault(fault, {"planted": 0, "caught": 0})
        row["planted"] += 1
        row["caught"] += not leaked
    return out


def judge(client: Any, result: dict[str, Any]) -> dict[str, Any] | None:
    """The model's grading of one answer: {"supported": bool, "answers": bool}, or None if it would not say."""
    quotes = "\n".join(f"[{c['marker']}] {c.get('text', '')}" for c in result.get("citations", []))
    messages = [
        {"role": "system", "content": "你是严格的评审。只输出 JSON：{\"supported\": true/false, \"answers\": true/false}。"
                                      "supported：回答中的每个说法都能在所给引文中找到依据；answers：回答回应了所问的问题"
                                      "（如实说明文件没有写明也算回应）。"},
        {"role": "user", "content": f"问题：{result['question']}\n\n回答：{result.get('answer', '')}\n\n引文：\n{quotes}"},
    ]
    try:
        raw = client.complete(messages)
        data = json.loads(raw[raw.index("{"):raw.rindex("}") + 1])
    except Exception:  # a judge that fails is counted as no verdict, never as a pass
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), bool) for k in ("supported", "answers")):
        return None
    return {"supported": data["supported"], "answers": data["answers"]}


def score(results: list[dict[str, Any]], scorer: Any) -> dict[str, Any]:
    summary = summarize(results)
    shares = [s for r in results if (s := supported_share(r, scorer)) is not None]
    latencies = [float(r["latency_ms"]) for r in results]
    out = {key: summary.get(key) for key in HEADLINE if key in summary}
    out["supported_sentences"] = round(sum(shares) / len(shares), 4) if shares else None
    out["latency_p50_ms"], out["latency_p95_ms"] = percentile(latencies, 50), percentile(latencies, 95)
    out["n"] = len(results)
    judged = [r["judge"] for r in results if r.get("judge")]
    if judged:
        out["judge"] = {"n": len(judged), "unjudged": sum(1 for r in results if "judge" in r and not r["judge"]),
                        "supported": round(sum(j["supported"] for j in judged) / len(judged), 4),
                        "answers": round(sum(j["answers"] for j in judged) / len(judged), 4)}
    return out


@contextmanager
def _model(settings: Any, scripted: float | None) -> Iterator[tuple[Any, Any, str]]:
    """(settings with a model configured, the stand-in's responder or None, a label for the report)."""
    if scripted is None:
        if not settings.llm_base_url or not settings.llm_model:
            raise SystemExit("没有配置大模型：请设置 GUOPEI_LLM_BASE_URL 与 GUOPEI_LLM_MODEL，或用 --scripted 使用本机替身")
        yield settings, None, settings.llm_model
        return
    from evals.scripted_llm import PassageResponder, ScriptedLLM, serving

    responder = PassageResponder(faults=scripted)
    with serving(ScriptedLLM(responder=responder)) as llm:
        configured = settings.model_copy(update={"llm_base_url": llm.base_url, "llm_model": llm.model,
                                                 "llm_max_retries": 0})
        yield configured, responder, f"scripted stand-in ({scripted:.0%} faulty replies; measures the pipeline, not a model)"


def compare(settings: Any, datasets: Sequence[Path], split: str = "test", *, scripted: float | None = None,
            use_judge: bool = False, k: int = 5) -> dict[str, Any]:
    from assistant.llm.client import ChatClient, LLMConfig
    from assistant.llm.support import SupportScorer
    from assistant.service import Assistant
    from evals.knowledge_base import eval_assistant, resources_for
    from evals.runner import run_eval

    offline = settings.model_copy(update={"llm_base_url": None, "llm_model": None})
    report: dict[str, Any] = {"split": split, "datasets": [p.stem for p in datasets], "answerers": {}}
    with _model(settings, scripted) as (generative, responder, label):
        report["model"] = label
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in ANSWERERS}
        scorer = None
        for path in datasets:
            items = select_split(load_dataset(path), split)
            extractive = eval_assistant(offline, resources_for(path))
            scorer = scorer or SupportScorer(extractive.store.embedder)
            # The same indexed store under the model's settings: only the answerer differs.
            for name, assistant in zip(ANSWERERS, (extractive, Assistant(generative, extractive.store)), strict=True):
                batch = run_eval(assistant, items, k=k, progress=sys.stderr.isatty())
                runs[name] += [{**r, "dataset": path.stem} for r in batch]
        if use_judge and responder is None:
            client = ChatClient(LLMConfig.from_settings(generative))  # type: ignore[arg-type]
            for batch in runs.values():
                for r in batch:
                    r["judge"] = judge(client, r)
        for name, batch in runs.items():
            report["answerers"][name] = score(batch, scorer)
        report["answerers"]["llm"]["postcheck"] = postcheck_counts(runs["llm"])
        if responder is not None:
            report["answerers"]["llm"]["faults_caught"] = faults_caught(runs["llm"], responder)
    report["results"] = runs
    return report


def to_markdown(report: dict[str, Any]) -> str:
    a = report["answerers"]
    lines = [f"模型：{report['model']}；数据：{'、'.join(report['datasets'])}（{report['split']} 划分）", "",
             "| 指标 | 抽取式 | 大模型 |", "| --- | --- | --- |"]
    for key in (*HEADLINE, "n"):
        cells = [a[n].get(key) for n in ANSWERERS]
        lines.append(f"| {key} | " + " | ".join("—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
                                                for v in cells) + " |")
    pc = a["llm"]["postcheck"]
    lines += ["", f"核查结果：{pc['outcomes']}；回退原因：{pc['fallback_reasons']}；删去的句子：{pc['dropped_sentences']}"]
    if "faults_caught" in a["llm"]:
        lines.append("替身植入的错误被拦下：" + "，".join(f"{f} {v['caught']}/{v['planted']}"
                                                for f, v in sorted(a["llm"]["faults_caught"].items())))
    for n in ANSWERERS:
        if "judge" in a[n]:
            lines.append(f"{n} 模型评审：{a[n]['judge']}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare the extractive and the LLM answerer on one eval split.")
    parser.add_argument("datasets", nargs="*", type=Path,
                        default=[DATASETS_DIR / n for n in EVAL_SETS])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument("--out", type=Path, default=Path("evals/runs/compare"))
    parser.add_argument("--scripted", type=float, default=None, metavar="FAULTS",
                        help="use the local stand-in model, with this share (0–1) of faulty replies")
    parser.add_argument("--judge", action="store_true", help="let the configured model grade every answer")
    args = parser.parse_args(argv)
    if args.scripted is not None and not 0 <= args.scripted <= 1:
        parser.error("--scripted 应在 0 到 1 之间")

    from assistant.services import read_settings

    report = compare(read_settings(), args.datasets, args.split, scripted=args.scripted, use_judge=args.judge)
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "results.jsonl").open("w", encoding="utf-8") as f:
        for name, batch in report.pop("results").items():
            for r in batch:
                f.write(json.dumps({"answerer": name, **r}, ensure_ascii=False) + "\n")
    (args.out / "compare.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (args.out / "compare.md").write_text(to_markdown(report), encoding="utf-8")
    print(to_markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
