"""Dataset format: one clear line for every malformed item, and a dev/test split that never moves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evals.dataset import DatasetError, load_dataset, select_split, split_of

GOOD = {
    "id": "x-1",
    "question": "学校培训经费怎么安排？",
    "answerable": True,
    "evidence": ["按照年度公用经费预算总额的5%安排教师培训经费"],
    "must_include": ["5%"],
}


def _write(tmp_path: Path, lines: list[str]) -> Path:
    p = tmp_path / "d.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _line(**over: object) -> str:
    return json.dumps({**GOOD, **over}, ensure_ascii=False)


def test_documented_fields_suffice_and_blank_lines_are_skipped(tmp_path: Path) -> None:
    p = _write(tmp_path, [_line(), "", _line(id="x-2", answerable=False, evidence=[], must_include=[])])
    items = load_dataset(p)
    assert [it["id"] for it in items] == ["x-1", "x-2"]
    assert "category" not in items[0]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "不是有效的 JSON"),
        ("[1, 2]", "每行应为一个 JSON 对象，实际是数组"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "evidence"}), "缺少字段「evidence」"),
        (_line(answerable="yes"), "字段「answerable」应为 true 或 false，实际是文本"),
        (_line(question=3), "字段「question」应为文本，实际是数字"),
        (_line(category=["x"]), "字段「category」应为文本，实际是数组"),
        (_line(evidence=[""]), "字段「evidence」应为非空文本组成的数组"),
        (_line(evidence=[]), "字段「evidence」不能为空"),
        (_line(question="  "), "字段「question」为空"),
        (_line(history=[{"role": "system", "content": "x"}]), "字段「history」"),
        (_line(split="train"), "字段「split」只能是 dev 或 test"),
        (_line(id="x-1"), "字段「id」的值 'x-1' 重复（首次出现在第 1 行）"),
    ],
)
def test_errors_name_file_line_and_field(tmp_path: Path, bad: str, message: str) -> None:
    p = _write(tmp_path, [_line(), "", bad])
    with pytest.raises(DatasetError) as exc:
        load_dataset(p)
    assert str(exc.value).startswith(f"{p}:3：")
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_empty_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="评测集是空的"):
        load_dataset(_write(tmp_path, [""]))
    with pytest.raises(DatasetError, match="无法读取"):
        load_dataset(tmp_path / "missing.jsonl")
    gbk = tmp_path / "gbk.jsonl"
    gbk.write_bytes(_line().encode("gbk"))
    with pytest.raises(DatasetError, match="不是 UTF-8 编码"):
        load_dataset(gbk)


def test_split_is_a_fixed_function_of_the_id() -> None:
    items = [{"id": f"q-{i:03d}"} for i in range(400)]
    first = [split_of(it) for it in items]
    assert first == [split_of({"id": it["id"], "question": "edited"}) for it in items]
    assert 150 < first.count("test") < 250  # about half
    # Known values pin the hash function itself: changing it would silently reshuffle every dataset.
    assert [split_of({"id": i}) for i in ("seed-001", "seed-002", "seed-003", "res-001")] == [
        "dev", "dev", "test", "dev"]
    assert split_of({"id": "q-001", "split": "dev"}) == "dev"


def test_select_split_partitions(tmp_path: Path) -> None:
    items = [{"id": f"q-{i}"} for i in range(50)]
    dev, test = select_split(items, "dev"), select_split(items, "test")
    assert len(dev) + len(test) == 50 and not {i["id"] for i in dev} & {i["id"] for i in test}
    assert select_split(items, "all") == items
    with pytest.raises(ValueError):
        select_split(items, "train")


def test_eval_command_reports_a_bad_dataset_in_one_line(tmp_path: Path) -> None:
    p = _write(tmp_path, [_line(), _line(id="x-2", answerable=1)])
    out = subprocess.run([sys.executable, "-m", "channels.cli", "eval", "run", str(p)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert lines == [f"评测集有误：{p}:2：字段「answerable」应为 true 或 false，实际是数字"]
    assert "Traceback" not in out.stderr


def test_eval_command_reports_an_empty_dataset_in_chinese(tmp_path: Path) -> None:
    p = _write(tmp_path, ["", "  "])
    out = subprocess.run([sys.executable, "-m", "channels.cli", "eval", "run", str(p)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert [ln for ln in out.stderr.splitlines() if ln.strip()] == [f"评测集有误：{p}：评测集是空的，没有任何条目"]
