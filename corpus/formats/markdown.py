"""Plain text and Markdown: Markdown headings stay ``#`` lines, emphasis and links become plain text.

The inline patterns stop at the next opening bracket or angle bracket rather than scanning to the end of
the line, so a line of 200 000 ``[`` costs linear time instead of hours; every non-blank line is charged
to the file's ``Budget``.
"""

from __future__ import annotations

import re

from corpus.formats.common import Budget, decode_lines, heading_line


def extract_text(data: bytes, name: str, budget: Budget) -> tuple[str, str]:
    text = decode_lines(data, name)
    budget.check_time()
    return text, ""


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*)$")
_MD_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_MD_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_MD_LINK_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_MD_QUOTE = re.compile(r"^\s*(?:>\s?)+")
# Bullets stay as "- " because indexer.normalize keeps such lines apart instead of gluing them together.
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?")
_MD_INLINE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"!\[[^\[\]]*\]\([^()]*\)|!\[[^\[\]]*\]\[[^\[\]]*\]"), ""),  # images carry no text
    (re.compile(r"\[([^\[\]]*)\]\([^()]*\)|\[([^\[\]]*)\]\[[^\[\]]*\]"), r"\1\2"),
    (re.compile(r"<(https?://[^<>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^<>]*>"), ""),  # stray inline HTML such as <br>
    (re.compile(r"\*\*|__|~~|`"), ""),
    # Chinese puts no spaces around emphasis (这是*重点*内容), and CommonMark allows that for '*'.
    (re.compile(r"(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)"), r"\1"),
]


def _md_inline(text: str) -> str:
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    return text.strip()


def _heading_text(rest: str) -> str:
    """The text after the opening hashes without the optional closing ``##``, which must follow a space.

    Done with string methods: the regex ``(.*?)(?:\\s+#+)?\\s*$`` backtracks quadratically over a long
    run of spaces.
    """
    text = rest.rstrip()
    bare = text.rstrip("#")
    return bare.rstrip() if bare != text and bare[-1:].isspace() else text


def _md_paragraph(line: str) -> bool:
    """Only a plain paragraph line can be turned into a heading by a setext underline."""
    return bool(line.strip()) and not line.startswith(("#", "- ")) and " | " not in line


def extract_markdown(data: bytes, name: str, budget: Budget) -> tuple[str, str]:
    lines = decode_lines(data, name).split("\n")
    if lines and lines[0].strip() == "---" and "---" in (ln.strip() for ln in lines[1:]):
        lines = lines[[ln.strip() for ln in lines].index("---", 1) + 1 :]  # YAML front matter
    out: list[str] = []
    headings: list[tuple[int, str]] = []
    in_fence = False
    for raw in lines:
        if raw.strip():
            budget.spend(what="文本行")
        if _MD_FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(raw.rstrip())
            continue
        heading = _MD_HEADING.match(raw)
        if heading:
            level, text = len(heading.group(1)), _md_inline(_heading_text(heading.group(2)))
            headings.append((level, text))
            out.append(heading_line(text, level))
        elif re.fullmatch(r"\s*(=+|-+)\s*", raw) and out and _md_paragraph(out[-1]):
            level = 1 if "=" in raw else 2  # setext heading underlines the previous line
            headings.append((level, out[-1]))
            out[-1] = heading_line(out[-1], level)
        elif _MD_TABLE_SEP.fullmatch(raw) and "|" in raw:
            continue  # the |---|:---:| row under a table header
        elif _MD_RULE.match(raw) or _MD_LINK_DEF.match(raw):
            out.append("")
        elif raw.lstrip().startswith("|"):
            cells = re.split(r"(?<!\\)\|", raw.strip().strip("|"))
            out.append(" | ".join(_md_inline(c.replace("\\|", "|")) for c in cells))
        else:
            line = _MD_QUOTE.sub("", raw)
            bullet = _MD_BULLET.match(line)
            out.append(("- " if bullet else "") + _md_inline(line[bullet.end() :] if bullet else line))
    title = next((t for lvl, t in headings if lvl == 1), headings[0][1] if headings else "")
    return "\n".join(out), title
