"""The Bot API wire details the stand-in server shares with tests: errors, HTML entities, sent records.

HTML is parsed the way Telegram's HTML parse mode does — supported tags become entities with UTF-16
offsets, anything else (an unknown tag, an unclosed tag, a bare ``<`` or ``&``) is the same 400 error
Telegram returns — so tests can both assert on what a teacher actually sees and catch escaping bugs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

JSON_FIELDS = {"reply_markup", "entities", "caption_entities", "allowed_updates", "commands", "scope",
               "reply_parameters", "link_preview_options"}
_ENTITY = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
           "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "code": "code", "pre": "pre",
           "a": "text_link", "blockquote": "blockquote", "tg-spoiler": "spoiler", "span": "spoiler"}
_LOOSE_LT = re.compile(r"<(?!/?[a-zA-Z][a-zA-Z-]*(\s[^<>]*)?>)")
_LOOSE_AMP = re.compile(r"&(?!(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);)")


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Html(HTMLParser):
    """Telegram's HTML parse mode: supported tags become entities with UTF-16 offsets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self.stack: list[tuple[str, dict[str, Any]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ENTITY or (tag == "span" and ("class", "tg-spoiler") not in attrs):
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        entity: dict[str, Any] = {"type": _ENTITY[tag], "offset": utf16(self.text)}
        if tag == "a":
            entity["url"] = dict(attrs).get("href") or ""
        self.stack.append((tag, entity))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}"')
        _, entity = self.stack.pop()
        entity["length"] = utf16(self.text) - entity["offset"]
        if entity["length"]:
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.text += data


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    for pattern, what in ((_LOOSE_LT, "<"), (_LOOSE_AMP, "&")):
        m = pattern.search(source)
        if m:
            raise ApiError(400, f"Bad Request: can't parse entities: unescaped '{what}' at byte offset "
                                f"{len(source[:m.start()].encode())}")
    parser = _Html()
    parser.feed(source)
    parser.close()
    if parser.stack:
        raise ApiError(400, f"Bad Request: can't parse entities: Can't find end tag corresponding to start "
                            f"tag \"{parser.stack[-1][0]}\"")
    return parser.text, sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


def command_entities(text: str) -> list[dict[str, Any]]:
    m = re.match(r"/[A-Za-z0-9_]+(@\w+)?", text)
    return [{"type": "bot_command", "offset": 0, "length": len(m.group())}] if m else []


@dataclass
class Sent:
    """One thing the bot did that a user would see."""

    method: str
    chat_id: int
    message_id: int | None
    text: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: tuple[str, bytes] | None = None
    callback_text: str | None = None
    at: float = 0.0

    def buttons(self) -> list[dict[str, Any]]:
        return [b for row in (self.reply_markup or {}).get("inline_keyboard", []) for b in row]

    def button(self, label: str) -> dict[str, Any]:
        found = [b for b in self.buttons() if label in b["text"]]
        assert found, f"no button {label!r} in {[b['text'] for b in self.buttons()]}"
        return found[0]
