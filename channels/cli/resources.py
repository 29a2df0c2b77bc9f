"""``guopei resources list | upload | replace | delete``: trainer resources from the command line, over
``usecases.library``.

The same use cases as the API's upload and replace routes, the web console's forms and a document sent to
the bot, so checks (one live resource per title among them), attribution, versions and indexing are
identical; only reading the file from disk is the command line's own. Whatever its size, a file is indexed
before the command returns: no server may be running to take a background job (and this process does not
start a job worker, which could take over a server's jobs). The outline printed after an upload or a
replacement is the core's: every heading of the document, in order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.errors import InvalidInput
from assistant.labels import status_label
from assistant.resource_changes import BLANK_TITLE_RULE
from assistant.resource_files import Upload
from assistant.resources import Outcome
from assistant.services import Services
from channels.cli import identity

JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
SUMMARY = ("id", "title", "version", "chunks", "status")
TITLE_HELP = f"新标题；留空时，{BLANK_TITLE_RULE}"


def _tags(raw: str) -> tuple[str, ...]:
    return tuple(t.strip() for t in raw.replace("，", ",").split(",") if t.strip())


def _read(core: Services, path: Path) -> bytes:
    """The file's bytes, refused in one line when it is missing or over the upload cap."""
    if not path.is_file():
        raise InvalidInput(f"找不到文件：{path}")
    if path.stat().st_size > core.usecases.library.max_bytes:
        raise InvalidInput(f"文件过大，请控制在 {core.usecases.library.max_bytes // 1024 // 1024} MB 以内")
    return path.read_bytes()


def _report(outcome: Outcome, done: str, as_json: bool) -> None:
    """What was indexed: the summary line (or JSON with the outline and ``notes``), what a replacement has to tell
    the trainer, then the document's headings."""
    out: dict[str, Any] = {k: outcome.resource[k] for k in SUMMARY}
    outline = outcome.outline or []
    if as_json:
        typer.echo(json.dumps({**out, "outline": outline, "notes": list(outcome.notes)}, ensure_ascii=False))
        return
    typer.echo(f"{done}：资源 {out['id']} 《{out['title']}》，第 {out['version']} 版，{out['chunks']} 块。")
    for note in outcome.notes:  # the title taken or kept, a file that looks like another document
        typer.echo(f"注意：{note}")
    if not outline:
        typer.echo("文件中没有识别出章节标题。")
        return
    typer.echo("章节结构：")
    for heading in outline:
        typer.echo(f"{'  ' * heading['level']}{heading['heading']}")


def register(app: typer.Typer, services: Callable[[], Services]) -> None:
    resources = typer.Typer(help="培训资源：上传、替换、列表、删除（培训者、管理员）", no_args_is_help=True)

    @resources.command("list")
    def list_resources(as_json: JsonOpt = False) -> None:
        """列出已上传的培训资源及其状态。"""
        rows = services().usecases.library.list(identity.actor(services))
        if as_json:
            typer.echo(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            typer.echo("还没有上传的培训资源。")
        for r in rows:
            typer.echo(f"{r['id']}\t《{r['title']}》\t第 {r['version']} 版\t{r['chunks']} 块\t{status_label(r['status'])}")

    @resources.command("upload")
    def upload(path: Annotated[Path, typer.Argument(help="TXT/Markdown/HTML/DOCX/PDF 文件")],
               title: Annotated[str, typer.Option("--title", help="标题；留空则取文件中的标题")] = "",
               kind: Annotated[str, typer.Option("--kind", help="资料类别")] = "resource",
               subject: Annotated[str, typer.Option("--subject", help="学科")] = "",
               stage: Annotated[str, typer.Option("--stage", help="学段或发展阶段")] = "",
               tags: Annotated[str, typer.Option("--tags", help="标签，逗号分隔")] = "",
               as_json: JsonOpt = False) -> None:
        """上传一份培训资源并建立索引；标题与已有资源相同时被拒绝（更新已有资源请用 replace）。"""
        core = services()
        item = Upload(_read(core, path), path.name, title, kind.strip() or "resource", subject.strip(), stage.strip(),
                      _tags(tags))
        outcome = core.usecases.library.upload(core.usecases.people.owner(identity.actor(services)), item, wait=True)
        _report(outcome, "已上传", as_json)

    @resources.command("replace")
    def replace(resource_id: Annotated[str, typer.Argument(help="资源编号（guopei resources list 查看）")],
                path: Annotated[Path, typer.Argument(help="新版本的文件")],
                title: Annotated[str, typer.Option("--title", help=TITLE_HELP)] = "",
                as_json: JsonOpt = False) -> None:
        """用新文件替换资源：版本号加一，新版本建好索引后才移除旧版本；不填标题时见 --title。新文件与原资源内容差别很大时提醒。"""
        core = services()
        actor = identity.actor(services)
        core.usecases.library.get(actor, resource_id)  # an unknown id is said before the file is read
        outcome = core.usecases.library.replace(actor, resource_id, _read(core, path), path.name, title=title,
                                                wait=True)
        _report(outcome, "已替换", as_json)

    @resources.command("delete")
    def delete(resource_id: Annotated[str, typer.Argument(help="资源编号")]) -> None:
        """删除资源及其全部文本块。"""
        removed = services().usecases.library.delete(identity.actor(services), resource_id)
        typer.echo(f"已删除资源 {resource_id}（移除 {removed} 个文本块）。")

    app.add_typer(resources, name="resources")
