"""PDF: the text layer, page by page; encrypted or image-only files are refused with the reason."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from corpus.documents import LoaderError


def extract_pdf(data: bytes, name: str) -> tuple[str, str]:
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
