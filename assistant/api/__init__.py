"""The HTTP API of 国培助手 (FastAPI): see ``assistant.api.app.create_app``."""

from assistant.api.app import create_app

__all__ = ["create_app"]
