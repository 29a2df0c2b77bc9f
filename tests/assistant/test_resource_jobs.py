"""The ``index`` job: a replacement that fails leaves the resource as it was, down to its time of last change
(a ready one still answering from its version, one whose upload had failed still failed with its reason,
after a restart too), and a small upload indexed on the spot does not wait for someone else's big one.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import Conflict, CoreError, InvalidInput
from assistant.resource_files import Upload
from assistant.roles import Actor
from assistant.services import Services
from assistant.settings import Settings
from tests.assistant.uploads import MENU, OTHER, TEXT

pytestmark = pytest.mark.slow


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


def test_a_background_replacement_says_what_the_trainer_must_know_as_its_last_word(background: Services,
                                                                                    trainer: Actor) -> None:
    """A big file's replacement is not waited for: what the reply would have said is the finished job's stage,
    which the jobs list shows; nothing is said twice (the outcome of a queued job has no notes)."""
    outcome = background.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修"))
    rid = outcome.resource["id"]
    assert _settled(background, outcome.job)["stage"] == "完成"
    replaced = background.resources.replace(trainer, rid, MENU.encode(), "菜谱.txt")
    assert replaced.notes == ()
    job = _settled(background, replaced.job)
    assert job["status"] == "done" and job["stage"].startswith("完成。保留原标题《青松镇研修》")
    assert "新文件与原资源《青松镇研修》内容差别很大" in job["stage"]
    assert background.resources.get(trainer, rid)["version"] == 2


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
