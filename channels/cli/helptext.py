"""The parts of every ``--help`` page that typer writes itself, in Chinese.

typer gives each command an English ``--help`` line ("Show this message and exit.") and a type
placeholder beside every option and argument (``<str>``, ``<int>``, ``<bool>``, ``<list[Path]>``). A
teacher reading ``guopei quiz --help`` should meet one language, so the root group rewrites both for the
whole command tree once it is built: a command or option added later needs nothing of its own.

A placeholder is a Chinese word for what to type (文本, 整数, 路径); a flag, which takes no value, shows
none. Option metavars are not used for this: typer names an option by its metavar in error messages, so
``-k abc`` would be reported against 「整数」 instead of ``--k``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

HELP_OPTION_HELP = "显示本帮助并退出"
PLACEHOLDERS: dict[Any, str] = {str: "文本", int: "整数", float: "数字", Path: "路径"}
OTHER_VALUE = "值"


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


def translate(command: Any) -> None:
    """typer builds its parameters and the help option itself, offering no hook to choose their class or
    text; they are adjusted in place once built. The help option is made through the command's own
    ``get_help_option``, which keeps the object it returns, so every later help page and parse uses it."""
    help_option = command.get_help_option(typer.Context(command))
    if help_option is not None:
        help_option.help = HELP_OPTION_HELP
    for param in [*command.params, help_option]:
        if type(param) is TyperOption:
            param.__class__ = ChineseOption
        elif type(param) is TyperArgument:
            param.__class__ = ChineseArgument
    for sub in getattr(command, "commands", {}).values():
        translate(sub)


class ChineseHelpGroup(TyperGroup):
    """The root group: typer builds every subcommand and subgroup before it, so its constructor sees the
    whole tree, whether the app runs as ``guopei`` or under a test's ``CliRunner``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        translate(self)
