"""``guopei resources``: upload, list and delete from the machine, with the uploader recorded and the same
checks as the API (a teacher account is refused; a missing file is a one-line error)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.db import Database
from assistant.records.users import UserStore

pytestmark = pytest.mark.slow
GUOPEI = [sys.executable, "-m", "channels.cli"]
TEXT = ("# 青溪镇暑期研修安排\n\n## 一、时间地点\n\n研修于七月十日至十五日在青溪镇实验学校举办。\n\n"
        "## 二、研修内容\n\n围绕大单元教学设计开展课例研讨，每位学员提交一份教学设计。\n")


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GUOPEI, *args], env=env, capture_output=True, text=True, timeout=300)


def test_upload_list_delete(tmp_path: Path) -> None:
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path / "data")}
    env.pop("GUOPEI_AS", None)
    doc = tmp_path / "qingxi.md"
    doc.write_text(TEXT, encoding="utf-8")

    uploaded = run(env, "resources", "upload", str(doc), "--title", "青溪镇研修安排", "--json")
    assert uploaded.returncode == 0, uploaded.stderr
    out = json.loads(uploaded.stdout)
    assert out["title"] == "青溪镇研修安排" and out["status"] == "ready" and out["chunks"] >= 1

    listed = run(env, "resources", "list", "--json")
    [row] = json.loads(listed.stdout)
    assert (row["id"], row["chunks"], row["uploader"]) == (out["id"], out["chunks"], "cli:local")

    UserStore(Database(tmp_path / "data" / "guopei.sqlite3")).add("王老师", "teacher")
    refused = run(env, "--as", "王老师", "resources", "upload", str(doc))
    assert refused.returncode == 2 and refused.stderr.strip() == "权限不足：该操作仅限培训者、管理员，当前身份为教师"
    missing = run(env, "resources", "upload", str(tmp_path / "none.md"))
    assert missing.returncode == 2 and "找不到文件" in missing.stderr

    deleted = run(env, "resources", "delete", out["id"])
    assert deleted.returncode == 0 and f"移除 {out['chunks']} 个文本块" in deleted.stdout
    assert json.loads(run(env, "resources", "list", "--json").stdout) == []


def test_the_same_content_again_is_refused_in_one_line_naming_the_resource(tmp_path: Path) -> None:
    """The core's duplicate rule, said the way the command line says every refusal; after a deletion the
    file may come back."""
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path / "data")}
    env.pop("GUOPEI_AS", None)
    doc, copy = tmp_path / "qingxi.md", tmp_path / "副本.md"
    doc.write_text(TEXT, encoding="utf-8")
    copy.write_text(TEXT, encoding="utf-8")
    first = json.loads(run(env, "resources", "upload", str(doc), "--json").stdout)

    again = run(env, "resources", "upload", str(copy), "--title", "另一个标题")
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr.splitlines() == [f"知识库中已有内容相同的资源《{first['title']}》（{first['id']}），"
                                         "不必重复上传；如需更新请替换该资源"]
    assert [r["id"] for r in json.loads(run(env, "resources", "list", "--json").stdout)] == [first["id"]]

    assert run(env, "resources", "delete", first["id"]).returncode == 0
    back = run(env, "resources", "upload", str(copy), "--json")
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout)["status"] == "ready"


def test_a_file_that_cannot_be_read_is_reported_once(tmp_path: Path) -> None:
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path / "data")}
    env.pop("GUOPEI_AS", None)
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\0" * 64)
    out = run(env, "resources", "upload", str(broken))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.splitlines() == ["无法打开 Word 文档「坏.docx」：文件已加密或损坏"]


def test_a_large_upload_is_indexed_by_the_command_itself(tmp_path: Path) -> None:
    """Above the size a server hands to a background job, the command line still indexes it before it returns:
    no server may be running to take the job."""
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path / "data"), "GUOPEI_UPLOAD_BACKGROUND_BYTES": "64"}
    env.pop("GUOPEI_AS", None)
    doc = tmp_path / "qingxi.md"
    doc.write_text(TEXT, encoding="utf-8")
    uploaded = run(env, "resources", "upload", str(doc), "--json")
    assert uploaded.returncode == 0, uploaded.stderr
    out = json.loads(uploaded.stdout)
    assert out["status"] == "ready" and out["chunks"] >= 1 and "job_id" not in out
    jobs = run(env, "jobs", "list", "--active", "--json")
    assert jobs.returncode == 0 and json.loads(jobs.stdout) == []


NOTICE = ("青山县暑期培训通知\n一、培训时间\n2025年7月10日至7月15日，共六天。\n"
          "二、培训内容\n围绕新课标开展大单元教学设计研修。\n")


def test_an_edited_file_is_refused_as_a_second_upload_and_replaces_the_resource(tmp_path: Path) -> None:
    """The trial: 「青山县暑期培训通知v2.txt」 uploaded again made a second live 《青山县暑期培训通知》. Now the upload
    is refused naming the resource and the replace command, which keeps the title and makes version 2; the
    outline printed lists both headings of the one chunk."""
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path / "data")}
    env.pop("GUOPEI_AS", None)
    v1, v2 = tmp_path / "青山县暑期培训通知.txt", tmp_path / "青山县暑期培训通知v2.txt"
    v1.write_bytes(NOTICE.encode("gbk"))
    v2.write_bytes(NOTICE.replace("共六天", "共五天").replace("15日", "14日").encode("gbk"))

    first = run(env, "resources", "upload", str(v1))
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith("已上传：资源 res-") and lines[0].endswith("《青山县暑期培训通知》，第 1 版，1 块。")
    assert lines[1:] == ["章节结构：", "  一、培训时间", "  二、培训内容"]
    rid = lines[0].split()[1]

    again = run(env, "resources", "upload", str(v2))
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr.startswith(f"知识库中已有同名资源《青山县暑期培训通知》（{rid}）")
    assert f"guopei resources replace {rid} 文件" in again.stderr

    replaced = run(env, "resources", "replace", rid, str(v2), "--json")
    assert replaced.returncode == 0, replaced.stderr
    out = json.loads(replaced.stdout)
    assert (out["id"], out["title"], out["version"], out["status"]) == (rid, "青山县暑期培训通知", 2, "ready")
    assert [h["path"] for h in out["outline"]] == ["一、培训时间", "二、培训内容"]
    [row] = json.loads(run(env, "resources", "list", "--json").stdout)
    assert (row["id"], row["version"]) == (rid, 2)

    same = run(env, "resources", "replace", rid, str(v2))
    assert same.returncode == 2 and same.stderr.strip().endswith("未作替换，版本不变")
    unknown = run(env, "resources", "replace", "res-000000000000", str(v2))
    assert unknown.returncode == 2 and unknown.stderr.strip() == "找不到资源“res-000000000000”"


def test_list_names_the_state_as_the_bot_and_the_console_do() -> None:
    """The plain listing says 可检索 (as /resources and the library page do), not the stored ``ready``."""
    from types import SimpleNamespace
    from typing import Any

    import typer
    from typer.testing import CliRunner

    from channels.cli import resources

    row = {"id": "res-3f2a9c0d1e2b", "title": "青溪镇研修安排", "version": 2, "chunks": 3, "status": "ready"}

    class Library:
        def list(self, actor: Any) -> list[dict[str, Any]]:
            return [row]

    app = typer.Typer()
    resources.register(app, lambda: SimpleNamespace(usecases=SimpleNamespace(library=Library())))  # type: ignore[arg-type,return-value]
    out = CliRunner().invoke(app, ["resources", "list"])
    assert out.exit_code == 0, out.output
    assert out.stdout == "res-3f2a9c0d1e2b\t《青溪镇研修安排》\t第 2 版\t3 块\t可检索\n"
    assert json.loads(CliRunner().invoke(app, ["resources", "list", "--json"]).stdout)[0]["status"] == "ready"


def test_a_replacement_says_which_title_it_took_and_warns_of_an_unrelated_file(tmp_path: Path) -> None:
    """A title read from the file follows the new file; a file unlike the old one is warned of, each note on a
    line of its own under the summary, before the outline."""
    env = {**os.environ, "GUOPEI_DATA_DIR": str(tmp_path / "data")}
    env.pop("GUOPEI_AS", None)
    notice, menu = tmp_path / "通知.txt", tmp_path / "菜谱.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    menu.write_text("青山县实验小学食堂一周菜谱\n一、周一\n早餐：豆浆、油条、鸡蛋；午餐：米饭、红烧豆腐、清炒白菜。\n"
                    "二、周二\n早餐：牛奶、包子；午餐：米饭、土豆炖牛肉、番茄炒蛋。\n", encoding="utf-8")
    first = run(env, "resources", "upload", str(notice))
    rid = first.stdout.split()[1]
    replaced = run(env, "resources", "replace", rid, str(menu))
    assert replaced.returncode == 0, replaced.stderr
    lines = replaced.stdout.splitlines()
    assert lines[0] == f"已替换：资源 {rid} 《青山县实验小学食堂一周菜谱》，第 2 版，1 块。"
    assert lines[1] == "注意：标题随新文件改为《青山县实验小学食堂一周菜谱》（原为《青山县暑期培训通知》）。"
    assert lines[2].startswith("注意：新文件与原资源《青山县暑期培训通知》内容差别很大（词语只有 ")
    assert lines[3:] == ["章节结构：", "  一、周一", "  二、周二"]
