"""The use-case facade: everything a person can do, whichever channel they use.

Channels (the CLI, the HTTP API, the web console, the Telegram bot) translate their input into calls here and the results
(or the typed errors of ``assistant.errors``) into their own output; they hold no SQL and no rules. Each
use case takes the ``Actor`` it runs for and checks its role against ``assistant.roles.PERMISSIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.usecases.admin import Admin
from assistant.usecases.asking import Asking
from assistant.usecases.enrolment import Enrolment
from assistant.usecases.learners import Learners
from assistant.usecases.learning import Learning
from assistant.usecases.library import Library
from assistant.usecases.people import People
from assistant.usecases.probing import Probing


@dataclass(frozen=True)
class UseCases:
    asking: Asking
    learning: Learning
    learners: Learners
    library: Library
    people: People
    admin: Admin
    probing: Probing
    enrolment: Enrolment


__all__ = ["Admin", "Asking", "Enrolment", "Learners", "Learning", "Library", "People", "Probing", "UseCases"]
