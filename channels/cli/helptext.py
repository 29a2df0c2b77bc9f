"""The words typer writes itself — on every ``--help`` page and in every usage error — in Chinese.

typer gives each command an English ``--help`` line ("Show this message and exit.") and a type
placeholder beside every option and argument (``<str>``, ``<int>``, ``<bool>``, ``<list[Path]>``). A
teacher reading ``guopei quiz --help`` should meet one language, so the root group rewrites both for the
whole command tree once it is built: a command or option added later needs nothing of its own.

A placeholder is a Chinese word for what to type (文本, 整数, 路径); a flag, which takes no value, shows
none. Option metavars are not used for this: typer names an option by its metavar in error messages, so
``-k abc`` would be reported against 「整数」 instead of ``--k``.

The rest is said once here too: the usage line (用法：guopei quiz [选项]), the panel titles and the
``[default: …]`` notes of a help page, and the errors of a mistyped command line (a missing argument, an
unknown option, an extra argument, a value that is not a number). typer (0.29) carries its own copy of
click, whose messages are English f-strings rather than gettext calls, so there is no catalogue to hook:
the help page's words are typer's ``rich_utils`` constants, set when the app is built; an error is caught
where the root group parses and runs, and raised again as a ``ChineseUsageError`` worded from the
original's fields, which typer then shows as usual (its exit code kept). Only typer's plain help page,
drawn without rich (``TYPER_USE_RICH=0``), keeps its English section titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import IO, Any, get_args, get_origin

import typer
from pydantic import ValidationError
from typer import rich_utils
from typer._click.exceptions import (
    BadParameter,
    ClickException,
    FileError,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

HELP_OPTION_HELP = "显示本帮助并退出"
PLACEHOLDERS: dict[Any, str] = {str: "文本", int: "整数", float: "数字", Path: "路径"}
OTHER_VALUE = "值"
USAGE_PREFIX = "用法："
METAVARS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}  # typer's own, for the usage line
RICH_TEXT = {  # typer.rich_utils constants: a help page's panel titles and notes, an error's frame and hint
    "ARGUMENTS_PANEL_TITLE": "参数", "OPTIONS_PANEL_TITLE": "选项", "COMMANDS_PANEL_TITLE": "命令",
    "DEFAULT_STRING": "[默认：{}]", "ENVVAR_STRING": "[环境变量：{}]", "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已弃用）", "ERRORS_PANEL_TITLE": "错误", "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "输入 [blue]{command_path} {help_option}[/] 查看帮助。",
}


def placeholder(param: TyperOption | TyperArgument, typer_own: str | None) -> str | None:
    """A choice keeps typer's list of its values, which are what the user types, not English words."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    descriptor = param.type_descriptor
    if descriptor.is_choice:
        return typer_own
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation)
    return PLACEHOLDERS.get(annotation, OTHER_VALUE)


class ChineseOption(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        return placeholder(self, super().display_type_rich(ctx))


class ChineseArgument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return placeholder(self, super().display_type_rich(ctx))


def write_usage(command: Any, ctx: Any, formatter: Any) -> None:
    """The usage line, on a help page and above an error: click's formatter takes the prefix as a parameter
    but its commands never pass one. (A method of each class below: with a mixin, a command typer built
    could no longer take on the class.)"""
    formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)), prefix=USAGE_PREFIX)


class ChineseCommand(TyperCommand):
    def format_usage(self, ctx: Any, formatter: Any) -> None:
        write_usage(self, ctx, formatter)


class ChineseGroup(TyperGroup):
    def format_usage(self, ctx: Any, formatter: Any) -> None:
        write_usage(self, ctx, formatter)


def translate(command: Any) -> None:
    """typer builds its commands, parameters and the help option itself, offering no hook to choose their
    class or text; they are adjusted in place once built. The help option is made through the command's own
    ``get_help_option``, which keeps the object it returns, so every later help page and parse uses it."""
    help_option = command.get_help_option(typer.Context(command))
    if help_option is not None:
        help_option.help = HELP_OPTION_HELP
    for param in [*command.params, help_option]:
        if type(param) is TyperOption:
            param.__class__ = ChineseOption
        elif type(param) is TyperArgument:
            param.__class__ = ChineseArgument
    if type(command) is TyperCommand:
        command.__class__ = ChineseCommand
    elif type(command) is TyperGroup:
        command.__class__ = ChineseGroup
    command.options_metavar = METAVARS.get(command.options_metavar, command.options_metavar)
    if isinstance(command, TyperGroup):
        command.subcommand_metavar = METAVARS.get(command.subcommand_metavar, command.subcommand_metavar)
    for sub in getattr(command, "commands", {}).values():
        translate(sub)


# -- usage errors ---------------------------------------------------------------------------------------
_NOT_A: dict[str, str] = {  # pydantic's error types for a value typed where a number or a yes/no was wanted
    "int_parsing": "整数", "int_type": "整数", "int_from_float": "整数", "float_parsing": "数字",
    "float_type": "数字", "bool_parsing": "是非值（true/false、yes/no、1/0）", "bool_type": "是非值",
}
_BOUNDS = {"greater_than_equal": ("ge", "不能小于 {}"), "greater_than": ("gt", "应大于 {}"),
           "less_than_equal": ("le", "不能大于 {}"), "less_than": ("lt", "应小于 {}")}
