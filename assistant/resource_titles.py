"""One live resource per title: an edited file uploaded again is a new version, not a second document.

Uploading 「青山县暑期培训通知v2.txt」 made a second resource titled like the first, and both versions of the
notice answered side by side, each cited as 《青山县暑期培训通知》: a teacher could not tell which one said what.
An upload whose title (given, or read from the file) is a present resource's is refused, naming that
resource and how to replace it on each surface; a different document that happens to share a title is
uploaded under a title of its own. Titles are compared the way account names are (``corpus.text.name_key``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.errors import Conflict
from corpus.text import name_key


def same_title(rows: Iterable[dict[str, Any]], rid: str, title: str) -> dict[str, Any] | None:
    """The first resource other than ``rid`` that answers under ``title``, or None. Only what is live
    counts: a failed upload holds nothing, and one still being indexed has a stand-in title (its file's
    name) until it commits, when its own title is checked."""
    key = name_key(title)
    if not key:
        return None
    return next((r for r in rows if r["id"] != rid and r["status"] != "failed"
                 and (r.get("live_version") is not None or r["status"] == "ready") and name_key(r["title"]) == key),
                None)


def same_title_error(existing: dict[str, Any]) -> Conflict:
    """The refusal of a second resource under a present one's title: what to do instead, wherever the
    trainer is."""
    rid = existing["id"]
    return Conflict(f"知识库中已有同名资源《{existing['title']}》（{rid}），两份同名的文件会让引用分不清出自哪一份。"
                    f"如果这是它的新版本，请替换该资源：命令行 guopei resources replace {rid} 文件；"
                    f"机器人里发送文件并在说明中写 /replace {rid}；网页控制台在资源列表中点“替换”；"
                    f"API 为 PUT /v1/resources/{rid}。如果是另一份文件，请另填一个标题再上传")


def check_unique_title(rows: Iterable[dict[str, Any]], rid: str, title: str, current: str | None = None) -> None:
    """``Conflict`` if a present resource other than ``rid`` has this title. A replacement keeping
    ``current``, the resource's own title, is not checked: two resources that shared a title before titles
    were kept apart can each still get a new version."""
    if current is not None and name_key(current) == name_key(title):
        return
    clash = same_title(rows, rid, title)
    if clash is not None:
        raise same_title_error(clash)
