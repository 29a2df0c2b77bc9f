"""Word .docx: paragraphs and tables in body order, heading styles as headings, zip-bomb guard first.

The body is walked on the XML elements themselves, not through python-docx's ``Paragraph.style`` and
``_Row.cells``: those look a style up by scanning every style definition, and find a merged cell's
origin by scanning every row above, per paragraph and per cell. A small file of 100 000 empty paragraphs
then took minutes. Here the styles are resolved once per document, a paragraph costs a dictionary lookup,
a merged cell a lookup in the row above, and every block is charged to the document's ``Budget``.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
from docx.oxml.ns import qn

from corpus.documents import LoaderError
from corpus.formats.common import Budget, heading_line

MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_ON = {"1", "true", "on"}
_UNIT = "段落和表格单元格"
_W_P, _W_TBL, _W_SDT = qn("w:p"), qn("w:tbl"), qn("w:sdt")


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


def _style_level(name: str) -> int:
    """Heading level a style name stands for (Heading N / 标题 N / Title), 0 for body styles."""
    name = name.strip()
    if name.lower() in {"title", "标题"}:
        return 1
    m = _HEADING_STYLE.match(name)
    return int(m.group(1)) if m else 0


class _Styles:
    """Paragraph style id → heading level, read once; resolves ids exactly as python-docx does.

    A missing or unknown id, or an id naming a non-paragraph style, means the default paragraph style
    (the last one marked default), which python-docx's ``Paragraph.style`` returns in those cases too.
    """

    def __init__(self, styles_element: Any) -> None:
        self.levels: dict[str, int | None] = {}
        self.default = 0
        for style in styles_element.iterchildren(qn("w:style")):
            paragraph = style.get(qn("w:type"), "paragraph") == "paragraph"
            name_el = style.find(qn("w:name"))
            level = _style_level(name_el.get(qn("w:val"), "") if name_el is not None else "")
            style_id = style.get(qn("w:styleId"))
            if style_id is not None and style_id not in self.levels:
                self.levels[style_id] = level if paragraph else None
            if paragraph and style.get(qn("w:default"), "").lower() in _ON:
                self.default = level

    def level(self, p: Any) -> int:
        """Heading level from the style or, as WPS writes it, the paragraph's own outline level."""
        ppr = p.pPr
        style_id = ppr.style if ppr is not None else None
        level = self.levels.get(style_id) if style_id is not None else None
        level = self.default if level is None else level
        if level:
            return level
        outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if outline is not None and (val := outline.get(qn("w:val"), "")).isdigit() and int(val) < 9:
            return int(val) + 1
        return 0


def _paragraph_lines(p: Any, styles: _Styles) -> list[str]:
    if len(p) == 0:  # <w:p/>: an empty paragraph needs neither its text nor its style looked up
        return [""]
    text = p.text
    if not text:
        return [""]
    level = styles.level(p)
    if level:
        return [heading_line(text, level)]
    return [line.rstrip() for line in text.split("\n")]


def _cell_text(tc: Any) -> str:
    return " ".join("\n".join(p.text for p in tc.p_lst).split())


def _table_rows(tbl: Any, budget: Budget) -> list[str]:
    """One ``a | b`` line per row; a vertically merged cell repeats its text in every row it covers.

    ``above`` maps the grid column where each cell of the previous row starts to the cell that owns it,
    so a merge continuation (``vMerge`` continue) finds its origin in one lookup, however long the merge.
    """
    rows: list[str] = []
    above: dict[int, tuple[Any, str]] = {}
    for tr in tbl.tr_lst:
        budget.spend(what=_UNIT)
        here: dict[int, tuple[Any, str]] = {}
        offset = tr.grid_before
        for tc in tr.tc_lst:  # one <w:tc> per cell, however many grid columns it spans
            budget.spend(what=_UNIT)
            owner = above.get(offset) if tc.vMerge == "continue" else None
            here[offset] = owner or (tc, _cell_text(tc))
            offset += tc.grid_span
        above = here
        cells = [text for _, text in here.values()]
        if any(cells):
            rows.append(" | ".join(cells).rstrip())
    return rows


def _docx_blocks(parent: Any, styles: _Styles, budget: Budget, out: list[str]) -> None:
    """Body children in document order; content controls (w:sdt) are unwrapped rather than lost."""
    for child in parent.iterchildren():
        if child.tag == _W_P:
            budget.spend(what=_UNIT)
            out.extend(_paragraph_lines(child, styles))
        elif child.tag == _W_TBL:
            out.extend(_table_rows(child, budget))
        elif child.tag == _W_SDT:
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _docx_blocks(content, styles, budget, out)


def extract_docx(data: bytes, name: str, budget: Budget) -> tuple[str, str]:
    _check_zip(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
        budget.check_time()
        out: list[str] = []
        _docx_blocks(document.element.body, _Styles(document.styles.element), budget, out)
        title = (document.core_properties.title or "").strip()
    except LoaderError:
        raise
    except Exception as exc:  # python-docx raises KeyError, lxml errors, ... on damaged packages
        raise LoaderError(f"无法打开 Word 文档「{name}」：文件已加密或损坏") from exc
    return "\n".join(out), title
