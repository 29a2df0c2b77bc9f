"""A stand-in Telegram Bot API server: real HTTP on 127.0.0.1, the real wire format, strict where Telegram is.

python-telegram-bot talks to it exactly as to api.telegram.org: ``POST /bot<TOKEN>/<method>`` with
form-encoded or multipart bodies (nested objects such as ``reply_markup`` arrive as JSON strings), and
files are fetched from ``/file/bot<TOKEN>/<path>``. Replies are ``{"ok": true, "result": …}`` with real
object shapes. It is strict on purpose — HTML is parsed into ``text`` + ``entities`` and malformed markup,
over-long texts, oversized callback data, unchanged edits and double callback answers are rejected with
Telegram's 400 errors — so a bot that passes here does not fail on the real service for those reasons.
Flood control is scripted: ``flood_once`` answers a method's next call with 429 and ``retry_after``.

The test side queues updates (``message``, ``press``, ``document``) and waits for what the bot sent.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from evals.scripted_llm import in_thread
from tests.bots.telegram.wire import JSON_FIELDS, ApiError, Sent, command_entities, parse_html, utf16


class FakeBotApi:
    def __init__(self, token: str) -> None:
        self.token = token
        self.me = {"id": 7_000_000_001, "is_bot": True, "first_name": "国培助手", "username": "guopei_test_bot",
                   "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        self.cond = threading.Condition()
        self.updates: list[dict[str, Any]] = []
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.errors: list[tuple[str, str]] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.callback_queries: dict[str, bool] = {}  # id -> answered
        self.commands: list[dict[str, Any]] = []  # the default menu
        self.chat_commands: dict[int, list[dict[str, Any]]] = {}  # menus set for one chat (BotCommandScopeChat)
        self.floods: dict[str, int] = {}  # method -> retry_after for its next call, refused once with 429
        self.flooded: list[tuple[str, float]] = []  # (method, when) of every 429 sent
        self._update_id = 100
        self._message_id = 1
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wakeup: asyncio.Event | None = None
        self.base_url = ""

    # -- the server ------------------------------------------------------------------------------------
    def app(self) -> Starlette:
        @asynccontextmanager
        async def lifespan(app: Starlette) -> Any:
            self._loop, self._wakeup = asyncio.get_running_loop(), asyncio.Event()
            yield

        return Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                                 Route("/file/bot{token}/{path:path}", self._file, methods=["GET"])],
                         lifespan=lifespan)

    async def _endpoint(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path_params["method"]
        params, files = await self._params(request)
        with self.cond:
            retry_after = self.floods.pop(method, None)
            if retry_after is not None:
                self.flooded.append((method, time.monotonic()))
        if retry_after is not None:
            return JSONResponse({"ok": False, "error_code": 429,
                                 "description": f"Too Many Requests: retry after {retry_after}",
                                 "parameters": {"retry_after": retry_after}}, 429)
        handler = getattr(self, f"m_{method}", None)
        if handler is None:
            return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        try:
            result = await handler(params, files) if method == "getUpdates" else handler(params, files)
        except ApiError as exc:
            with self.cond:
                self.errors.append((method, exc.description))
                self.cond.notify_all()
            return JSONResponse({"ok": False, "error_code": exc.code, "description": exc.description}, exc.code)
        return JSONResponse({"ok": True, "result": result})

    @staticmethod
    async def _params(request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.headers.get("content-type", "").startswith("application/json"):
            return await request.json(), files
        form = await request.form()
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = (value.filename or key, await value.read())
            else:
                params[key] = json.loads(value) if key in JSON_FIELDS else value
        return params, files

    async def _file(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        for path, data in self.files.values():
            if path == request.path_params["path"]:
                return Response(data, media_type="application/octet-stream")
        return Response(status_code=404)

    # -- Bot API methods -------------------------------------------------------------------------------
    def m_getMe(self, p: dict[str, Any], f: Any) -> dict[str, Any]:
        return self.me

    def m_deleteWebhook(self, p: dict[str, Any], f: Any) -> bool:
        return True

    def m_getWebhookInfo(self, p: dict[str, Any], f: Any) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self.updates)}

    def m_setMyCommands(self, p: dict[str, Any], f: Any) -> bool:
        scope = p.get("scope") or {"type": "default"}
        if scope.get("type") == "chat":
            self.chat_commands[int(scope["chat_id"])] = p.get("commands", [])
        else:
            self.commands = p.get("commands", [])
        return True

    def m_deleteMyCommands(self, p: dict[str, Any], f: Any) -> bool:
        scope = p.get("scope") or {"type": "default"}
        if scope.get("type") == "chat":
            self.chat_commands.pop(int(scope["chat_id"]), None)
        else:
            self.commands = []
        return True

    def m_sendChatAction(self, p: dict[str, Any], f: Any) -> bool:
        return True

    async def m_getUpdates(self, p: dict[str, Any], f: Any) -> list[dict[str, Any]]:
        offset, limit = int(p.get("offset", 0) or 0), int(p.get("limit", 100) or 100)
        deadline = time.monotonic() + float(p.get("timeout", 0) or 0)
        assert self._wakeup is not None
        while True:
            self._wakeup.clear()
            with self.cond:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                ready = self.updates[:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0:
                return ready
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    def m_sendMessage(self, p: dict[str, Any], f: Any) -> dict[str, Any]:
        text, entities = self._text(p)
        return self._store("sendMessage", int(p["chat_id"]), {"text": text, "entities": entities}, p)

    def m_editMessageText(self, p: dict[str, Any], f: Any) -> dict[str, Any]:
        chat_id, message_id = int(p["chat_id"]), int(p["message_id"])
        with self.cond:
            old = self.messages.get((chat_id, message_id))
        if old is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        text, entities = self._text(p)
        markup = self._markup(p)
        if text == old.get("text") and entities == old.get("entities", []) and markup == old.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")
        fields = {"text": text, "entities": entities, "edit_date": int(time.time())}
        return self._store("editMessageText", chat_id, fields, p, message_id=message_id)

    def m_answerCallbackQuery(self, p: dict[str, Any], f: Any) -> bool:
        qid = p["callback_query_id"]
        with self.cond:
            if self.callback_queries.get(qid, True):
                raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is "
                                    "invalid")
            self.callback_queries[qid] = True
            self.sent.append(Sent("answerCallbackQuery", 0, None, callback_text=p.get("text", ""),
                                  at=time.monotonic()))
            self.cond.notify_all()
        return True

    def m_getFile(self, p: dict[str, Any], f: Any) -> dict[str, Any]:
        if p["file_id"] not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        path, data = self.files[p["file_id"]]
        return {"file_id": p["file_id"], "file_unique_id": p["file_id"][:8], "file_size": len(data),
                "file_path": path}

    def m_sendDocument(self, p: dict[str, Any], f: dict[str, tuple[str, bytes]]) -> dict[str, Any]:
        if "document" not in f:
            raise ApiError(400, "Bad Request: there is no document in the request")
        name, data = f["document"]
        file_id = f"doc{uuid.uuid4().hex}"
        self.files[file_id] = (f"documents/{name}", data)
        doc = {"file_id": file_id, "file_unique_id": file_id[:12], "file_name": name, "file_size": len(data),
               "mime_type": "text/html" if name.endswith(".html") else "application/octet-stream"}
        fields: dict[str, Any] = {"document": doc}
        if p.get("caption"):
            fields["caption"] = p["caption"]
        return self._store("sendDocument", int(p["chat_id"]), fields, p, document=(name, data))

    # -- helpers for the methods -----------------------------------------------------------------------
    def _text(self, p: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        raw = str(p.get("text", ""))
        text, entities = parse_html(raw) if str(p.get("parse_mode", "")).upper() == "HTML" else (raw, [])
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return text, entities

    @staticmethod
    def _markup(p: dict[str, Any]) -> dict[str, Any] | None:
        markup = p.get("reply_markup")
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if not button.get("text") or (data is not None and not 1 <= len(data.encode()) <= 64):
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _store(self, method: str, chat_id: int, fields: dict[str, Any], p: dict[str, Any],
               message_id: int | None = None, document: tuple[str, bytes] | None = None) -> dict[str, Any]:
        markup = self._markup(p)
        with self.cond:
            if message_id is None:
                message_id, self._message_id = self._message_id, self._message_id + 1
                message = {"message_id": message_id, "date": int(time.time()), "from": self.me,
                           "chat": {"id": chat_id, "type": "private", "first_name": "教师"}}
            else:
                message = dict(self.messages[(chat_id, message_id)])
            message.update(fields)
            message.pop("reply_markup", None)
            if markup and markup.get("inline_keyboard"):
                message["reply_markup"] = markup
            self.messages[(chat_id, message_id)] = message
            self.sent.append(Sent(method, chat_id, message_id, message.get("text", message.get("caption", "")),
                                  message.get("entities", []), message.get("reply_markup"), document,
                                  at=time.monotonic()))
            self.cond.notify_all()
        return message

    # -- the test side ---------------------------------------------------------------------------------
    @staticmethod
    def user(uid: int, name: str = "老师") -> dict[str, Any]:
        return {"id": uid, "is_bot": False, "first_name": name, "language_code": "zh-hans"}

    def _queue(self, payload: dict[str, Any]) -> float:
        with self.cond:
            payload["update_id"] = self._update_id
            self._update_id += 1
            self.updates.append(payload)
            queued = time.monotonic()
        if self._loop is not None and self._wakeup is not None:
            self._loop.call_soon_threadsafe(self._wakeup.set)
        return queued

    def _user_message(self, uid: int, **fields: Any) -> dict[str, Any]:
        with self.cond:
            message_id, self._message_id = self._message_id, self._message_id + 1
        return {"message_id": message_id, "date": int(time.time()), "from": self.user(uid),
                "chat": {"id": uid, "type": "private", "first_name": "老师"}, **fields}

    def message(self, uid: int, text: str) -> float:
        """A user types ``text``; returns when it was queued (for latency)."""
        fields: dict[str, Any] = {"text": text}
        if command_entities(text):
            fields["entities"] = command_entities(text)
        return self._queue({"message": self._user_message(uid, **fields)})

    def document(self, uid: int, filename: str, data: bytes, caption: str = "",
                 mime_type: str = "text/plain") -> float:
        file_id = f"up{uuid.uuid4().hex}"
        self.files[file_id] = (f"documents/file_{len(self.files)}{filename[filename.rfind('.'):]}", data)
        doc = {"file_id": file_id, "file_unique_id": file_id[:12], "file_name": filename, "mime_type": mime_type,
               "file_size": len(data)}
        return self._queue({"message": self._user_message(uid, document=doc,
                                                          **({"caption": caption} if caption else {}))})

    def press(self, uid: int, sent: Sent, label: str, data: str | None = None) -> float:
        """A user taps the button whose label contains ``label`` on ``sent`` (or a client forges ``data``)."""
        data = data or sent.button(label)["callback_data"]
        qid = uuid.uuid4().hex[:16]
        with self.cond:
            self.callback_queries[qid] = False
            message = self.messages[(sent.chat_id, sent.message_id)]
        return self._queue({"callback_query": {"id": qid, "from": self.user(uid), "message": message,
                                               "chat_instance": str(uid), "data": data}})

    def flood_once(self, method: str, retry_after: int) -> None:
        """Refuse the next call of ``method`` the way Telegram's flood control does (429 + retry_after)."""
        with self.cond:
            self.floods[method] = retry_after

    def mark(self) -> int:
        with self.cond:
            return len(self.sent)

    def wait_for(self, predicate: Callable[[Sent], bool], since: int = 0, timeout: float = 30.0) -> Sent:
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for item in self.sent[since:]:
                    if predicate(item):
                        return item
                if self.errors:
                    raise AssertionError(f"Bot API errors: {self.errors}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; sent since {since}: "
                                         f"{[(s.method, s.chat_id, s.text[:60]) for s in self.sent[since:]]}")
                self.cond.wait(remaining)

    def reply(self, chat_id: int, since: int, contains: str = "", method: str = "sendMessage",
              timeout: float = 30.0) -> Sent:
        return self.wait_for(lambda s: s.method == method and s.chat_id == chat_id and contains in s.text,
                             since, timeout)


@contextmanager
def running(token: str) -> Iterator[FakeBotApi]:
    """Serve a FakeBotApi with uvicorn in a thread; ``api.base_url`` is what the bot's settings take."""
    api = FakeBotApi(token)
    with in_thread(api.app(), "fake-bot-api", lifespan="on") as port:
        api.base_url = f"http://127.0.0.1:{port}/bot"
        yield api
