"""Answers that grow in place: the first checked sentence as a message, then edits as more is checked.

The core streams a generative answer as checked pieces and then the whole answer (``Asking.ask_stream``),
but it is blocking, and handlers run on the bot's event loop: ``Pump`` iterates it in a worker thread and
hands the events over through an asyncio queue, so other chats are served while a model is writing.

Telegram throttles edits (about one a second in a chat, then ``429 retry_after``), so ``LiveAnswer``
never edits more often than ``EDIT_INTERVAL`` per chat (``ChatPacer``, shared by all answers in a chat):
pieces that arrive in between are coalesced into the next edit, an edit that would not change the text
is skipped, and a 429 holds the chat for as long as Telegram says. The final edit shows the answer exactly
as a non-streamed reply would (citations, buttons) — which also replaces streamed text the core rejected.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import suppress
from datetime import timedelta
from typing import Any, Generic, TypeVar

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from assistant.usecases.asking import Answered, Delta, StreamEvent
from bots.telegram import render

log = logging.getLogger(__name__)
T = TypeVar("T")
EDIT_INTERVAL = 1.2  # seconds between two writes to one chat while an answer streams
MAX_FLOOD_WAITS = 5  # a final edit or first message refused this often in a row is given up
_TIMEOUT = object()
_DONE = object()


class Pump(Generic[T]):
    """A blocking iterator run in its own thread; ``next`` awaits its items on the event loop."""

    def __init__(self, make: Callable[[], Iterator[T]]) -> None:
        self._make = make
        self._queue: asyncio.Queue[tuple[object, Any]] = asyncio.Queue()
        self._stopped = threading.Event()
        self._loop = asyncio.get_running_loop()
        threading.Thread(target=self._work, name="answer-stream", daemon=True).start()

    def _put(self, kind: object, item: Any) -> None:
        with suppress(RuntimeError):  # the loop is gone (bot shutting down): nobody is waiting
            self._loop.call_soon_threadsafe(self._queue.put_nowait, (kind, item))

    def _work(self) -> None:
        try:
            iterator = self._make()
            try:
                for item in iterator:
                    if self._stopped.is_set():
                        break
                    self._put(None, item)
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()
        except BaseException as exc:  # re-raised on the loop, where the bot's error handler answers it
            self._put(exc, None)
        else:
            self._put(_DONE, None)

    async def next(self, timeout: float | None = None) -> T | object:
        """The next item; ``_TIMEOUT`` when none came within ``timeout`` (0: only what is already here).
        Raises ``StopAsyncIteration`` at the end and the iterator's own exception if it failed."""
        try:
            kind, item = self._queue.get_nowait()
        except asyncio.QueueEmpty:
            if timeout is not None and timeout <= 0:
                return _TIMEOUT
            try:
                kind, item = await asyncio.wait_for(self._queue.get(), timeout)
            except TimeoutError:
                return _TIMEOUT
        if kind is _DONE:
            raise StopAsyncIteration
        if isinstance(kind, BaseException):
            raise kind
        return item

    def stop(self) -> None:
        """Let the worker finish at its next item (the model reply is then closed, not read to the end)."""
        self._stopped.set()


class ChatPacer:
    """When each chat may next be written to: every answer streaming in a chat takes turns here."""

    def __init__(self, interval: float = EDIT_INTERVAL) -> None:
        self.interval = interval
        self._next: dict[int, float] = {}

    def wait(self, chat_id: int) -> float:
        return max(0.0, self._next.get(chat_id, 0.0) - time.monotonic())

    def wrote(self, chat_id: int) -> None:
        self.hold(chat_id, self.interval)

    def hold(self, chat_id: int, seconds: float) -> None:
        now = time.monotonic()
        if len(self._next) > 10_000:  # forget chats whose turn has long come
            self._next = {c: t for c, t in self._next.items() if t > now}
        self._next[chat_id] = max(self._next.get(chat_id, 0.0), now + seconds)


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's ``retry_after`` in seconds, whichever type this python-telegram-bot release gives."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _unchanged(error: BadRequest) -> bool:
    return "message is not modified" in str(error).lower()


