"""``guopei`` — the command line over the use cases (``assistant.usecases``); no retrieval, answer or
record-keeping logic lives here. The person at the machine is the operator (``People.operator``): every
role's rights and no rate limit, since they can read the data directory anyway.

Every command group is registered explicitly below: a broken import fails loudly when the command runs
instead of silently removing ``guopei serve`` or ``guopei bot``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.errors import CoreError, RateLimited
from assistant.services import Services, read_settings
from assistant.usecases.people import People
from channels.cli import admin, errors, identity, learning, resources, server
from channels.cli.helptext import ChineseHelpGroup
from channels.plain import sources_block

app = typer.Typer(help="国培助手：国培计划政策与培训资源知识库问答", no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False, cls=ChineseHelpGroup)
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
BatchOpt = Annotated[Path | None, typer.Option("--batch", help="批量模式：JSONL 输入，每行 {id, question, history?}")]
KOpt = Annotated[int | None, typer.Option("-k", "--k", help="返回条数")]
OPERATOR = People.operator()


@app.callback()
def _root(account: Annotated[str | None, typer.Option(
        "--as", envvar="GUOPEI_AS", help="以某个账号的身份运行（用户名；其角色与学习记录同 API、网页登录）")] = None,
          ) -> None:
    """国培助手命令行。"""
    identity.choose(account)


@lru_cache(maxsize=1)
def services() -> Services:
    """The composition root, built on first use (``guopei --help`` stays instant)."""
    return Services.from_settings(read_settings())


def indexed() -> Services:
    built = services()
    built.usecases.library.index(OPERATOR)
    return built


def _dump(obj: dict[str, Any]) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False))


def _batch(path: Path, handle: Callable[[str, Any, Any], dict[str, Any]],
           sleep: Callable[[float], None] = time.sleep) -> None:
    """One output line per input line, in order, same id (``handle`` gets the question, its history and
    its id); a bad line yields an error object, not a crash. Past an account's per-minute limit the run
    waits and goes on: a file of questions is asked in full."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            item: Any = None
            while True:
                try:
                    item = json.loads(line)
                    out = handle(item["question"], item.get("history"), item.get("id", lineno))
                except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                    out = {"id": lineno, "error": f"第 {lineno} 行格式错误：{exc}"}
                except RateLimited as exc:
                    typer.echo(f"已达每分钟提问上限，{exc.retry_after} 秒后继续第 {lineno} 行……", err=True)
                    sleep(exc.retry_after)
                    continue
                except CoreError as exc:
                    out = {"id": item.get("id", lineno), "error": str(exc)}
                break
            _dump(out)


@app.command()
def index(paths: Annotated[list[Path] | None, typer.Argument(help="文件或目录；缺省为内置语料")] = None,
          listing: Annotated[bool, typer.Option("--list", help="列出知识库中的文件（编号、标题、块数）")] = False,
          remove: Annotated[str | None, typer.Option("--remove", help="按编号移除一份按路径建立索引的文件")] = None,
          ) -> None:
    """建立或更新知识库索引（幂等：未变化的文档不会重复处理）；--list 查看、--remove 移除文件。"""
    from tqdm import tqdm

    core = services()
    library, actor = core.usecases.library, identity.actor(services)
    if listing or remove:
        if remove:
            removed = library.unindex(actor, remove)
            typer.echo(f"已移除  {remove}  {removed} 块")
        for d in library.stats(actor)["documents"]:
            number = f"（{d['doc_number']}）" if d["doc_number"] else ""
            typer.echo(f"{d['doc_id']}  《{d['title']}》{number}  {d['chunks']} 块")
        typer.echo(f"知识库共 {library.stats(actor)['chunks']} 块")
        return
    failed: list[str] = []
    skipped: list[Path] = []
    bar = tqdm(total=None, unit="篇", desc="索引" if paths else "索引内置语料", file=sys.stderr)
    results = library.index(actor, paths or [], progress=lambda r: bar.update(1),
                            on_error=lambda path, exc: failed.append(str(exc)), on_skip=skipped.append)
    bar.close()
    for r in results:
        state = "已更新" if r.changed else "未变化"
        typer.echo(f"{state}  {r.doc_id}  《{r.title}》  {r.chunks} 块")
    typer.echo(f"知识库共 {library.stats(OPERATOR)['chunks']} 块")
    if skipped:
        names = "、".join(p.name for p in skipped[:10]) + ("等" if len(skipped) > 10 else "")
        typer.echo(f"跳过 {len(skipped)} 个不是文档的文件（只索引 TXT、Markdown、HTML、DOCX、PDF）：{names}", err=True)
    for message in failed:
        typer.echo(f"错误：{message}", err=True)
    if failed:
        raise typer.Exit(errors.REFUSED)


