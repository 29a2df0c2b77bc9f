"""Turn an uploaded or bundled file into a ``SourceDocument`` whose text the structure parser can read.

The contract with ``indexer.structure`` is the text format: one block per line, styled headings as
Markdown ``#`` lines unless they already carry Chinese numbering (一、 （一） 第X章), because numbering is
what the parser ranks and a ``#`` in front would hide it. Every failure is a ``LoaderError`` with a
Chinese message that names the file, since it is shown to teachers as is.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from docx.oxml.ns import qn
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from corpus.documents import DocumentMeta, LoaderError, SourceDocument
from corpus.encoding import decode_text

__all__ = ["SUPPORTED_SUFFIXES", "find_doc_number", "heading_line", "load_bytes", "load_file", "slugify"]

MAX_BYTES = 50 * 1024 * 1024
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
_TITLE_MAX = 60
_DOC_NUMBER_LINES = 10

SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
_SUPPORTED_LABEL = "TXT、Markdown（.md）、HTML（.html/.htm）、Word（.docx）、PDF（.pdf）"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc and every encrypted Office file
_HTML_SNIFF = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)

# Mirrors the markers indexer.structure ranks; such headings are emitted without '#'.
_CN_NUM = "一二三四五六七八九十百零〇两"
_NUMBERED = re.compile(
    rf"^\s*(?:第[{_CN_NUM}\d]+[编章节条]|[{_CN_NUM}]+[、．.]|[（(][{_CN_NUM}\d]+[）)]"
    r"|\d{1,2}(?:[、．]|\.(?!\d))|[①-⑳])"
)
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,4})\s*号")


def load_file(
    path: Path | str,
    *,
    doc_id: str | None = None,
    meta: DocumentMeta | None = None,
    max_bytes: int = MAX_BYTES,
) -> SourceDocument:
    """Load a file from disk; the size is checked before reading so a huge upload is never buffered."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise LoaderError(f"「{path.name}」不是文件")
        _check_size(path.name, size, max_bytes)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise LoaderError(f"找不到文件「{path.name}」") from exc
    except OSError as exc:
        raise LoaderError(f"无法读取文件「{path.name}」：{exc.strerror or exc}") from exc
    return load_bytes(data, path.name, doc_id=doc_id, meta=meta, max_bytes=max_bytes)


def load_bytes(
    data: bytes,
    filename: str,
    *,
    doc_id: str | None = None,
    meta: DocumentMeta | None = None,
    max_bytes: int = MAX_BYTES,
) -> SourceDocument:
    """Load in-memory content (an upload); ``filename`` supplies the extension, stem and messages."""
    name = re.split(r"[\\/]", filename)[-1] or filename  # uploads from Windows send C:\...\x.docx
    _check_size(name, len(data), max_bytes)
    kind = _detect_kind(data, name)
    if not data.strip():
        raise LoaderError(f"文件「{name}」没有可提取的文字")
    text, hint = _EXTRACTORS[kind](data, name)
    text = text.strip("\n")
    if not text.strip():
        if kind == "pdf":
            raise LoaderError(f"PDF「{name}」没有文字层，可能是扫描件，需要先进行 OCR 文字识别")
        raise LoaderError(f"文件「{name}」没有可提取的文字")

    stem = Path(name).stem
    title = (meta.title if meta and meta.title else "") or hint or _first_line_title(text) or stem
    if meta is None:
        meta = DocumentMeta(title=title, source=name, kind="resource")
    else:
        meta = replace(meta, title=title, source=meta.source or name)
    if not meta.doc_number:
        number = find_doc_number(text)
        if number:
            year = int(number.split("〔")[1][:4])
            meta = replace(meta, doc_number=number, year=meta.year or year)
    return SourceDocument(doc_id=doc_id or slugify(stem), text=text, meta=meta, extra={"format": kind})


def heading_line(text: str, level: int) -> str:
    """A styled heading as a text line: Markdown '#' unless the text carries its own numbering."""
    text = " ".join(text.split())
    if not text or _NUMBERED.match(text):
        return text
    return "#" * max(1, min(level, 6)) + " " + text


