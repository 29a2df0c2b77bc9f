"""The same content never enters the knowledge base twice, whichever surface uploads it.

A second copy made every answer quote the same sentence as [1] and [2] and listed the file twice. These
tests drive ``ResourceService`` (the one use case behind the API, the command line, the web console and the
bot) over a real data directory: the same bytes, or the same text in other bytes, are refused with a
``Conflict`` naming the resource that holds it and nothing already indexed changes; replacing with new
content, re-uploading after a deletion, and rows from before content hashes were recorded all still work.
A replacement that fails leaves the resource as it was, down to its time of last change: a ready one still
answering from its version, one whose upload had failed still failed with its reason, after a restart too.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import Conflict, CoreError, InvalidInput
from assistant.resources import Upload
from assistant.roles import Actor
from assistant.services import Services
from assistant.settings import Settings

pytestmark = pytest.mark.slow
TEXT = ("青松镇校本研修安排\n一、时间\n青松镇中心学校的校本教研活动每月举行三次，每次两课时。\n"
        "二、要求\n每位教师每学期至少主讲一次公开课，并提交一份教学反思。\n")
OTHER = TEXT.replace("三次", "四次").replace("一份", "两份").replace("研修安排", "研修补充安排")  # its own title


def _state(services: Services) -> tuple[list[tuple[str, int, str]], int]:
    """What is indexed: the resource rows and the chunks in the store."""
    rows = [(r["id"], r["version"], r["status"]) for r in services.resources.list(Actor("cli", "x", role="admin"))]
    return rows, services.assistant.store.count()


def test_the_same_file_again_is_refused_naming_the_resource_and_nothing_changes(services: Services,
                                                                                 trainer: Actor) -> None:
    first = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修")).resource
    before = _state(services)
    with pytest.raises(Conflict) as refused:
        services.resources.upload(trainer, Upload(TEXT.encode(), "副本.txt", title="另一个标题"))
    assert str(refused.value) == (f"知识库中已有内容相同的资源《青松镇研修》（{first['id']}），不必重复上传；"
                                  "如需更新请替换该资源")
    assert _state(services) == before
    assert not [p for p in (services.settings.data_dir / "resources").iterdir() if p.name != first["id"]]


def test_the_same_text_in_other_bytes_is_refused_too(services: Services, trainer: Actor) -> None:
    """GBK and UTF-8 with a BOM are different files holding the same document."""
    first = services.resources.upload(trainer, Upload(TEXT.encode("gbk"), "青松.txt")).resource
    before = _state(services)
    with pytest.raises(Conflict, match=first["id"]):
        services.resources.upload(trainer, Upload(b"\xef\xbb\xbf" + TEXT.encode(), "青松-utf8.txt"))
    assert _state(services) == before


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
    assert len(_state(services)[0]) == 1


def test_replacing_and_re_uploading_after_deletion_still_work(services: Services, trainer: Actor) -> None:
    a = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt")).resource
    b = services.resources.upload(trainer, Upload(OTHER.encode(), "青松-二.txt")).resource
    before = _state(services)
    with pytest.raises(Conflict, match=a["id"]):  # b replaced by a's file: a second copy of a
        services.resources.replace(trainer, b["id"], TEXT.encode(), "青松.txt")
    with pytest.raises(Conflict, match=a["id"]):  # … or by a's text in other bytes
        services.resources.replace(trainer, b["id"], TEXT.encode("gbk"), "青松.txt")
    assert _state(services) == before and services.resources.get(trainer, b["id"])["error"] is None

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


@pytest.mark.parametrize(("data", "filename", "refusal"), [
    (b"PK\x03\x04" + b"\x00not a document" * 64, "坏.docx", InvalidInput),  # corrupt: fails to parse
    (b" \n\n\t \n", "空.txt", InvalidInput),  # nothing in it to index
    (OTHER.encode("gbk"), "另一份.txt", Conflict),  # another resource's text: refused once parsed
], ids=["corrupt", "blank", "another-resource's-text"])
def test_a_failed_replacement_leaves_the_resource_exactly_as_it_was(services: Services, trainer: Actor, data: bytes,
                                                                    filename: str, refusal: type[CoreError]) -> None:
    services.resources.upload(trainer, Upload(OTHER.encode(), "青松-二.txt"))
    rid = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt")).resource["id"]
    with sqlite3.connect(services.settings.db_path) as conn:  # last changed long ago, so a new stamp would show
        conn.execute("UPDATE resources SET updated_at = '2026-01-05T08:00:00Z' WHERE id = ?", (rid,))
    before = services.resources.get(trainer, rid)
    chunks = services.resources.chunks(trainer, rid)
    with pytest.raises(refusal):
        services.resources.replace(trainer, rid, data, filename)
    assert services.resources.get(trainer, rid) == before
    assert services.resources.chunks(trainer, rid) == chunks


CORRUPT = b"PK\x03\x04" + b"\x00not a document" * 64  # over BACKGROUND bytes: indexed by a background job
BLANK = b" \n\n\t \n"  # under them: indexed inline, the trainer waiting
BACKGROUND = 64


@pytest.fixture
def background(tmp_path: Path) -> Iterator[Services]:
    """Services whose jobs run as a server's do: anything over ``BACKGROUND`` bytes in the background."""
    built = Services.from_settings(Settings(data_dir=tmp_path, knowledge_base="dedupe-test",
                                            upload_background_bytes=BACKGROUND))
    built.start(index_bundled=False)
    try:
        yield built
    finally:
        built.close()