class LiveAnswer:
    """One answer shown in a chat while it is written: ``stream`` it, then ``finish`` with its rendering."""

    def __init__(self, asked: Message, pacer: ChatPacer) -> None:
        self.asked = asked
        self.chat_id = asked.chat_id
        self.pacer = pacer
        self.shown: Message | None = None  # the growing message, once the first piece arrived
        self._html = ""  # what it shows now

    async def stream(self, make: Callable[[], Iterator[StreamEvent]]) -> dict[str, Any]:
        """Show the checked pieces as they come; returns the answer (the ``Answered`` event's)."""
        pump: Pump[StreamEvent] = Pump(make)
        text, dirty = "", False
        try:
            while True:
                wait = self.pacer.wait(self.chat_id) if dirty else None
                try:
                    event = await pump.next(wait)
                except StopAsyncIteration:
                    raise RuntimeError("answer stream ended without an answer") from None
                if event is _TIMEOUT:
                    dirty = not await self._edit(render.render_partial(text))
                elif isinstance(event, Answered):
                    return event.answer
                elif isinstance(event, Delta):
                    text += event.text
                    if self.shown is None:
                        await self._first(render.render_partial(text))
                    else:
                        dirty = True
        except Exception:
            await self._cut_short(text)  # the error handler then apologises in a message of its own
            raise
        finally:
            pump.stop()

    async def finish(self, parts: list[str], markup: InlineKeyboardMarkup | None) -> None:
        """The answer as a non-streamed reply shows it: the first part replaces the growing message."""
        if self.shown is None:
            rest = parts
        else:
            await self._final(parts[0], markup if len(parts) == 1 else None)
            rest = parts[1:]
        for i, part in enumerate(rest):
            await self.asked.reply_text(part, parse_mode=ParseMode.HTML,
                                        reply_markup=markup if i == len(rest) - 1 else None)

    # -- writing to the chat ---------------------------------------------------------------------------
    async def _first(self, html: str) -> None:
        for _ in range(MAX_FLOOD_WAITS):
            try:
                self.shown = await self.asked.reply_text(html, parse_mode=ParseMode.HTML)
            except RetryAfter as flood:
                await asyncio.sleep(retry_seconds(flood))
                continue
            self._html = html
            self.pacer.wrote(self.chat_id)
            return
        raise RuntimeError("Telegram kept refusing the first part of an answer (flood control)")

    async def _edit(self, html: str) -> bool:
        """One progress edit, if it changes anything; False when Telegram said to wait (text still due)."""
        if html == self._html:
            return True
        assert self.shown is not None
        try:
            await self.shown.edit_text(html, parse_mode=ParseMode.HTML)
        except RetryAfter as flood:
            self.pacer.hold(self.chat_id, retry_seconds(flood))
            log.info("Telegram 限流：%s 秒后再更新回答", retry_seconds(flood))
            return False
        except BadRequest as error:
            if not _unchanged(error):
                raise
        self._html = html
        self.pacer.wrote(self.chat_id)
        return True

    async def _cut_short(self, text: str) -> None:
        """A failure after pieces were shown: say the shown text is all there will be, not "writing…"."""
        if self.shown is None:
            return
        try:
            await asyncio.sleep(self.pacer.wait(self.chat_id))
            await self.shown.edit_text(render.render_partial(text, render.CUT_SHORT), parse_mode=ParseMode.HTML)
            self.pacer.wrote(self.chat_id)
        except Exception:  # flood control or the network: the apology that follows still explains
            log.warning("无法标记未完成的回答", exc_info=True)

    async def _final(self, html: str, markup: InlineKeyboardMarkup | None) -> None:
        assert self.shown is not None
        for _ in range(MAX_FLOOD_WAITS):
            await asyncio.sleep(self.pacer.wait(self.chat_id))
            try:
                await self.shown.edit_text(html, parse_mode=ParseMode.HTML, reply_markup=markup)
            except RetryAfter as flood:
                self.pacer.hold(self.chat_id, retry_seconds(flood))
                continue
            except BadRequest as error:
                if not _unchanged(error):
                    raise
            self._html = html
            self.pacer.wrote(self.chat_id)
            return
        raise RuntimeError("Telegram kept refusing the final edit of an answer (flood control)")
