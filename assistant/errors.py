"""What can go wrong in a use case, as types: each channel maps these once to its own way of saying no.

The core never chooses an HTTP status, a Telegram reply or an exit code; it raises one of these with a
message a teacher can read (Chinese, naming what to change). The API turns them into status codes in one
exception handler, the bot into one short reply, the CLI into one line on stderr and a non-zero exit.
They also subclass the matching built-in (``ValueError``, ``LookupError``, ``PermissionError``) so code
that only cares about the broad kind can still catch them as such.
"""

from __future__ import annotations


class CoreError(Exception):
    """Base of every error a use case raises on purpose; ``str(error)`` is the message for people."""

    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidInput(CoreError, ValueError):
    """The request cannot be carried out as given (empty question, unknown option, bad profile value)."""

    kind = "invalid"


class NotFound(CoreError, LookupError):
    kind = "not_found"


class Forbidden(CoreError, PermissionError):
    """The actor's role does not allow this (``roles``: the roles that would), or the object belongs to
    someone else (``roles`` empty)."""

    kind = "forbidden"

    def __init__(self, message: str, roles: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.roles = roles


class Unauthenticated(CoreError):
    kind = "unauthenticated"


class TooLarge(CoreError, ValueError):
    kind = "too_large"


class UnsupportedFormat(CoreError, ValueError):
    kind = "unsupported"


class Conflict(CoreError):
    """The request clashes with the current state (an eval already running, a name already taken)."""

    kind = "conflict"


class RateLimited(CoreError):
    kind = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(CoreError):
    """Not possible yet (the knowledge base is still being indexed); worth retrying later."""

    kind = "unavailable"


class Cancelled(CoreError):
    """A background job was cancelled by an administrator while it ran."""

    kind = "cancelled"
