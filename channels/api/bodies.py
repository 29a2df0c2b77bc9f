"""Request bodies refuse fields they do not have.

A misspelt optional field used to be dropped in silence and the request run on its default:
``POST /v1/evals {"datasets": ["nosuch"]}`` ran the seed set. As with the strict integers (``"k": "5"`` is
refused, not read as 5), a field the body does not have is the client's mistake and is told as one: 422
naming it beside the fields the body does have (``channels.api.errors``). The OpenAI-compatible bodies
(``channels.api.openai_wire``) keep accepting extra fields, as OpenAI's clients send many we have no use for.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RequestBody(BaseModel):
    """The base of every ``/v1`` JSON request body of our own."""

    model_config = ConfigDict(extra="forbid")
