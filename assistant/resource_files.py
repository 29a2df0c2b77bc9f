"""An uploaded file before it is parsed: what can be refused at once, and the copy kept for its job.

The size and the kind of file are checked on the bytes alone (cheap, and said before anything is written);
what passes is kept on disk under the resource's folder, so its ``index`` job, or the job resumed after a
restart, reads it from there rather than from a request that is long gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import InvalidInput, TooLarge, UnsupportedFormat
from corpus.documents import FileTooLarge, LoaderError, UnsupportedFileType
from corpus.loaders import detect_kind
from corpus.text import HAN

_SAFE_NAME = re.compile(f"[^0-9A-Za-z._{HAN}-]+")


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    title: str = ""
    kind: str = "resource"
    subject: str = ""
    stage: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


def loader_error(exc: LoaderError) -> Exception:
    """The typed core error for a file the loaders refused."""
    if isinstance(exc, UnsupportedFileType):
        return UnsupportedFormat(str(exc))
    if isinstance(exc, FileTooLarge):
        return TooLarge(str(exc))
    return InvalidInput(str(exc))


def check_upload(upload: Upload, max_bytes: int) -> None:
    """What can be refused without parsing: the size and the kind of file."""
    if len(upload.data) > max_bytes:
        raise TooLarge(f"上传文件过大：单个文件上限为 {max_bytes / (1024 * 1024):.0f} MB")
    try:
        detect_kind(upload.data, upload.filename)
    except LoaderError as exc:
        raise loader_error(exc) from exc


def keep_upload(files_dir: Path, rid: str, job_id: str, upload: Upload) -> Path:
    """The uploaded bytes, kept so the job (or its resumption after a restart) reads them from disk."""
    folder = files_dir / rid
    folder.mkdir(parents=True, exist_ok=True)
    name = _SAFE_NAME.sub("_", base_name(upload.filename))[-80:] or "upload"
    path = folder / f"{job_id}--{name}"
    path.write_bytes(upload.data)
    return path


def kept_files(files_dir: Path, rid: str) -> list[Path]:
    """The copies kept for a resource's jobs (``<job id>--<name>``)."""
    return list((files_dir / rid).glob("*--*"))


def base_name(filename: str) -> str:
    """The file's own name, whichever separator the client's path used."""
    return re.split(r"[\\/]", filename)[-1] or filename