def find_doc_number(text: str) -> str:
    """The 文号 near the top, normalised to 〔〕; a line that is only a 文号 beats one merely citing it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:_DOC_NUMBER_LINES]
    for line in lines:
        m = _DOC_NUMBER.fullmatch(line)
        if m:
            return _format_doc_number(m)
    for line in lines:
        m = _DOC_NUMBER.search(line)
        if m:
            return _format_doc_number(m)
    return ""


def slugify(stem: str) -> str:
    """A stable id from a file name that keeps Chinese readable (``国培-2021``), not percent-encoded."""
    norm = unicodedata.normalize("NFKC", stem).lower()
    slug = re.sub(r"[^0-9a-z_\u3400-\u4dbf\u4e00-\u9fff-]+", "-", norm)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug or "doc-" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]


def _format_doc_number(m: re.Match[str]) -> str:
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        mb = 1024 * 1024
        raise LoaderError(f"文件「{name}」过大（{size / mb:.1f} MB），单个文件上限为 {max_bytes / mb:.0f} MB")


def _detect_kind(data: bytes, name: str) -> str:
    """Content beats extension: a PDF saved as .txt is still a PDF, a web page saved as .txt is HTML."""
    suffix = Path(name).suffix.lower()
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in head):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".docx" or _zip_has(data, "word/document.xml"):
            return "docx"
    elif head.startswith(_OLE2_MAGIC):
        if suffix == ".doc":
            raise LoaderError(f"不支持旧版 Word 格式（.doc）：请将「{name}」另存为 .docx 后再上传")
        if suffix == ".docx":
            raise LoaderError(f"无法打开 Word 文档「{name}」：文件已加密或损坏")
    elif _HTML_SNIFF.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "html"
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        raise LoaderError(f"不支持的文件类型「{name}」：目前支持 {_SUPPORTED_LABEL}")
    return kind


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return member in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _first_line_title(text: str) -> str:
    for line in text.splitlines():
        line = re.sub(r"^#{1,6}\s+", "", line).strip()
        if line:
            return line if len(line) <= _TITLE_MAX else ""
    return ""


# --- plain text and Markdown ---------------------------------------------------------------------------


def _decode_lines(data: bytes, name: str) -> str:
    return decode_text(data, name).replace("\r\n", "\n").replace("\r", "\n")


def _extract_text(data: bytes, name: str) -> tuple[str, str]:
    return _decode_lines(data, name), ""


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_MD_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_MD_LINK_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_MD_QUOTE = re.compile(r"^\s*(?:>\s?)+")
# Bullets stay as "- " because indexer.normalize keeps such lines apart instead of gluing them together.
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?")
_MD_INLINE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]"), ""),  # images carry no text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]"), r"\1\2"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # stray inline HTML such as <br>
    (re.compile(r"\*\*|__|~~|`"), ""),
    # Chinese puts no spaces around emphasis (这是*重点*内容), and CommonMark allows that for '*'.
    (re.compile(r"(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)"), r"\1"),
]


def _md_inline(text: str) -> str:
    for pattern, repl in _MD_INLINE:
        text = pattern.sub(repl, text)
    return text.strip()


def _md_paragraph(line: str) -> bool:
    """Only a plain paragraph line can be turned into a heading by a setext underline."""
    return bool(line.strip()) and not line.startswith(("#", "- ")) and " | " not in line


def _extract_markdown(data: bytes, name: str) -> tuple[str, str]:
    lines = _decode_lines(data, name).split("\n")
    if lines and lines[0].strip() == "---" and "---" in (ln.strip() for ln in lines[1:]):
        lines = lines[[ln.strip() for ln in lines].index("---", 1) + 1 :]  # YAML front matter
    out: list[str] = []
    headings: list[tuple[int, str]] = []
    in_fence = False
    for raw in lines:
        if _MD_FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(raw.rstrip())
            continue
        heading = _MD_HEADING.match(raw)
        if heading:
            level, text = len(heading.group(1)), _md_inline(heading.group(2))
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


# --- HTML ----------------------------------------------------------------------------------------------

_HTML_DROP = ["script", "style", "noscript", "iframe", "template", "head", "svg", "object", "embed"]
_HTML_BLOCKS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog"}
    | {"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "html"}
    | {"li", "main", "nav", "ol", "p", "section", "summary", "ul"}
)
# Codecs decode_text finds on its own (utf, gb) or that accept any byte sequence (single-byte ones).
_HTML_UNTRUSTED = ("utf", "gb", "ascii", "iso8859", "cp", "latin", "mac", "koi8", "tis")
_HTML_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)


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

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []
        self._bullet = False  # the next line opened inside an <li> gets "- ", as Markdown bullets do

    def flush(self) -> None:
        text = " ".join("".join(self._buf).split())
        if text:
            self.lines.append(("- " if self._bullet else "") + text)
            self._bullet = False
        self._buf.clear()

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):  # comments, doctype, CDATA
                    self._buf.append(str(child))
            elif isinstance(child, Tag):
                self._element(child)

    def _element(self, tag: Tag) -> None:
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
            self.walk(tag)
            self.flush()
            self._bullet = False
        else:
            self.walk(tag)


def _extract_html(data: bytes, name: str) -> tuple[str, str]:
    soup = BeautifulSoup(_decode_html(data, name), "html.parser")
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text().split()) if title_tag else ""
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    walker = _HtmlLines()
    walker.walk(soup)
    walker.flush()
    return "\n".join(walker.lines), title


# --- Word (.docx) --------------------------------------------------------------------------------------

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


def _extract_docx(data: bytes, name: str) -> tuple[str, str]:
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


# --- PDF -----------------------------------------------------------------------------------------------


def _extract_pdf(data: bytes, name: str) -> tuple[str, str]:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoaderError(f"PDF 已加密：无法打开「{name}」，请先解除密码保护后再上传")
        pages = list(reader.pages)
    except LoaderError:
        raise
    except (DependencyError, FileNotDecryptedError, NotImplementedError) as exc:
        raise LoaderError(f"PDF 已加密：无法打开「{name}」，请先解除密码保护后再上传") from exc
    except Exception as exc:  # pypdf signals damage with many exception types
        raise LoaderError(f"无法打开 PDF「{name}」：文件已损坏") from exc
    texts: list[str] = []
    for page in pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # one unreadable page should not cost the whole document
            text = ""
        text = _PDF_CONTROL.sub("", text)
        texts.append("\n".join(line.rstrip() for line in text.split("\n")).strip("\n"))
    return "\n\n".join(t for t in texts if t.strip()), ""


_PDF_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_EXTRACTORS: dict[str, Callable[[bytes, str], tuple[str, str]]] = {
    "text": _extract_text,
    "markdown": _extract_markdown,
    "html": _extract_html,
    "docx": _extract_docx,
    "pdf": _extract_pdf,
}