# Messages click and typer raise as plain ``UsageError``s, with no fields to word them from.
_FAILURES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)", re.S), "多余的参数：{args}"),
    (re.compile(r"No such command '(?P<name>.*?)'\. Did you mean (?P<guess>.*)\?", re.S),
     "没有这个命令「{name}」，你是不是要用 {guess}？"),
    (re.compile(r"No such command '(?P<name>.*?)'\.", re.S), "没有这个命令「{name}」"),
    (re.compile(r"Missing command\."), "缺少命令"),
    (re.compile(r"Option '(?P<opt>.*)' requires an argument\."), "选项「{opt}」后面要跟一个值"),
    (re.compile(r"Option '(?P<opt>.*)' requires (?P<n>\d+) arguments\."), "选项「{opt}」后面要跟 {n} 个值"),
    (re.compile(r"Option '(?P<opt>.*)' does not take a value\."), "选项「{opt}」不带值"),
    (re.compile(r"Argument '(?P<arg>.*)' takes (?P<n>\d+) values\."), "参数「{arg}」要 {n} 个值"),
]


def _shown(value: object) -> str:
    """What the user typed, with control characters escaped (as click does) so a message cannot move the cursor."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(value))


def _names(param: Any, hint: Sequence[str] | str | None = None) -> str:
    """An option by its flags (``-k / --k``), an argument by its name, as the help page shows them."""
    if hint is not None:
        return " / ".join([hint] if isinstance(hint, str) else hint).replace("'", "")
    if param is None:
        return ""
    if isinstance(param, TyperOption) and param.opts:
        return " / ".join(param.opts)
    return str(getattr(param, "display_name_raw", None) or param.name or "")


def _why_invalid(exc: BadParameter) -> str:
    """The reason a value was refused: typer checks values with pydantic, whose error type says what was
    wanted; a reason from this project's own code is Chinese already and is kept."""
    cause = exc.__cause__
    errors = cause.errors(include_url=False) if isinstance(cause, ValidationError) else []
    if errors:
        first = errors[0]
        kind, typed, ctx = first.get("type", ""), _shown(first.get("input", "")), first.get("ctx") or {}
        if kind in _NOT_A:
            return f"「{typed}」不是{_NOT_A[kind]}"
        if kind in _BOUNDS and _BOUNDS[kind][0] in ctx:
            key, template = _BOUNDS[kind]
            return f"「{typed}」" + template.format(ctx[key])
        if kind in ("enum", "literal_error") and "expected" in ctx:
            return f"「{typed}」不是可选的值，可选：{ctx['expected']}"
    return exc.message


def usage_message(exc: ClickException) -> str:
    """The Chinese for what typer or click refused, worded from the exception's fields where it has them."""
    if isinstance(exc, MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        name = _names(exc.param, exc.param_hint)
        text = f"缺少{'选项' if kind == 'option' else '参数'}" + (f"「{name}」" if name else "")
        helptext = getattr(exc.param, "help", None)
        descriptor = getattr(exc.param, "type_descriptor", None)
        if descriptor is not None and descriptor.is_choice and descriptor.choices:
            choices = (c.value if isinstance(c, Enum) else c for c in descriptor.choices)
            text += f"，可选：{'、'.join(map(str, choices))}"
        elif helptext:
            text += f"（{helptext}）"
        return text
    if isinstance(exc, BadParameter):
        name = _names(exc.param, exc.param_hint)
        return (f"「{name}」的值无效：" if name else "值无效：") + _why_invalid(exc)
    if isinstance(exc, NoSuchOption):
        guesses = sorted(exc.possibilities or ())
        return f"没有这个选项：{_shown(exc.option_name)}" + (f"（你是不是要用 {'、'.join(guesses)}？）" if guesses else "")
    if isinstance(exc, FileError):
        return f"无法打开文件「{exc.ui_filename}」：{exc.message}"
    for pattern, template in _FAILURES:
        if found := pattern.fullmatch(exc.message):  # a list of guesses is "'a', 'b'": unquoted, joined with 、
            return template.format(**{k: v.replace("', '", "、").strip("'") for k, v in found.groupdict().items()})
    return exc.format_message()


class ChineseUsageError(UsageError):
    """A usage error worded in Chinese, shown as typer shows any (the ``RICH_TEXT`` frame and hint), or as
    click would without rich: the usage line, how to get help, then 错误：…"""

    def __init__(self, original: ClickException) -> None:
        super().__init__(usage_message(original), getattr(original, "ctx", None))
        self.exit_code = original.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        lines = []
        if self.ctx is not None:
            lines.append(self.ctx.get_usage())
            if self.ctx.command.get_help_option(self.ctx) is not None:
                lines.append(f"输入 {self.ctx.command_path} {self.ctx.help_option_names[0]} 查看帮助。")
        lines.append(f"错误：{self.format_message()}")
        typer.echo("\n".join(lines), file=file, err=file is None)


@contextmanager
def in_chinese() -> Iterator[None]:
    """Re-raise what click or typer refuses as a ``ChineseUsageError``. A group run with no arguments shows
    its (already Chinese) help page through an error of its own, which passes untouched."""
    try:
        yield
    except (NoArgsIsHelpError, ChineseUsageError):
        raise
    except ClickException as exc:
        raise ChineseUsageError(exc) from exc


class ChineseHelpGroup(ChineseGroup):
    """The root group: typer builds every subcommand and subgroup before it, so its constructor sees the
    whole tree, whether the app runs as ``guopei`` or under a test's ``CliRunner``. It parses the first
    words and runs the rest (a subcommand parses its own inside ``invoke``), so every usage error of the
    tree passes through these two methods."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate(self)
        for name, text in RICH_TEXT.items():
            if hasattr(rich_utils, name):  # read by typer when it formats, so set once the app is built
                setattr(rich_utils, name, text)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with in_chinese():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with in_chinese():
            return super().invoke(ctx)
