"""The library use case behind every surface's upload: what the trainer is shown, and one resource per title.

After an upload the trainer sees the document's outline, every heading in order, even when two short parts
share one chunk (it used to list one label per chunk: 「一、培训时间」 vanished behind 「二、培训内容」). An edited
file uploaded again under the same title is refused, pointing to replace, which keeps the title and makes
version 2 with the old chunks gone.
"""

from __future__ import annotations

import io

import docx
import pytest

from assistant.errors import Conflict
from assistant.resource_files import Upload
from assistant.roles import Actor
from assistant.services import Services

pytestmark = pytest.mark.slow
NOTICE = ("青山县暑期培训通知\n一、培训时间\n2025年7月10日至7月15日，共六天。\n"
          "二、培训内容\n围绕新课标开展大单元教学设计研修。\n")
EDITED = NOTICE.replace("共六天", "共五天").replace("15日", "14日")


def rules_docx() -> bytes:
    """A county's rules as Word writes them: two chapters of one article each, short enough for one chunk."""
    document = docx.Document()
    document.add_paragraph("青山县校本研修管理办法")
    for chapter, article in (("第一章 总则", "第一条 本办法适用于全县中小学校本研修。"),
                             ("第二章 职责", "第二条 学校校长是校本研修第一责任人。")):
        document.add_paragraph(chapter)
        document.add_paragraph(article)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _paths(outline: list[dict[str, object]] | None) -> list[object]:
    assert outline is not None, "an upload indexed on the spot comes with its outline"
    return [h["path"] for h in outline]


def test_the_outline_after_an_upload_lists_every_heading_of_a_gbk_notice(services: Services, trainer: Actor) -> None:
    library = services.usecases.library
    outcome = library.upload(trainer, Upload(NOTICE.encode("gbk"), "青山县暑期培训通知.txt"))
    assert outcome.resource["chunks"] == 1
    assert _paths(outcome.outline) == ["一、培训时间", "二、培训内容"]
    assert [h["level"] for h in outcome.outline or []] == [1, 1]
    assert library.outline(trainer, outcome.resource["id"]) == outcome.outline


def test_the_outline_of_a_docx_keeps_each_article_under_its_own_chapter(services: Services, trainer: Actor) -> None:
    outcome = services.usecases.library.upload(trainer, Upload(rules_docx(), "管理办法.docx"))
    assert _paths(outcome.outline) == ["第一章 总则", "第一章 总则 > 第一条", "第二章 职责", "第二章 职责 > 第二条"]
    assert {h["ordinal"] for h in outcome.outline or []} == {0}


def test_an_edited_file_under_a_present_title_is_refused_pointing_to_replace(services: Services,
                                                                          trainer: Actor) -> None:
    library = services.usecases.library
    first = library.upload(trainer, Upload(NOTICE.encode("gbk"), "青山县暑期培训通知.txt")).resource
    rid = first["id"]
    chunks = services.assistant.store.count()
    with pytest.raises(Conflict) as refused:  # the title read from the file is the present resource's
        library.upload(trainer, Upload(EDITED.encode("gbk"), "青山县暑期培训通知v2.txt"))
    message = str(refused.value)
    assert message.startswith(f"知识库中已有同名资源《青山县暑期培训通知》（{rid}）")
    assert f"guopei resources replace {rid}" in message and f"/replace {rid}" in message
    with pytest.raises(Conflict, match=rid):  # a title given by hand, differing only in spacing and width
        library.upload(trainer, Upload(EDITED.encode(), "v2.txt", title="青山县　暑期培训通知 "))
    assert [r["id"] for r in library.list(trainer)] == [rid] and services.assistant.store.count() == chunks

    newer = library.replace(trainer, rid, EDITED.encode("gbk"), "青山县暑期培训通知v2.txt")
    assert (newer.resource["version"], newer.resource["title"]) == (2, "青山县暑期培训通知")
    assert _paths(newer.outline) == ["一、培训时间", "二、培训内容"]
    texts = "".join(c["text"] for c in library.chunks(trainer, rid))
    assert "共五天" in texts and "共六天" not in texts
    other = library.upload(trainer, Upload(NOTICE.replace("青山县", "白水县").encode(), "白水县暑期培训通知.txt"))
    assert other.resource["status"] == "ready"  # another county's notice, under its own title


def test_a_title_of_a_failed_upload_or_of_a_resource_deleted_is_free(services: Services, trainer: Actor) -> None:
    library = services.usecases.library
    rid = library.upload(trainer, Upload(NOTICE.encode(), "通知.txt")).resource["id"]
    library.delete(trainer, rid)
    again = library.upload(trainer, Upload(EDITED.encode(), "通知v2.txt")).resource
    assert again["title"] == "青山县暑期培训通知" and again["status"] == "ready"


def test_resources_that_shared_a_title_before_can_still_be_replaced(services: Services, trainer: Actor) -> None:
    """Two resources of one title from before the rule: each gets a new version under its own title, and a
    replacement that renames one to the other's title is refused."""
    library = services.usecases.library
    a = library.upload(trainer, Upload(NOTICE.encode(), "通知.txt")).resource["id"]
    b = library.upload(trainer, Upload(EDITED.encode(), "通知v2.txt", title="临时标题")).resource["id"]
    services.resources.rows.update(b, title="青山县暑期培训通知")  # as an upload before the rule left it
    again = library.replace(trainer, b, EDITED.replace("共五天", "共四天").encode(), "通知v3.txt")
    assert (again.resource["version"], again.resource["title"]) == (2, "青山县暑期培训通知")
    c = library.upload(trainer, Upload(NOTICE.replace("青山县", "白水县").encode(), "白水县.txt")).resource["id"]
    with pytest.raises(Conflict, match=a):
        library.replace(trainer, c, NOTICE.replace("青山县", "黑山县").encode(), "黑山县.txt", title="青山县暑期培训通知")
    assert library.get(trainer, c)["version"] == 1
