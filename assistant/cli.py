"""``guopei`` — the command line over ``assistant.service``; no retrieval or answer logic lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.service import Assistant, QuestionError
from assistant.settings import Settings

app = typer.Typer(help="国培助手：国培计划政策与培训资源知识库问答", no_args_is_help=True, add_completion=False)
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]
BatchOpt = Annotated[Path | None, typer.Option("--batch", help="批量模式：JSONL 输入，每行 {id, question, history?}")]
KOpt = Annotated[int | None, typer.Option("-k", "--k", help="返回条数")]


def _assistant(index: bool = True) -> Assistant:
    assistant = Assistant.from_settings(Settings())
    if index:
        assistant.ensure_indexed()
    return assistant


def _dump(obj: dict[str, Any]) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False))


def _batch(path: Path, handle: Any) -> None:
    """One output line per input line, in order, same id; a bad line yields an error object, not a crash."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                out = {"id": item.get("id", lineno), **handle(item["question"], item.get("history"))}
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                out = {"id": lineno, "error": f"第 {lineno} 行格式错误：{exc}"}
            except QuestionError as exc:
                out = {"id": item.get("id", lineno), "error": str(exc)}
            _dump(out)


@app.command()
def index(paths: Annotated[list[Path] | None, typer.Argument(help="文件或目录；缺省为内置语料")] = None) -> None:
    """建立或更新知识库索引（幂等：未变化的文档不会重复处理）。"""
    from tqdm import tqdm

    assistant = _assistant(index=False)
    failed: list[str] = []
    bar = tqdm(total=None, unit="篇", desc="索引" if paths else "索引内置语料", file=sys.stderr)
    if paths:
        results = assistant.index_paths(paths, progress=lambda r: bar.update(1),
                                        on_error=lambda path, exc: failed.append(str(exc)))
    else:
        results = assistant.ensure_indexed(progress=lambda r: bar.update(1))
    bar.close()
    for r in results:
        state = "已更新" if r.changed else "未变化"
        typer.echo(f"{state}  {r.doc_id}  《{r.title}》  {r.chunks} 块")
    typer.echo(f"知识库共 {assistant.store.count()} 块")
    for message in failed:
        typer.echo(f"错误：{message}", err=True)
    if failed:
        raise typer.Exit(2)


def _print_hits(hits: list[dict[str, Any]]) -> None:
    for i, h in enumerate(hits, 1):
        typer.echo(f"[{i}] {h['score']:.3f}  《{h['title']}》 {h['section']}")
        typer.echo(f"    {h['text'][:160]}")


@app.command()
def search(query: Annotated[str | None, typer.Argument()] = None, k: KOpt = None, as_json: JsonOpt = False,
           batch: BatchOpt = None) -> None:
    """检索测试：返回排序后的文本块及得分。"""
    assistant = _assistant()
    if batch:
        _batch(batch, lambda q, h: {"results": assistant.search(q, k)})
        return
    try:
        hits = assistant.search(query or "", k)
    except QuestionError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    if as_json:
        _dump({"id": None, "results": hits})
    else:
        _print_hits(hits)


def _print_answer(out: dict[str, Any]) -> None:
    not_specified = out.get("verdict") == "not_specified"
    typer.echo(("【文件未作规定】" if not_specified else "") + out["answer"])
    if out["citations"]:
        typer.echo("\n相关原文（仅供参考）：" if not_specified else "\n来源：")
        for c in out["citations"]:
            number = f"（{c['doc_number']}）" if c.get("doc_number") else ""
            typer.echo(f"[{c['marker']}] 《{c['title']}》{number} {c['section']}\n    “{c['text']}”")


@app.command()
def ask(question: Annotated[str | None, typer.Argument()] = None, k: KOpt = None, as_json: JsonOpt = False,
        batch: BatchOpt = None) -> None:
    """提问：基于知识库作答并给出出处；依据不足时明确说明。"""
    assistant = _assistant()
    if batch:
        _batch(batch, lambda q, h: assistant.ask(q, h, k))
        return
    try:
        out = assistant.ask(question or "", None, k)
    except QuestionError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    if as_json:
        _dump({"id": None, **out})
    else:
        _print_answer(out)


@app.command()
def chat() -> None:
    """交互式对话（支持追问）；输入 /exit 退出，/clear 清空上下文。"""
    assistant = _assistant()
    history: list[dict[str, str]] = []
    interactive = sys.stdin.isatty()
    typer.echo(f"国培助手已就绪（知识库 {assistant.store.count()} 块）。请输入问题，/exit 退出。")
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
            continue
        if not line:
            continue
        if not interactive:
            typer.echo(f"你> {line}")
        try:
            out = assistant.ask(line, history)
        except QuestionError as exc:
            typer.echo(str(exc))
            continue
        typer.echo("助手> ", nl=False)
        _print_answer(out)
        typer.echo("")
        history += [{"role": "user", "content": line}, {"role": "assistant", "content": out["answer"]}]


@app.command("eval")
def eval_run(
    action: Annotated[str, typer.Argument(help="run")],
    datasets: Annotated[list[Path], typer.Argument(help="JSONL 评测集（可多个，合并为一次运行）")],
    split: Annotated[str, typer.Option("--split", help="dev（调参用）、test（留出集）或 all")] = "all",
    out: Annotated[Path | None, typer.Option("--out", help="结果目录")] = None,
    k: Annotated[int, typer.Option("--k")] = 5,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="与之比较的上一次运行目录")] = None,
    index: Annotated[list[Path] | None, typer.Option("--index", help="评测前先加入知识库的文件或目录")] = None,
    kb: Annotated[str, typer.Option("--kb", help="declared（各评测集用其声明的知识库，默认）、eval 或 bundled")] = "declared",
) -> None:
    """运行答案质量评测：guopei eval run DATASET… [--split test] [--out DIR] [--k 5]。"""
    from evals.runner import main as run_main  # evals sits above the assistant; imported only when asked

    if action != "run":
        typer.echo("用法：guopei eval run DATASET… [--split dev|test|all] [--out DIR]", err=True)
        raise typer.Exit(2)
    args = [x for d in datasets for x in ("--dataset", str(d))] + ["--split", split, "-k", str(k), "--kb", kb]
    args += ["--out", str(out)] if out else []
    args += ["--baseline", str(baseline)] if baseline else []
    args += [x for path in index or [] for x in ("--index", str(path))]
    raise typer.Exit(run_main(args))


def _register_extensions() -> None:
    """Feature areas add their own commands; the core commands above stay import-light."""
    from assistant.learning_cli import register as register_learning

    register_learning(app)
    try:
        from assistant.api.commands import register as register_api
    except ImportError:  # the API extras are optional for a CLI-only install
        return
    register_api(app)
    try:
        from bots.telegram.commands import register as register_bots
    except ImportError:  # the bot channel is optional for a CLI-only install
        return
    register_bots(app)


_register_extensions()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
