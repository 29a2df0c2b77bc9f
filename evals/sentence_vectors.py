"""Where the reranker's sentence vectors come from, and what the cheaper ways would cost in answers.

Indexing embeds every chunk and, separately, every sentence of it: the second stage of the rerank and
the answer's sentence selection compare the question with single sentences. The sentence pass roughly
doubles the tokens the embedder sees, which is why our indexing throughput stays near the LangChain
baseline's (which embeds chunks only) on small documents. Two ways would drop one of the passes:

- ``pooled``: one pass over the chunk; each sentence's vector is the mean of the final hidden states of
  its own tokens (context-aware, free: the chunk pass computes them anyway);
- ``composed``: one pass per sentence; the chunk's vector is the token-weighted mean of its sentences'.

``python -m evals.sentence_vectors`` indexes the eval knowledge bases once per strategy (in collections
of their own), refits the rerank weights on dev for each (``evals.tune``'s grid, so no strategy is judged
with weights fitted for another), and prints dev and test figures beside the current ``standalone``
strategy, with the embedded tokens per strategy as the cost. The test split is only scored.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from evals.dataset import DATASETS_DIR, EVAL_SETS, load_dataset, select_split
from indexer.chunking import sentences
from indexer.embedders.e5_onnx import OnnxE5Embeddings
from indexer.embedders.e5_tokenizer import PREFIXES

STRATEGIES = ("standalone", "pooled", "composed")
HEADLINE = ("recall@1", "hit@400chars", "must_include", "citation_precision", "answered_rate_answerable",
            "abstained_rate_unanswerable")


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / max(float(np.linalg.norm(v)), 1e-6)).astype(np.float32)


class _Strategy(Embeddings):
    """The default embedder behind another way of getting document vectors; questions are embedded as usual.
    ``tokens`` counts what the strategy sends through the model (the cost compared)."""

    name = ""

    def __init__(self, inner: OnnxE5Embeddings) -> None:
        self.inner = inner
        self.model_id = f"{inner.model_id}+{self.name}"
        self.dimension = inner.dimension
        self.tokens = 0
        # Texts embedded on their own, with their token counts: the reranker asks for sentences again later.
        self.seen: dict[str, tuple[np.ndarray, int]] = {}

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def _alone(self, texts: list[str]) -> None:
        """Embed each text not seen before in a pass of its own, counting its tokens once."""
        new = [t for t in dict.fromkeys(texts) if t not in self.seen]
        if not new:
            return
        counts = [len(self.inner.runtime().tokenizer.encode(t)) for t in new]
        self.tokens += sum(counts)
        vectors = np.asarray(self.inner.embed_documents(new), dtype=np.float32)
        self.seen.update(zip(new, zip(vectors, counts, strict=True), strict=True))


class ComposedChunks(_Strategy):
    """Each text's vector is the token-weighted mean of its sentences' own vectors (one sentence: itself)."""

    name = "composed"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        parts = [[t[s:e] for s, e in sentences(t)] or [t] for t in texts]
        self._alone([p for ps in parts for p in ps])
        out = []
        for ps in parts:
            vectors, counts = zip(*(self.seen[p] for p in ps), strict=True)
            weights = np.asarray(counts, dtype=np.float32)
            out.append(_unit((np.stack(vectors) * weights[:, None]).sum(0)).tolist())
        return out


class PooledSentences(_Strategy):
    """Chunk vectors as usual; a sentence's vector is pooled from the pass over the chunk it came in with.

    Indexing sends a chunk and its sentences in the same call, so a text of a call that lies inside a
    longer one is that chunk's sentence; the vectors are kept for the reranker's later lookups by sentence
    text (a sentence shared by two chunks keeps the first one's context). A question-time text that is
    nobody's sentence gets a pass of its own.
    """

    name = "pooled"

    def __init__(self, inner: OnnxE5Embeddings) -> None:
        import onnx
        import onnxruntime as ort
        from onnx import TensorProto, helper

        super().__init__(inner)
        self.known: dict[str, np.ndarray] = {}
        inner.prepare()
        model = onnx.load(str(inner.target / "encoder.onnx"))
        last = [n.output[0] for n in model.graph.node if n.output[0].endswith(".oln")][-1]
        model.graph.output.append(helper.make_tensor_value_info(last, TensorProto.FLOAT, ["batch", "length", None]))
        options = ort.SessionOptions()
        options.intra_op_num_threads = inner.threads
        options.log_severity_level = 3
        self._hidden_name = last
        self._session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])

    def chunk_and_sentences(self, text: str, wanted: Sequence[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """One forward pass: the chunk's vector and a pooled vector for each ``wanted`` sentence it contains."""
        runtime = self.inner.runtime()
        tok = runtime.tokenizer
        prefix = PREFIXES[False]
        ids, starts = tok.segment(tok.normalize(prefix + text))
        ids, starts = ids[: tok.window], np.asarray(starts[: tok.window])
        self.tokens += len(ids)
        embeddings, mask = runtime.inputs([[tok.bos, *ids, tok.eos]])
        pooled, hidden = self._session.run(["pooled", self._hidden_name], {"embeddings": embeddings, "mask": mask})
        states = hidden[0][1 : len(ids) + 1]
        found: dict[str, np.ndarray] = {}
        for sentence in wanted:
            s = text.find(sentence)
            if s < 0:
                continue
            # Normalised offsets of the sentence: the normaliser works character by character.
            a = len(tok.normalize(prefix + text[:s]))
            b = len(tok.normalize(prefix + text[: s + len(sentence)]))
            rows = np.nonzero((starts >= a - 1) & (starts < b))[0]
            if len(rows):
                found[sentence] = _unit(states[rows].mean(0))
        return _unit(pooled[0]), found

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out = {i: self.known[t] for i, t in enumerate(texts) if t in self.known}
        # Longest first: a text inside a longer text of the call is that chunk's sentence.
        chunks: list[int] = []
        inside: list[int] = []
        for i in sorted(set(range(len(texts))) - set(out), key=lambda i: -len(texts[i])):
            (inside if any(texts[i] in texts[c] for c in chunks) else chunks).append(i)
        for c in chunks:
            wanted = [texts[i] for i in inside if texts[i] in texts[c] and texts[i] not in self.known]
            out[c], found = self.chunk_and_sentences(texts[c], wanted)
            self.known.update(found)
        for i in inside:
            out[i] = self.known[texts[i]]
        return [out[i].tolist() for i in range(len(texts))]


def _assistant(settings: Any, embedder: Embeddings, chroma: Path, name: str, resources: tuple[str, ...]) -> Any:
    from assistant.service import Assistant
    from assistant.tuning import Tuning
    from evals.knowledge_base import eval_documents
    from indexer.store import ChunkStore

    store = ChunkStore(name, embedder, path=chroma)
    assistant = Assistant(settings, store, tuning=Tuning.from_settings(settings))
    assistant.ensure_indexed()
    if resources:
        assistant.index_documents(eval_documents(resources))
    return assistant


def compare(settings: Any, datasets: Sequence[Path], strategies: Sequence[str] = STRATEGIES) -> dict[str, Any]:
    """Per strategy: embedded tokens, weights refitted on dev, and dev/test figures with those weights."""
    base = OnnxE5Embeddings(model=settings.embedder_model)
    base.prepare()
    with tempfile.TemporaryDirectory(prefix="guopei-sv-") as chroma:
        return {s: _one(settings, _strategy(s, base), Path(chroma) / s, datasets) for s in strategies}


def _strategy(name: str, base: OnnxE5Embeddings) -> Embeddings:
    if name == "pooled":
        return PooledSentences(base)
    return ComposedChunks(base) if name == "composed" else Standalone(base)


def _one(settings: Any, embedder: Embeddings, chroma: Path, datasets: Sequence[Path]) -> dict[str, Any]:
    from evals import tune
    from evals.knowledge_base import resources_for
    from evals.metrics import summarize
    from evals.runner import run_eval

    built = [(_assistant(settings, embedder, chroma, f"sv-{n}", resources_for(p)), load_dataset(p))
             for n, p in enumerate(datasets)]
    indexed_tokens = getattr(embedder, "tokens", 0)  # what indexing embedded (questions add more later)
    fitted = tune.search([c for a, items in built for c in tune.collect(a, select_split(items, "dev"))])
    rows: dict[str, list[dict[str, Any]]] = {"dev": [], "test": []}
    for assistant, items in built:
        assistant.retriever.weights = replace(assistant.retriever.weights, **fitted["weights"])
        for split, out in rows.items():
            out += run_eval(assistant, select_split(items, split), progress=False)
    summaries = {split: summarize(r) for split, r in rows.items()}
    return {"tokens": indexed_tokens, "weights": fitted["weights"],
            **{split: {k: round(float(s[k]), 4) for k in HEADLINE} for split, s in summaries.items()}}


class Standalone(_Strategy):
    """The indexing path as it is (chunks and sentences each embedded alone), counting tokens."""

    name = "standalone"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self._alone(texts)
        return [self.seen[t][0].tolist() for t in texts]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare where sentence vectors come from, weights refitted on dev.")
    parser.add_argument("datasets", nargs="*", type=Path,
                        default=[DATASETS_DIR / n for n in EVAL_SETS])
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    args = parser.parse_args(argv)
    from assistant.services import read_settings

    strategies = [s for s in args.strategies.split(",") if s]
    unknown = set(strategies) - set(STRATEGIES)
    if unknown:
        parser.error(f"未知的策略：{'、'.join(sorted(unknown))}（可选 {'、'.join(STRATEGIES)}）")
    print(json.dumps(compare(read_settings(), args.datasets, strategies), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