def _settled(services: Services, job: dict[str, object] | None) -> dict[str, object]:
    assert job is not None, "expected a background job"
    deadline = time.monotonic() + 60
    while (now := services.supervisor.store.get(str(job["id"])))["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, now
        time.sleep(0.05)
    return now


def _failed_upload(services: Services, trainer: Actor) -> dict[str, object]:
    """A resource whose background upload failed, last changed long ago so a new stamp would show."""
    outcome = services.resources.upload(trainer, Upload(CORRUPT, "坏.docx", title="坏文件"))
    assert _settled(services, outcome.job)["status"] == "failed"
    rid = outcome.resource["id"]
    with sqlite3.connect(services.settings.db_path) as conn:
        conn.execute("UPDATE resources SET updated_at = '2026-01-05T08:00:00Z' WHERE id = ?", (rid,))
    row = services.resources.get(trainer, rid)
    assert row["status"] == "failed" and row["live_version"] is None and row["error"].startswith("索引失败：")
    return row


def test_a_failed_upload_whose_replacement_fails_stays_failed_with_its_reason(background: Services,
                                                                             trainer: Actor) -> None:
    """It used to turn ready with nothing live and lose why the upload failed. Inline, the trainer is told on
    the spot and the row is left exactly as it was; in the background the row says why the replacement
    failed as well as why the upload did, however many replacements fail."""
    before = _failed_upload(background, trainer)
    rid = before["id"]
    with pytest.raises(InvalidInput):
        background.resources.replace(trainer, rid, BLANK, "空.txt")
    assert background.resources.get(trainer, rid) == before

    for attempt in range(2):
        outcome = background.resources.replace(trainer, rid, CORRUPT + bytes([attempt]), f"又坏了{attempt}.docx")
        job = _settled(background, outcome.job)
        assert job["status"] == "failed"
        assert background.resources.get(trainer, rid) == {**before, "error": f"替换失败：{job['error']}；此前{before['error']}"}
        assert background.resources.chunks(trainer, rid) == []


def test_a_ready_resource_whose_background_replacement_fails_keeps_its_version_and_says_why(
        background: Services, trainer: Actor) -> None:
    outcome = background.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt"))
    assert _settled(background, outcome.job)["status"] == "done"
    rid = outcome.resource["id"]
    with sqlite3.connect(background.settings.db_path) as conn:
        conn.execute("UPDATE resources SET updated_at = '2026-01-05T08:00:00Z' WHERE id = ?", (rid,))
    before = background.resources.get(trainer, rid)
    chunks = background.resources.chunks(trainer, rid)
    job = _settled(background, background.resources.replace(trainer, rid, CORRUPT, "坏.docx").job)
    assert job["status"] == "failed"
    assert background.resources.get(trainer, rid) == {**before, "error": f"替换失败，已保留第 1 版：{job['error']}"}
    assert background.resources.chunks(trainer, rid) == chunks


def test_a_failed_upload_replaced_by_a_good_file_becomes_ready(background: Services, trainer: Actor) -> None:
    """Replacing counts a version, so the first that goes live is the second; its reason of failure goes."""
    rid = _failed_upload(background, trainer)["id"]
    job = _settled(background, background.resources.replace(trainer, rid, TEXT.encode(), "青松.txt").job)
    assert job["status"] == "done"
    row = background.resources.get(trainer, rid)
    assert (row["status"], row["error"], row["version"]) == ("ready", None, 2) and row["live_version"] is not None
    assert row["updated_at"] > "2026-01-05T08:00:00Z"
    assert "每月举行三次" in "".join(c["text"] for c in background.resources.chunks(trainer, rid))


def test_a_replacement_abandoned_after_a_restart_puts_the_row_back_from_its_params(background: Services,
                                                                                  trainer: Actor) -> None:
    """The process dies with the replacement of a failed upload under way, too often to resume it: the
    restarted process knows what the row was only from the job it finds."""
    before = _failed_upload(background, trainer)
    background.supervisor.stop()  # nothing runs the replacement: it stays queued, as if the process had died
    job = background.resources.replace(trainer, before["id"], CORRUPT + b"!", "又坏了.docx").job
    assert job is not None and background.resources.get(trainer, before["id"])["status"] == "indexing"
    with sqlite3.connect(background.settings.db_path) as conn:
        conn.execute("UPDATE jobs SET status = 'running', owner = NULL, attempts = 3 WHERE id = ?", (job["id"],))
    restarted = Services.from_settings(background.settings, assistant=background.assistant)
    try:
        assert restarted.supervisor.recover() == [job["id"]]
        reason = restarted.supervisor.store.get(job["id"])["error"]
        assert restarted.resources.get(trainer, before["id"]) == {
            **before, "error": f"替换失败：{reason}；此前{before['error']}"}
    finally:
        restarted.close()


def test_replacing_with_the_live_bytes_again_is_refused_and_changes_nothing(services: Services,
                                                                             trainer: Actor) -> None:
    """A resubmitted replace form used to make version 3 out of version 2's very bytes."""
    a = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修")).resource
    before = _state(services)
    with pytest.raises(Conflict) as refused:
        services.resources.replace(trainer, a["id"], TEXT.encode(), "青松-副本.txt")
    assert str(refused.value) == (f"新文件与资源《青松镇研修》（{a['id']}）当前第 1 版的内容完全相同，未作替换，版本不变")
    assert _state(services) == before
    assert services.supervisor.store.list(kind="index", target=a["id"])[0]["action"] == "upload"


def test_a_replacement_without_a_title_keeps_the_title_the_trainer_set(services: Services, trainer: Actor) -> None:
    a = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修")).resource
    kept = services.resources.replace(trainer, a["id"], OTHER.encode(), "修订.txt", title="  ").resource
    assert kept["title"] == "青松镇研修" and kept["version"] == 2
    renamed = services.resources.replace(trainer, a["id"], TEXT.encode(), "再改.txt", title="新标题").resource
    assert renamed["title"] == "新标题"
    assert {c.metadata.get("title") for c in services.assistant.store.document_chunks(a["id"])
            if services.resources.visibility.visible(c.id)} == {"新标题"}


def test_a_small_upload_does_not_wait_while_a_big_one_is_embedding(services: Services, trainer: Actor) -> None:
    """The index lock used to be held for the whole embedding of a big upload, so a small upload (indexed
    on the spot, the trainer's request still open) waited minutes for someone else's job."""
    embedder = services.assistant.store.embedder
    embedding, release = threading.Event(), threading.Event()
    real = embedder.embed_documents

    def slow(texts: list[str]) -> list[list[float]]:
        if any("大文件" in t for t in texts) and not release.is_set():
            embedding.set()
            release.wait(60)
        return real(texts)

    embedder.embed_documents = slow  # type: ignore[method-assign]
    big = threading.Thread(target=lambda: services.resources.upload(
        trainer, Upload(("大文件\n一、说明\n" + "这是大文件的正文，用于测试。\n" * 20).encode(), "big.txt")))
    big.start()
    try:
        assert embedding.wait(30)
        started = time.monotonic()
        small = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt")).resource
        assert small["status"] == "ready" and time.monotonic() - started < 20
    finally:
        release.set()
        big.join(60)
    assert {r["status"] for r in services.resources.list(trainer)} == {"ready"}
