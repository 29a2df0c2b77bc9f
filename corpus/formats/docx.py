"""Word .docx: paragraphs and tables in body order, heading styles as headings, zip-bomb guard first."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from corpus.documents import LoaderError
from corpus.formats.common import heading_line

MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def _check_zip(data: bytes, name: str) -> None:
    """Refuse zip bombs before python-docx inflates anything: zipfile never reads past declared sizes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LoaderError(f"无法打开 Word 文档「{name}」：文件已加密或损坏") from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > MAX_ZIP_UNCOMPRESSED or total > MAX_ZIP_RATIO * max(packed, 1):
        raise LoaderError(f"拒绝处理 Word 文档「{name}」：解压后体积异常（疑似压缩炸弹）")


def _docx_heading_level(paragraph: Paragraph) -> int:
    """Heading level from the style (Heading N / 标题 N / Title) or, as WPS writes it, the outline level."""
    try:
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, ValueError, AttributeError):
        style = ""
    if style.strip().lower() in {"title", "标题"}:
        return 1
    m = _HEADING_STYLE.match(style.strip())
    if m:
        return int(m.group(1))
    ppr = paragraph._p.pPr
    outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if outline is not None and (val := outline.get(qn("w:val"), "")).isdigit() and int(val) < 9:
        return int(val) + 1
    return 0


def _docx_row(row: _Row) -> str:
    cells: list[str] = []
    seen: list[Any] = []  # the <w:tc> elements themselves: lxml proxies are only stable while referenced
    for cell in row.cells:
        if any(cell._tc is tc for tc in seen):  # a merged cell is repeated once per grid column it spans
            continue
        seen.append(cell._tc)
        cells.append(" ".join(cell.text.split()))
    return " | ".join(cells).rstrip() if any(cells) else ""


def _docx_blocks(parent: Any, container: Any, out: list[str]) -> None:
    """Body children in document order; content controls (w:sdt) are unwrapped rather than lost."""
    for child in parent.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, container)
            level = _docx_heading_level(paragraph)
            if level:
                out.append(heading_line(paragraph.text, level))
            else:
                out.extend(line.rstrip() for line in paragraph.text.split("\n"))
        elif child.tag == qn("w:tbl"):
            out.extend(row for row in map(_docx_row, Table(child, container).rows) if row)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _docx_blocks(content, container, out)


def extract_docx(data: bytes, name: str) -> tuple[str, str]:
    _check_zip(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        out: list[str] = []
        _docx_blocks(document.element.body, document, out)
        title = (document.core_properties.title or "").strip()
    except LoaderError:
        raise
    except Exception as exc:  # python-docx raises KeyError, lxml errors, ... on damaged packages
        raise LoaderError(f"无法打开 Word 文档「{name}」：文件已加密或损坏") from exc
    return "\n".join(out), title
