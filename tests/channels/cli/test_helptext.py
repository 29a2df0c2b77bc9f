"""Every ``--help`` page of ``guopei`` is Chinese, including the lines typer writes itself."""

from __future__ import annotations

import re
from collections.abc import Iterator

import typer
from typer.testing import CliRunner

from channels.cli.helptext import HELP_OPTION_HELP
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
