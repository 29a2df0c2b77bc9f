"""The web console: server-rendered pages for teachers, trainers and admins over the use-case facade.

``router`` is included by the HTTP app (``channels.api.app``), so ``guopei serve`` serves the console at
``/`` beside the API, in the same process, with the same accounts and roles. ``UPLOAD_PATHS`` are the
paths whose bodies are file uploads (capped at the upload size, not the small-form size).
"""

from fastapi import APIRouter

from channels.web import routes_admin, routes_login, routes_teacher, routes_trainer

UPLOAD_PATHS = (routes_trainer.UPLOAD_PATH,)

router = APIRouter(include_in_schema=False)
for _part in (routes_login.router, routes_teacher.router, routes_trainer.router, routes_admin.router):
    router.include_router(_part)

__all__ = ["UPLOAD_PATHS", "router"]
