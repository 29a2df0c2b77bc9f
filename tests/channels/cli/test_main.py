"""The ``guopei`` command as a user runs it: a subprocess with its own data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GUOPEI = [sys.executable, "-m", "channels.cli"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path_factory.mktemp("cli-data"))}


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GUOPEI, *args], env=env, input=stdin, capture_output=True, text=True, timeout=300)


def test_index_is_idempotent(env):
    first = run(env, "index")
    assert first.returncode == 0, first.stderr
    assert "已更新" in first.stdout
    second = run(env, "index")
    assert "未变化" in second.stdout and "已更新" not in second.stdout


def test_ask_json_contract(env):
    out = run(env, "ask", "学校每年要拿出多少经费用于教师培训？", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"id", "answer", "abstained", "citations", "retrieved"} <= set(data)
    assert "5%" in data["answer"]
    assert data["citations"][0]["section"] == "三、保障措施 > （二）强化经费保障"


def test_batch_ask_and_search_keep_order_and_ids(env, tmp_path: Path):
    batch = tmp_path / "q.jsonl"
    lines = [
        {"id": "a", "question": "什么是学分银行？"},
        {"id": "b", "question": "它和学历教育是什么关系？",
         "history": [{"role": "user", "content": "什么是学分银行？"}]},
        {"id": "c", "question": "红烧肉怎么做？"},
        {"id": "d", "question": ""},
    ]
    batch.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n", encoding="utf-8")
    out = run(env, "ask", "--batch", str(batch))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows[:4]] == ["a", "b", "c", "d"]
    assert rows[2]["abstained"] is True
    assert "error" in rows[3] and "error" in rows[4]
    found = run(env, "search", "--batch", str(batch), "-k", "2")
    rows = [json.loads(line) for line in found.stdout.splitlines()]
    assert len(rows[0]["results"]) == 2 and rows[0]["id"] == "a"


def test_search_json_and_empty_question_error(env):
    out = run(env, "search", "学分银行", "--json", "-k", "3")
    assert len(json.loads(out.stdout)["results"]) == 3
    bad = run(env, "ask", "")
    assert bad.returncode == 2 and "不能为空" in bad.stderr


def test_chat_reads_follow_ups_from_stdin(env):
    out = run(env, "chat", stdin="什么是学分银行？\n它和学历教育是什么关系？\n/exit\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("助手>") == 2
    assert "学历教育衔接" in out.stdout


def test_index_refuses_an_unsupported_file_by_name(env, tmp_path: Path):
    bad = tmp_path / "课件.pptx"
    bad.write_bytes(b"PK\x03\x04 not really")
    out = run(env, "index", str(bad))
    assert out.returncode == 2 and "课件.pptx" in out.stderr


def test_index_folder_skips_a_bad_file_and_indexes_the_rest(env, tmp_path: Path):
    folder = tmp_path / "资料"
    folder.mkdir()
    (folder / "研修通知.txt").write_bytes("研修通知\n一、安排\n本学期集中研修安排在第十周进行。\n".encode("gbk"))
    (folder / "坏文件.txt").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    out = run(env, "index", str(folder))
    assert out.returncode == 2
    assert "坏文件.txt" in out.stderr
    assert "研修通知" in out.stdout and "已更新" in out.stdout


def test_index_folder_passes_over_what_is_not_a_document(env, tmp_path: Path):
    folder = tmp_path / "教研组资料"
    (folder / ".git").mkdir(parents=True)
    (folder / "教研活动安排.md").write_text("# 教研活动安排\n\n每周三下午第二节课集体备课。\n", encoding="utf-8")
    (folder / "说课课件.pptx").write_bytes(b"PK\x03\x04 slides")
    (folder / "~$教研活动安排.docx").write_bytes(b"\x00lock")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    out = run(env, "index", str(folder))
    assert out.returncode == 0, out.stderr
    assert "《教研活动安排》" in out.stdout and "错误" not in out.stderr
    assert "跳过 4 个不是文档的文件" in out.stderr and "说课课件.pptx" in out.stderr
    named = run(env, "index", str(folder / "说课课件.pptx"))  # named on its own, it is refused by type
    assert named.returncode == 2 and "不支持的文件类型「说课课件.pptx」" in named.stderr


def test_a_document_indexed_by_path_is_listed_and_removed(env, tmp_path: Path):
    (tmp_path / "误放的说明.md").write_text("# 误放的说明\n\n这份说明不该进入知识库，里面写着星河计划每年拨款九千万元。\n",
                                          encoding="utf-8")
    assert run(env, "index").returncode == 0  # the bundled notice
    assert run(env, "index", str(tmp_path / "误放的说明.md")).returncode == 0
    listed = run(env, "index", "--list")
    assert listed.returncode == 0 and "《误放的说明》" in listed.stdout and "jiaoshihan-2021-4" in listed.stdout
    doc_id = next(line.split()[0] for line in listed.stdout.splitlines() if "《误放的说明》" in line)
    removed = run(env, "index", "--remove", doc_id)
    assert removed.returncode == 0 and f"已移除  {doc_id}" in removed.stdout and "《误放的说明》" not in removed.stdout
    found = json.loads(run(env, "search", "星河计划拨款", "--json").stdout)["results"]
    assert all(r["doc_id"] != doc_id for r in found)  # gone for the next process, not only this one
    again = run(env, "index", "--remove", doc_id)
    assert again.returncode == 2 and "没有编号为" in again.stderr


def test_an_uploaded_resource_is_not_removed_as_an_indexed_file(env, tmp_path: Path):
    (tmp_path / "校本研修安排.txt").write_text("校本研修安排\n一、时间\n每周三下午集体教研。\n", encoding="utf-8")
    up = run(env, "resources", "upload", str(tmp_path / "校本研修安排.txt"), "--json")
    assert up.returncode == 0, up.stderr
    rid = json.loads(up.stdout)["id"]
    out = run(env, "index", "--remove", rid)
    assert out.returncode == 2 and "guopei resources delete" in out.stderr


NOT_STATED = "国培的培训补贴每人每天多少钱？"


def test_ask_says_plainly_what_the_documents_do_not_state(env):
    out = run(env, "ask", NOT_STATED)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("【文件未作规定】") and "没有写明" in out.stdout and "具体金额" in out.stdout
    assert "相关原文（仅供参考）" in out.stdout and "来源：" not in out.stdout
    data = json.loads(run(env, "ask", NOT_STATED, "--json").stdout)
    assert data["abstained"] is True and data["verdict"] == "not_specified" and data["citations"]


def test_a_batch_past_the_per_minute_limit_waits_and_asks_every_line(tmp_path: Path, capsys):
    """Lines 31–65 of a teacher's batch all came back as 提问过于频繁: the run now waits as told and goes on."""
    from assistant.errors import RateLimited
    from channels.cli.main import _batch

    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps({"id": i, "question": f"问题{i}"}) for i in range(3)) + "\n", encoding="utf-8")
    refused, slept = {1}, []

    def handle(question: str, history, ident):
        if question == "问题1" and refused:
            refused.clear()
            raise RateLimited("提问过于频繁：每分钟最多 30 次，请 7 秒后再试", 7)
        return {"id": ident, "answer": question}

    _batch(batch, handle, sleep=slept.append)
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert rows == [{"id": 0, "answer": "问题0"}, {"id": 1, "answer": "问题1"}, {"id": 2, "answer": "问题2"}]
    assert slept == [7] and "7 秒后继续第 2 行" in captured.err
