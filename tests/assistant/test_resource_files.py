"""An uploaded file before it is parsed: refused at once for its size or kind, otherwise kept on disk under a
name that is safe whatever the client called it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import TooLarge, UnsupportedFormat
from assistant.resource_files import Upload, base_name, check_upload, keep_upload, kept_files


def test_a_file_over_the_limit_or_of_an_unsupported_kind_is_refused_before_parsing() -> None:
    with pytest.raises(TooLarge, match="单个文件上限为 1 MB"):
        check_upload(Upload(b"x" * (1024 * 1024 + 1), "a.txt"), 1024 * 1024)
    with pytest.raises(UnsupportedFormat):
        check_upload(Upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.png"), 1024 * 1024)
    check_upload(Upload("一、总则\n本办法适用于全县教师。\n".encode(), "办法.txt"), 1024 * 1024)


def test_the_kept_copy_is_named_by_its_job_and_a_safe_base_name(tmp_path: Path) -> None:
    """A Windows path or shell characters in the client's file name never reach the disk as such."""
    path = keep_upload(tmp_path, "res-1", "job-1", Upload(b"text", "C:\\Users\\李老师\\研修 安排(终稿);rm.txt"))
    assert path == tmp_path / "res-1" / "job-1--研修_安排_终稿_rm.txt" and path.read_bytes() == b"text"
    assert kept_files(tmp_path, "res-1") == [path]
    assert base_name("a/b\\c.docx") == "c.docx" and base_name("") == ""
