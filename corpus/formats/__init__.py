"""One module per file format; each turns bytes into (text, title hint) in the loader text format,
charging its work to the file's ``Budget``."""

from __future__ import annotations

from collections.abc import Callable

from corpus.formats.common import Budget
from corpus.formats.docx import extract_docx
from corpus.formats.html import extract_html
from corpus.formats.markdown import extract_markdown, extract_text
from corpus.formats.pdf import extract_pdf

EXTRACTORS: dict[str, Callable[[bytes, str, Budget], tuple[str, str]]] = {
    "text": extract_text,
    "markdown": extract_markdown,
    "html": extract_html,
    "docx": extract_docx,
    "pdf": extract_pdf,
}
