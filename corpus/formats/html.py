"""HTML: visible text only, one block element per line, tables as ``a | b`` rows, scripts dropped.

The tree is walked with an explicit stack, not recursion, so 200 000 nested ``<b>`` tags are just deep,
not a ``RecursionError``; start tags are counted before BeautifulSoup builds its (memory-hungry) tree,
and every element visited is charged to the file's ``Budget``.
"""

from __future__ import annotations

import codecs
import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PageElement, PreformattedString

from corpus.encoding import decode_text
from corpus.formats.common import Budget, heading_line

_HTML_DROP = ["script", "style", "noscript", "iframe", "template", "head", "svg", "object", "embed"]
_HTML_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog"}
    | {"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "html"}
    | {"li", "main", "nav", "ol", "p", "section", "summary", "ul"}
)
# Codecs decode_text finds on its own (utf, gb) or that accept any byte sequence (single-byte ones).
_HTML_UNTRUSTED = ("utf", "gb", "ascii", "iso8859", "cp", "latin", "mac", "koi8", "tis")
_HTML_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
_START_TAG = re.compile(rb"<[A-Za-z]")
# Text a reader never sees is where instructions aimed at an assistant get hidden; page chrome (breadcrumbs,
# menus, share bars) is not part of the document either.
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$)"
    r"|font-size\s*:\s*(?:0(?:\.\d+)?|1)(?:px|pt)|font-size\s*:\s*0(?:\.0+)?\s*(?:em|rem|%)?\s*(?:;|$)",
    re.IGNORECASE,
)
_CHROME = re.compile(r"(?:^|[-_\s])(?:breadcrumbs?|crumbs?|nav(?:bar)?|menu|sidebar|share|toolbar|pagination)"
                     r"(?:$|[-_\s])", re.IGNORECASE)
_UNIT = "HTML 元素"


def _decode_html(data: bytes, name: str) -> str:
    """Trust a declared multi-byte charset (big5, shift_jis...) that decodes strictly.

    Single-byte declarations decode anything, and old Chinese sites often declare iso-8859-1 while
    serving GBK, so those (and UTF-8/GBK, which decode_text finds anyway) go through decode_text.
    """
    declared = _HTML_CHARSET.search(data[:4096])
    if declared:
        charset = declared.group(1).decode("ascii").lower()
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            codec = ""
        if codec and not codec.startswith(_HTML_UNTRUSTED):
            try:
                return data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError:
                pass
    return decode_text(data, name)


class _HtmlLines:
    """Walks the tree emitting one line per block, because get_text() glues paragraphs together."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.lines: list[str] = []
        self._buf: list[str] = []
        self._bullet = False  # the next line opened inside an <li> gets "- ", as Markdown bullets do

    def flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            self.lines.append(("- " if self._bullet else "") + text)
            self._bullet = False
        self._buf.clear()

    def walk(self, root: Tag) -> None:
        """Document order; ``None`` on the stack closes the block element opened below it."""
        stack: list[PageElement | None] = list(reversed(root.contents))
        while stack:
            node = stack.pop()
            if node is None:
                self.flush()
                self._bullet = False
            elif isinstance(node, NavigableString):
                if not isinstance(node, PreformattedString):  # comments, doctype, CDATA
                    self._buf.append(str(node))
            elif isinstance(node, Tag):
                self.budget.spend(what=_UNIT)
                self._element(node, stack)

    def _element(self, tag: Tag, stack: list[PageElement | None]) -> None:
        name = tag.name.lower()
        if name == "br":
            self.flush()
        elif re.fullmatch(r"h[1-6]", name):
            self.flush()
            self.lines.append(heading_line(tag.get_text(" "), int(name[1])))
        elif name == "table":
            self.flush()
            for row in tag.find_all("tr"):
                if row.find_parent("table") is tag:  # nested tables stay inside their cell's text
                    cells = row.find_all(["td", "th"], recursive=False)
                    texts = [" ".join(c.get_text(" ").split()) for c in cells]
                    if any(texts):
                        self.lines.append(" | ".join(texts))
        elif name == "pre":
            self.flush()
            self.lines.extend(line.rstrip() for line in tag.get_text().split("\n"))
        elif name in _HTML_BLOCKS:
            self.flush()
            self._bullet = name == "li"
            stack.append(None)
            stack.extend(reversed(tag.contents))
        else:
            stack.extend(reversed(tag.contents))


def _invisible_or_chrome(tag: Tag) -> bool:
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or _HIDDEN_STYLE.search(str(tag.get("style", ""))):
        return True
    if tag.name == "nav":
        return True
    classes = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    return bool(_CHROME.search(classes))


def extract_html(data: bytes, name: str, budget: Budget) -> tuple[str, str]:
    limit = budget.limits.max_blocks  # bytes.count first: it is C-fast and bounds the start tags from above
    if data.count(b"<") > limit and sum(1 for _ in _START_TAG.finditer(data)) > limit:
        budget.refuse_count(_UNIT)
    soup = BeautifulSoup(_decode_html(data, name), "html.parser")
    budget.check_time()
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text().split()) if title_tag else ""
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    for tag in soup.find_all(_invisible_or_chrome):
        if not tag.decomposed:
            tag.decompose()
    walker = _HtmlLines(budget)
    walker.walk(soup)
    walker.flush()
    return "\n".join(walker.lines), title
