"""Who a ``guopei`` command acts for: the operator at the machine, or with ``--as NAME`` a real account.

By default the person at the machine is the operator (``People.operator``: every role's rights, no rate
limit, learning as ``local`` unless ``--user`` names another learner). ``guopei --as NAME …`` (or ``GUOPEI_AS``) resolves an account
through the facade instead, so the command runs with that account's role and records exactly as its API
token or web sign-in would: a teacher is refused an admin command with the same message everywhere. Only
the surface differs: the account acts *via* ``cli``, so its questions and feedback count as the command
line's, not the API's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from assistant.roles import Actor
from assistant.services import Services
from assistant.usecases.people import CLI, People

_account: str | None = None


def choose(name: str | None) -> None:
    global _account
    _account = (name or "").strip() or None


def chosen() -> str | None:
    return _account


def actor(services: Callable[[], Services]) -> Actor:
    """The account named by ``--as``, else the operator (learning as ``local``)."""
    if _account is not None:
        return replace(services().usecases.people.account(_account), via=CLI)
    return People.operator()
