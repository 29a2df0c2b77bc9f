"""The same content never enters the knowledge base twice, whichever surface uploads it.

A second copy made every answer quote the same sentence as [1] and [2] and listed the file twice. These
tests drive ``ResourceService`` (the one use case behind the API, the command line, the web console and the
bot) over a real data directory: the same bytes, or the same text in other bytes, are refused with a
``Conflict`` naming the resource that holds it and nothing already indexed changes; replacing with new
content, re-uploading after a deletion, and rows from before content hashes were recorded all still work.
"""

from __future__ import annotations

import sqlite3
import threading

import pytest

from assistant.errors import Conflict
from assistant.resource_files import Upload
from assistant.roles import Actor
from assistant.services import Services
from tests.assistant.uploads import OTHER, TEXT, indexed

pytestmark = pytest.mark.slow


def test_the_same_file_again_is_refused_naming_the_resource_and_nothing_changes(services: Services,
                                                                                 trainer: Actor) -> None:
    first = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修")).resource
    before = indexed(services)
    with pytest.raises(Conflict) as refused:
        services.resources.upload(trainer, Upload(TEXT.encode(), "副本.txt", title="另一个标题"))
    assert str(refused.value) == (f"知识库中已有内容相同的资源《青松镇研修》（{first['id']}），不必重复上传；"
                                  "如需更新请替换该资源")
    assert indexed(services) == before
    assert not [p for p in (services.settings.data_dir / "resources").iterdir() if p.name != first["id"]]


def test_the_same_text_in_other_bytes_is_refused_too(services: Services, trainer: Actor) -> None:
    """GBK and UTF-8 with a BOM are different files holding the same document."""
    first = services.resources.upload(trainer, Upload(TEXT.encode("gbk"), "青松.txt")).resource
    before = indexed(services)
    with pytest.raises(Conflict, match=first["id"]):
        services.resources.upload(trainer, Upload(b"\xef\xbb\xbf" + TEXT.encode(), "青松-utf8.txt"))
    assert indexed(services) == before


def test_two_identical_uploads_at_once_make_one_resource(services: Services, trainer: Actor) -> None:
    outcomes: list[object] = []

    def upload() -> None:
        try:
            outcomes.append(services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt")))
        except Conflict as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(o, Conflict) for o in outcomes) == 3
    assert len(indexed(services)[0]) == 1


def test_replacing_and_re_uploading_after_deletion_still_work(services: Services, trainer: Actor) -> None:
    a = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt")).resource
    b = services.resources.upload(trainer, Upload(OTHER.encode(), "青松-二.txt")).resource
    before = indexed(services)
    with pytest.raises(Conflict, match=a["id"]):  # b replaced by a's file: a second copy of a
        services.resources.replace(trainer, b["id"], TEXT.encode(), "青松.txt")
    with pytest.raises(Conflict, match=a["id"]):  # … or by a's text in other bytes
        services.resources.replace(trainer, b["id"], TEXT.encode("gbk"), "青松.txt")
    assert indexed(services) == before and services.resources.get(trainer, b["id"])["error"] is None

    newer = services.resources.replace(trainer, a["id"], (TEXT + "三、其他\n未尽事宜另行通知。\n").encode(), "v2.txt")
    assert newer.resource["version"] == 2
    again = services.resources.replace(trainer, a["id"], TEXT.encode(), "青松.txt").resource  # its earlier content
    assert again["version"] == 3 and again["status"] == "ready"
    services.resources.replace(trainer, a["id"], (TEXT + "三、其他\n另行通知。\n").encode(), "v4.txt")
    # a holds it no more (a's title stays a's: a copy under it would be a second 《青松镇校本研修安排》)
    c = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修（重传）")).resource
    services.resources.delete(trainer, c["id"])
    d = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修（重传）")).resource
    assert d["status"] == "ready" and d["id"] != c["id"]


def test_rows_from_before_content_hashes_are_fingerprinted_and_compared(services: Services, trainer: Actor) -> None:
    """A resource uploaded before migration 0105 has no hashes; they are filled in from its kept file and
    stored chunks the first time an upload is compared, and a copy of it is then refused."""
    old = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt")).resource
    recorded = services.resources.rows.get(old["id"])
    with sqlite3.connect(services.settings.db_path) as conn:
        conn.execute("UPDATE resources SET file_sha256 = NULL, text_sha256 = NULL")
    restarted = Services.from_settings(services.settings, assistant=services.assistant)
    try:
        with pytest.raises(Conflict, match=old["id"]):
            restarted.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt"))
        filled = restarted.resources.rows.get(old["id"])
        assert (filled["file_sha256"], filled["text_sha256"]) == (recorded["file_sha256"], recorded["text_sha256"])
        with pytest.raises(Conflict, match=old["id"]):  # the text, from the stored chunks
            restarted.resources.upload(trainer, Upload(TEXT.encode("gbk"), "青松.txt"))
    finally:
        restarted.close()


def test_replacing_with_the_live_bytes_again_is_refused_and_changes_nothing(services: Services,
                                                                             trainer: Actor) -> None:
    """A resubmitted replace form used to make version 3 out of version 2's very bytes."""
    a = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修")).resource
    before = indexed(services)
    with pytest.raises(Conflict) as refused:
        services.resources.replace(trainer, a["id"], TEXT.encode(), "青松-副本.txt")
    assert str(refused.value) == (f"新文件与资源《青松镇研修》（{a['id']}）当前第 1 版的内容完全相同，未作替换，版本不变")
    assert indexed(services) == before
    assert services.supervisor.store.list(kind="index", target=a["id"])[0]["action"] == "upload"