def _print_hits(hits: list[dict[str, Any]]) -> None:
    for i, h in enumerate(hits, 1):
        typer.echo(f"[{i}] {h['score']:.3f}  《{h['title']}》 {h['section']}")
        typer.echo(f"    {h['text'][:160]}")


@app.command()
def search(query: Annotated[str | None, typer.Argument()] = None, k: KOpt = None, as_json: JsonOpt = False,
           batch: BatchOpt = None) -> None:
    """检索测试：返回排序后的文本块及得分。"""
    asking = indexed().usecases.asking
    if batch:
        _batch(batch, lambda q, h, i: {"id": i, "results": asking.search(identity.actor(services), q, k=k)})
        return
    hits = asking.search(identity.actor(services), query or "", k=k)
    if as_json:
        _dump({"id": None, "results": hits})
    else:
        _print_hits(hits)


def _print_answer(out: dict[str, Any]) -> None:
    not_specified = out.get("verdict") == "not_specified"
    typer.echo(("【文件未作规定】" if not_specified else "") + out["answer"])
    block = sources_block(out)
    if block:
        typer.echo("\n" + block)


@app.command()
def ask(question: Annotated[str | None, typer.Argument()] = None, k: KOpt = None, as_json: JsonOpt = False,
        batch: BatchOpt = None) -> None:
    """提问：基于知识库作答并给出出处；依据不足时明确说明。"""
    asking = indexed().usecases.asking
    if batch:
        _batch(batch, lambda q, h, i: asking.ask(identity.actor(services), q, h, k=k, request_id=i))
        return
    out = asking.ask(identity.actor(services), question or "", None, k=k)
    if as_json:
        _dump(out)
    else:
        _print_answer(out)


@app.command()
def chat() -> None:
    """交互式对话（支持追问）；输入 /exit 退出，/clear 清空上下文。"""
    core = indexed()
    asking = core.usecases.asking
    history: list[dict[str, Any]] = []
    interactive = sys.stdin.isatty()
    typer.echo(f"国培助手已就绪（知识库 {core.usecases.library.stats(OPERATOR)['chunks']} 块）。请输入问题，/exit 退出。")
    while True:
        try:
            line = input("你> " if interactive else "")
        except EOFError:
            break
        line = line.strip()
        if line in {"/exit", "/quit", "exit", "quit"}:
            break
        if line == "/clear":
            history.clear()
            typer.echo("已清空上下文，接下来的问题不再接着前面的对话。")
            continue
        if not line:
            continue
        if not interactive:
            typer.echo(f"你> {line}")
        try:
            out = asking.ask(identity.actor(services), line, history)
        except CoreError as exc:
            typer.echo(str(exc))
            continue
        typer.echo("助手> ", nl=False)
        _print_answer(out)
        typer.echo("")
        history = asking.history_window([*history, {"role": "user", "content": line},
                                         {"role": "assistant", "content": out["answer"]}])


learning.register(app, services, indexed)
admin.register(app, services)
resources.register(app, services)
server.register(app, services)


def main() -> None:
    errors.run(app)


if __name__ == "__main__":
    main()
