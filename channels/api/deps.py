"""The use cases of this app, looked up from ``request.app.state`` so routers stay free of globals."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.usecases import UseCases


def get_usecases(request: Request) -> UseCases:
    return request.app.state.services.usecases  # type: ignore[no-any-return]


Core = Annotated[UseCases, Depends(get_usecases)]
