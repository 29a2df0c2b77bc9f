"""The HTTP API of 国培助手 (FastAPI): see ``channels.api.app.create_app``."""

from channels.api.app import create_app

__all__ = ["create_app"]
