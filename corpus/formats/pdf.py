"""PDF: the text layer, page by page; encrypted or image-only files are refused with the reason.

Pages are read lazily and charged to the file's ``Budget``: the page count is checked before any page
is parsed (a ``/Count`` can lie, so the walk is bounded as well), and the clock is read between content
stream operators, so one page with millions of operators cannot outlast the time budget either.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from corpus.documents import LoaderError
from corpus.formats.common import Budget

# pypdf logs each flaw of a damaged file as a warning (invalid pdf header, EOF marker not found); the reader's
# one Chinese error says it, so an unconfigured command line does not print the English lines before it.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

_PDF_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OPERATORS_PER_CHARGE = 64


def _open(data: bytes, name: str, budget: Budget) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoaderError(f"PDF 已加密：无法打开「{name}」，请先解除密码保护后再上传")
        budget.pages(len(reader.pages))
    except LoaderError:
        raise
    except (DependencyError, FileNotDecryptedError, NotImplementedError) as exc:
        raise LoaderError(f"PDF 已加密：无法打开「{name}」，请先解除密码保护后再上传") from exc
    except Exception as exc:  # pypdf signals damage with many exception types
        raise LoaderError(f"无法打开 PDF「{name}」：文件已损坏") from exc
    return reader


def extract_pdf(data: bytes, name: str, budget: Budget) -> tuple[str, str]:
    reader = _open(data, name, budget)
    operators = 0

    def charge(*_: Any) -> None:
        nonlocal operators
        operators += 1
        if operators % _OPERATORS_PER_CHARGE == 0:
            budget.check_time()

    texts: list[str] = []
    try:
        for number, page in enumerate(reader.pages, 1):
            budget.pages(number)
            budget.check_time()
            try:
                text = page.extract_text(visitor_operand_before=charge) or ""
            except LoaderError:
                raise
            except Exception:  # one unreadable page should not cost the whole document
                text = ""
            text = _PDF_CONTROL.sub("", text)
            texts.append("\n".join(line.rstrip() for line in text.split("\n")).strip("\n"))
    except LoaderError:
        raise
    except Exception as exc:  # a broken page tree surfaces only while walking it
        raise LoaderError(f"无法打开 PDF「{name}」：文件已损坏") from exc
    return "\n\n".join(t for t in texts if t.strip()), ""
