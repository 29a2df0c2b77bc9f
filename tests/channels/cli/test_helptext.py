"""Every ``--help`` page of ``guopei`` is Chinese, including the lines typer writes itself, and so is every
error of a mistyped command line: a teacher never meets click's English."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner

from channels.cli.helptext import HELP_OPTION_HELP, ChineseUsageError, in_chinese
from channels.cli.main import app

WIDE = {"COLUMNS": "200"}
TYPE_PLACEHOLDER = re.compile(r"<(?:str|int|float|bool|path|Path|list\[[^\]]*\])>")


def command_paths(command: typer.core.TyperGroup | typer.core.TyperCommand,
                  path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*path, name))


def test_every_help_page_has_chinese_help_line_and_no_type_placeholders() -> None:
    runner = CliRunner()
    paths = list(command_paths(typer.main.get_command(app)))
    assert ("quiz",) in paths and ("users", "add") in paths and ("resources", "upload") in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], env=WIDE)
        assert result.exit_code == 0, (path, result.output)
        assert "Show this message" not in result.output, path
        assert HELP_OPTION_HELP in result.output, path
        assert not TYPE_PLACEHOLDER.search(result.output), (path, result.output)


def test_options_show_a_chinese_placeholder_and_flags_none() -> None:
    result = CliRunner().invoke(app, ["quiz", "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    line = {row.split()[1]: row for row in result.output.splitlines() if row.strip().startswith("│ --")}
    assert "整数" in line["--limit"] and "文本" in line["--topic"]
    assert re.search(r"--json\s+输出 JSON", line["--json"])
    assert "路径" in CliRunner().invoke(app, ["index", "--help"], env=WIDE).output


def test_a_bad_value_is_still_reported_against_the_option_name() -> None:
    result = CliRunner().invoke(app, ["quiz", "--limit", "abc"], env=WIDE)
    assert result.exit_code == 2
    assert "--limit" in result.output


# What typer and click write in English of their own; none of it may reach a teacher.
ENGLISH = ("Usage", "Error", "Missing", "No such", "unexpected extra", "Try '", "for help", "Invalid value",
           "Input should be", "Possible options", "Options", "Arguments", "Commands", "[default:", "[required]",
           "[OPTIONS]", "COMMAND", "[ARGS]")


def _refused(args: list[str]) -> str:
    """A mistyped command line: exit code 2, the usage line and how to get help in Chinese, no English."""
    result = CliRunner().invoke(app, args, env=WIDE)
    assert result.exit_code == 2, (args, result.output)
    assert "用法：" in result.output and "--help 查看帮助。" in result.output, result.output
    assert not [word for word in ENGLISH if word in result.output], result.output
    return result.output


def test_a_missing_argument_is_named_in_chinese_with_what_it_is() -> None:
    output = _refused(["resources", "upload"])
    assert "缺少参数「path」（TXT/Markdown/HTML/DOCX/PDF 文件）" in output
    assert "resources upload [选项] {path}" in output


def test_an_unknown_option_is_refused_in_chinese_with_the_likely_one() -> None:
    assert "没有这个选项：--tpoic（你是不是要用 --topic？）" in _refused(["quiz", "--tpoic", "教研"])
    assert "没有这个选项：--nothing-like-it" in _refused(["quiz", "--nothing-like-it"])


def test_unexpected_extra_arguments_are_listed_in_chinese() -> None:
    assert "多余的参数：b c" in _refused(["search", "a", "b", "c"])


def test_a_value_that_is_not_an_integer_is_refused_in_chinese_against_the_option() -> None:
    assert "「--limit」的值无效：「abc」不是整数" in _refused(["quiz", "--limit", "abc"])


def test_an_unknown_command_is_refused_in_chinese_with_the_likely_one() -> None:
    assert "没有这个命令「qiuz」，你是不是要用 quiz？" in _refused(["qiuz"])


def test_help_pages_have_a_chinese_usage_line_panels_and_notes() -> None:
    runner = CliRunner()
    for args, usage, panels in ((["--help"], "[选项] 命令 [参数]...", ("选项", "命令")),
                                (["quiz", "--help"], "quiz [选项]", ("选项",)),
                                (["resources", "upload", "--help"], "resources upload [选项] {path}", ("参数", "选项"))):
        result = runner.invoke(app, args, env=WIDE)
        assert result.exit_code == 0, (args, result.output)
        [line] = [row for row in result.output.splitlines() if "用法：" in row]
        assert line.strip().startswith("用法：") and line.rstrip().endswith(usage), line
        assert all(f"─ {title} ─" in result.output for title in panels), result.output
        assert not [word for word in ENGLISH if word in result.output], (args, result.output)
    assert "[默认：6]" in runner.invoke(app, ["quiz", "--help"], env=WIDE).output
    assert "[必填]" in runner.invoke(app, ["resources", "upload", "--help"], env=WIDE).output
    assert "[环境变量：GUOPEI_AS]" in runner.invoke(app, ["--help"], env=WIDE).output


def test_without_rich_an_error_is_shown_in_chinese_too() -> None:
    """``TYPER_USE_RICH=0`` makes typer call the error's own ``show``, which click words in English."""
    root = typer.main.get_command(app)
    ctx = root.make_context("guopei", ["quiz"])
    quiz = root.get_command(ctx, "quiz")
    with pytest.raises(ChineseUsageError) as refused, in_chinese():
        quiz.make_context("quiz", ["--tpoic", "x"], parent=ctx)
    shown = io.StringIO()
    refused.value.show(shown)
    assert shown.getvalue() == ("用法：guopei quiz [选项]\n输入 guopei quiz --help 查看帮助。\n"
                                "错误：没有这个选项：--tpoic（你是不是要用 --topic？）\n")
