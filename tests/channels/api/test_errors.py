"""The API's one mapping from the core's typed errors to status codes."""

from __future__ import annotations

from assistant import errors
from channels.api.errors import DESCRIPTIONS, STATUS


def test_every_typed_error_has_a_status_with_a_description() -> None:
    kinds = {cls.kind for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.CoreError) and cls is not errors.CoreError}
    assert kinds == set(STATUS)
    assert all(code in DESCRIPTIONS for code in STATUS.values())
    assert STATUS["not_found"] == 404 and STATUS["forbidden"] == 403 and STATUS["too_large"] == 413
