"""Eval datasets: the JSONL format, its validation, and the fixed dev/test split.

Fields: ``id, question, answerable, evidence, must_include`` are required; ``history``, ``category``,
``section`` and ``split`` are optional. Every weight, threshold or rule of the answer engine is tuned on
``dev`` only; CI gates and the README's figures come from ``test``, which nothing is fitted on. The split
is a pure function of an item's id (a SHA-256 hash), so it never changes when items are added, reordered
or edited, and an item may pin itself with ``"split"`` only when it is written (never moved later to make
a figure look better).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
RESOURCES_DIR = DATASETS_DIR / "resources"
SPLITS = ("dev", "test")
# Every eval set, in the order runs list them. kb2 is pinned to dev and holdout to test (see the README).
EVAL_SETS = ("seed.jsonl", "resource.jsonl", "kb.jsonl", "kb2.jsonl", "kb3.jsonl", "kb4.jsonl", "kb5.jsonl", "kb6.jsonl",
             "kb7.jsonl", "holdout.jsonl", "holdout2.jsonl")
# One item in TEST_SHARE_PERCENT goes to test: half, so both halves are large enough to measure.
TEST_SHARE_PERCENT = 50

_REQUIRED: dict[str, type] = {
    "id": str,
    "question": str,
    "answerable": bool,
    "evidence": list,
    "must_include": list,
}
_OPTIONAL: dict[str, type] = {"category": str, "section": str, "split": str, "history": list}


class DatasetError(ValueError):
    """A malformed dataset line: one message naming the file, the line and the field, in Chinese like every
    other refusal (the command line and the admin's API and bot show it after 评测集有误：)."""


def split_of(item: dict[str, Any]) -> str:
    """``dev`` or ``test`` for an item: its pinned split, else a hash of its id."""
    pinned = item.get("split")
    if pinned:
        return str(pinned)
    bucket = int(hashlib.sha256(str(item["id"]).encode("utf-8")).hexdigest()[:8], 16) % 100
    return "test" if bucket < TEST_SHARE_PERCENT else "dev"


def select_split(items: Iterable[dict[str, Any]], split: str | None) -> list[dict[str, Any]]:
    """The items of one split; ``None`` or ``"all"`` keeps every item."""
    if split in (None, "all"):
        return list(items)
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}: use dev, test or all")
    return [it for it in items if split_of(it) == split]


def _type_name(value: Any) -> str:
    return {bool: "布尔值", str: "文本", list: "数组", dict: "对象", int: "数字",
            float: "数字", type(None): "null"}.get(type(value), type(value).__name__)


def _check_type(where: str, key: str, value: Any, typ: type) -> None:
    if typ is bool and not isinstance(value, bool):
        raise DatasetError(f"{where}：字段「{key}」应为 true 或 false，实际是{_type_name(value)}")
    if not isinstance(value, typ) or (typ is not bool and isinstance(value, bool)):
        raise DatasetError(f"{where}：字段「{key}」应为{_type_name(typ())}，实际是{_type_name(value)}")


def validate_item(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise DatasetError(f"{where}：每行应为一个 JSON 对象，实际是{_type_name(item)}")
    for key, typ in _REQUIRED.items():
        if key not in item:
            raise DatasetError(f"{where}：缺少字段「{key}」")
        _check_type(where, key, item[key], typ)
    for key, typ in _OPTIONAL.items():
        if item.get(key) is not None:
            _check_type(where, key, item[key], typ)
    if not item["id"].strip():
        raise DatasetError(f"{where}：字段「id」为空")
    if not item["question"].strip():
        raise DatasetError(f"{where}：字段「question」为空")
    for key in ("evidence", "must_include"):
        if not all(isinstance(x, str) and x.strip() for x in item[key]):
            raise DatasetError(f"{where}：字段「{key}」应为非空文本组成的数组")
    if item["answerable"] and not item["evidence"]:
        raise DatasetError(f"{where}：可回答的条目（answerable 为 true）字段「evidence」不能为空")
    if item.get("split") is not None and item["split"] not in SPLITS:
        raise DatasetError(f"{where}：字段「split」只能是 dev 或 test，实际是 {item['split']!r}")
    history = item.get("history")
    if history is not None and not all(
        isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
        for t in history
    ):
        raise DatasetError(f"{where}：字段「history」应为 {{role: user|assistant, content: 文本}} 组成的数组")
    return item


def load_dataset(path: str | Path) -> list[dict[str, Any]]:
    """Read and validate a JSONL dataset; the first bad line stops it with one clear message."""
    path = Path(path)
    items: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    try:
        f = path.open(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"{path}：无法读取（{exc.strerror or exc}）") from exc
    with f:
        try:
            lines = list(enumerate(f, 1))
        except UnicodeDecodeError as exc:
            raise DatasetError(f"{path}：不是 UTF-8 编码的文本（{exc.reason}）") from exc
    for lineno, line in lines:
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}：不是有效的 JSON（第 {exc.colno} 列附近：{exc.msg}）") from exc
        item = validate_item(raw, where)
        if item["id"] in seen:
            raise DatasetError(f"{where}：字段「id」的值 {item['id']!r} 重复（首次出现在第 {seen[item['id']]} 行）")
        seen[item["id"]] = lineno
        items.append(item)
    if not items:
        raise DatasetError(f"{path}：评测集是空的，没有任何条目")
    return items
