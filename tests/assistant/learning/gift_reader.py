"""Reading GIFT back: a small parser of the question banks ``assistant.learning.gift`` writes, so tests can
check that every exported task survives a round trip (prompt, options, keys, type and id)."""

from __future__ import annotations

import re
from typing import Any

from assistant.learning.tasks import FALSE, TRUE

_META = re.compile(r"^// guopei: (\S+) (\S+)$")


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split_unescaped(text: str, stop: str) -> tuple[str, str]:
    """text up to the first unescaped ``stop`` character, and the rest after it."""
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == stop:
            return text[:i], text[i + 1:]
        i += 1
    return text, ""


def _answer_tokens(body: str) -> list[tuple[str, str]]:
    """(marker, raw text) for each = / ~ answer, general feedback (####) cut off."""
    tokens: list[tuple[str, str]] = []
    i, start, marker = 0, 0, ""
    while i <= len(body):
        if i < len(body) and body[i] == "\\":
            i += 2
            continue
        at_end = i == len(body)
        if at_end or body[i] in "=~" or body.startswith("####", i):
            if marker:
                tokens.append((marker, body[start:i].strip()))
            if at_end or body.startswith("####", i):
                break
            marker, start = body[i], i + 1
        i += 1
    return tokens


def parse_gift(text: str) -> list[dict[str, Any]]:
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        meta = ("", "")
        lines = []
        for line in block.splitlines():
            m = _META.match(line.strip())
            if m:
                meta = (m.group(1), m.group(2))
            elif not line.strip().startswith("//"):
                lines.append(line)
        raw = "\n".join(lines).strip()
        if not raw.startswith("::"):
            continue
        name, rest = _split_unescaped(raw[2:], ":")
        rest = rest.removeprefix(":")
        prompt, rest = _split_unescaped(rest, "{")
        body = rest.rsplit("}", 1)[0].strip()
        tokens = _answer_tokens(body)
        options, keys = [], []
        for marker, tok in tokens:
            weight = re.match(r"%(-?[\d.]+)%", tok)
            value = unescape(tok[weight.end():] if weight else tok).strip()
            options.append(value)
            if marker == "=" or (weight and float(weight.group(1)) > 0):
                keys.append(value)
        plain = unescape(_split_unescaped(body, "#")[0]).strip()
        kind = meta[1]
        if not kind:
            kind = ("true_false" if plain in ("T", "F", "TRUE", "FALSE") else "reflection" if not tokens
                    else "cloze" if len(tokens) == 1 else "multiple_choice" if "%" in body else "single_choice")
        item: dict[str, Any] = {"id": meta[0], "name": unescape(name), "type": kind, "prompt": unescape(prompt),
                                "options": options if kind in ("single_choice", "multiple_choice") else []}
        if kind == "true_false":
            item["answer"] = TRUE if plain.startswith("T") else FALSE
        elif kind == "multiple_choice":
            item["answer"] = keys
        elif kind in ("single_choice", "cloze"):
            item["answer"] = keys[0] if keys else ""
        else:
            item["answer"] = ""
        out.append(item)
    return out
