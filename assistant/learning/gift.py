"""Moodle GIFT export, so trainers can load the tasks into the platform their county already runs.

Only what ``to_gift`` writes is parsed back: the parser exists to prove round trips (escaping is where
GIFT exports usually break: policy text is full of colons, and 〔〕-style brackets sit next to braces).
Each question is preceded by a ``// guopei:`` comment carrying its id and type, because GIFT cannot tell a
reflection from a practice essay, nor a one-key multiple choice from a single choice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.learning.grading import citation
from assistant.learning.tasks import FALSE, TRUE, Task

_SPECIAL = "~=#{}:"
_META = re.compile(r"^// guopei: (\S+) (\S+)$")


def escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in _SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


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


def _weight(n: int) -> str:
    return f"{100 / n:.5f}".rstrip("0").rstrip(".")


def _body(task: Task) -> str:
    feedback = f"####{escape(citation(task))}"
    if task.type == "single_choice":
        opts = " ".join(("=" if o == task.answer else "~") + escape(o) for o in task.options)
        return f"{{{opts} {feedback}}}"
    if task.type == "multiple_choice":
        w = _weight(len(task.keys))
        opts = " ".join((f"~%{w}%" if o in task.keys else "~%-100%") + escape(o) for o in task.options)
        return f"{{{opts} {feedback}}}"
    if task.type == "cloze":
        return f"{{={escape(str(task.answer))} {feedback}}}"
    if task.type == "true_false":
        return f"{{{'T' if task.answer == TRUE else 'F'} {feedback}}}"
    return f"{{{feedback}}}"


def to_gift(tasks: Sequence[Task]) -> str:
    blocks = []
    for task in tasks:
        name = escape(f"{task.topic or task.type} {task.id[:8]}")
        blocks.append(f"// guopei: {task.id} {task.type}\n::{name}::{escape(task.prompt)}{_body(task)}")
    return "\n\n".join(blocks) + ("\n" if blocks else "")


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
