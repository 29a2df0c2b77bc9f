"""Turn an uploaded or bundled file into a ``SourceDocument`` whose text the structure parser can read.

The contract with ``indexer.structure`` is the text format: one block per line, styled headings as
Markdown ``#`` lines unless they already carry Chinese numbering (一、 （一） 第X章), because numbering is
what the parser ranks and a ``#`` in front would hide it. Every failure is a ``LoaderError`` with a
Chinese message that names the file, since it is shown to teachers as is.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path

from corpus.documents import DocumentMeta, FileTooLarge, LoaderError, SourceDocument, UnsupportedFileType
from corpus.formats import EXTRACTORS
from corpus.formats.common import Budget, ParseLimits, heading_line
from corpus.metadata import find_date, find_doc_number, find_issuers
from corpus.text import HAN_EXTENDED

__all__ = ["SUPPORTED_SUFFIXES", "ParseLimits", "detect_kind", "find_doc_number", "heading_line", "is_document_file",
           "load_bytes", "load_file", "slugify"]

MAX_BYTES = 50 * 1024 * 1024
_TITLE_MAX = 60

SUPPORTED_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}


def is_document_file(relative: Path) -> bool:
    """Whether a file met while walking a folder is a document to index: a supported type, not hidden (nor
    inside a hidden folder such as .git), not an Office lock file (~$教案.docx). A legacy .doc counts: reading
    it fails with how to convert it, which the operator needs to see."""
    if any(part.startswith(".") for part in relative.parts) or relative.name.startswith("~$"):
        return False
    return relative.suffix.lower() in SUPPORTED_SUFFIXES or relative.suffix.lower() == ".doc"


_SUPPORTED_LABEL = "TXT、Markdown（.md）、HTML（.html/.htm）、Word（.docx）、PDF（.pdf）"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc and every encrypted Office file
_HTML_SNIFF = re.compile(
    rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)



def load_file(
    path: Path | str,
    *,
    doc_id: str | None = None,
    meta: DocumentMeta | None = None,
    max_bytes: int = MAX_BYTES,
    limits: ParseLimits | None = None,
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
    return load_bytes(data, path.name, doc_id=doc_id, meta=meta, max_bytes=max_bytes, limits=limits)


def load_bytes(
    data: bytes,
    filename: str,
    *,
    doc_id: str | None = None,
    meta: DocumentMeta | None = None,
    max_bytes: int = MAX_BYTES,
    limits: ParseLimits | None = None,
    fallback_title: str = "",
) -> SourceDocument:
    """Load in-memory content (an upload); ``filename`` supplies the extension, stem and messages.

    ``limits`` bound the parsing work (blocks, pages, seconds) beyond the byte size; see ``Budget``. The title
    is ``meta.title`` when given, else the file's own (its metadata or first line), else ``fallback_title``,
    else the file name. What the file calls itself is kept in ``extra["own_title"]`` ("" when nothing in it
    reads as a title), so a replacement can say so when it keeps another title.
    """
    name = re.split(r"[\\/]", filename)[-1] or filename  # uploads from Windows send C:\...\x.docx
    _check_size(name, len(data), max_bytes)
    kind = detect_kind(data, name)
    if not data.strip():
        raise LoaderError(f"文件「{name}」没有可提取的文字")
    text, hint = EXTRACTORS[kind](data, name, Budget(name, limits or ParseLimits()))
    text = text.strip("\n")
    if not text.strip():
        if kind == "pdf":
            raise LoaderError(f"PDF「{name}」没有文字层，可能是扫描件，需要先进行 OCR 文字识别")
        raise LoaderError(f"文件「{name}」没有可提取的文字")

    stem = Path(name).stem
    own = hint or _first_line_title(text)
    title = (meta.title if meta and meta.title else "") or own or fallback_title or stem
    if meta is None:
        meta = DocumentMeta(title=title, source=name, kind="resource")
    else:
        meta = replace(meta, title=title, source=meta.source or name)
    if not meta.doc_number:
        number = find_doc_number(text)
        if number:
            year = int(number.split("〔")[1][:4])
            meta = replace(meta, doc_number=number, year=meta.year or year)
    if not meta.date:
        date = find_date(text)
        if date:
            meta = replace(meta, date=date, year=meta.year or int(date[:4]))
    if not meta.issuers:
        meta = replace(meta, issuers=find_issuers(meta.title, text))
    return SourceDocument(doc_id=doc_id or slugify(stem), text=text, meta=meta,
                          extra={"format": kind, "own_title": own.strip()})


def slugify(stem: str) -> str:
    """A stable id from a file name that keeps Chinese readable (``国培-2021``), not percent-encoded."""
    norm = unicodedata.normalize("NFKC", stem).lower()
    slug = re.sub(f"[^0-9a-z_{HAN_EXTENDED}-]+", "-", norm)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug or "doc-" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        mb = 1024 * 1024
        raise FileTooLarge(f"文件「{name}」过大（{size / mb:.1f} MB），单个文件上限为 {max_bytes / mb:.0f} MB")


def detect_kind(data: bytes, filename: str) -> str:
    """Content beats extension: a PDF saved as .txt is still a PDF, a web page saved as .txt is HTML.

    Cheap (a look at the first bytes and the zip directory), so an upload can be refused for its type
    before any parsing is scheduled; raises ``UnsupportedFileType`` for what we do not read.
    """
    name = re.split(r"[\\/]", filename)[-1] or filename
    suffix = Path(name).suffix.lower()
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in head):
        return "pdf"
    if suffix == ".pdf" and _plain_text(data):
        return "text"  # a text file named .pdf was reported as a damaged PDF; its content says what it is
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".docx" or _zip_has(data, "word/document.xml"):
            return "docx"
    elif head.startswith(_OLE2_MAGIC):
        if suffix == ".doc":
            raise UnsupportedFileType(f"不支持旧版 Word 格式（.doc）：请将「{name}」另存为 .docx 后再上传")
        if suffix == ".docx":
            raise LoaderError(f"无法打开 Word 文档「{name}」：文件已加密或损坏")
    elif _HTML_SNIFF.match(head.removeprefix(b"\xef\xbb\xbf")):
        return "html"
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        raise UnsupportedFileType(f"不支持的文件类型「{name}」：目前支持 {_SUPPORTED_LABEL}")
    return kind


def _plain_text(data: bytes) -> bool:
    """Whether bytes are unmistakably text: strict UTF-8 or GBK with no control characters but line breaks
    and tabs. Stricter than reading a .txt (which tries more encodings), so a damaged PDF's random bytes are
    still reported as a damaged PDF."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    for encoding in ("utf-8", "gbk"):
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        return bool(text.strip()) and not any((ord(c) < 32 and c not in "\t\n\r\f") or c == "\x7f" for c in text)
    return False


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return member in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


# A first line that opens the body is not the document's name: a salutation (各位老师：), a sentence, a
# numbered part (一、 （一） 1. 第一章) or a 文号 line. The file name says more than any of those.
_NOT_A_TITLE = re.compile(r"[。！？；：:，,!?;…]$|^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]"
                          r"|第[一二三四五六七八九十百\d]+[章节条部分]|.{0,12}〔\d{4}〕\d+号$)")


def _first_line_title(text: str) -> str:
    for line in text.splitlines():
        line = re.sub(r"^#{1,6}\s+", "", line).strip()
        if line:
            return line if len(line) <= _TITLE_MAX and not _NOT_A_TITLE.search(line) else ""
    return ""


