"""The one place where the command line turns errors into a line on stderr and an exit code, never a traceback.

A refusal from the core (``assistant.errors``) exits with 2; a store or model that cannot be reached, and
anything unexpected, with 1. The message is always the Chinese one the core wrote.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import typer

from assistant.errors import CoreError
from indexer.embedders.base import EmbedderError
from indexer.store import StoreError

REFUSED, BROKEN = 2, 1


def run(app: Callable[[], Any]) -> None:
    try:
        app()
    except CoreError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(REFUSED)
    except (StoreError, EmbedderError) as exc:
        typer.echo(f"错误：{exc}", err=True)
        sys.exit(BROKEN)
    except Exception as exc:  # a bug: say what happened in one line rather than dump a stack on a teacher
        typer.echo(f"内部错误：{type(exc).__name__}: {exc}", err=True)
        sys.exit(BROKEN)
