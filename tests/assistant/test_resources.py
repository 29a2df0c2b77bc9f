"""``ResourceService``, the one use case behind every surface's uploads: what a replacement keeps of the
resource it replaces, and what it tells the trainer."""

from __future__ import annotations

import sqlite3

import pytest

from assistant.resource_files import Upload
from assistant.roles import Actor
from assistant.services import Services
from tests.assistant.uploads import MENU, OTHER, TEXT

pytestmark = pytest.mark.slow


def test_a_replacement_without_a_title_keeps_the_title_the_trainer_set(services: Services, trainer: Actor) -> None:
    a = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修")).resource
    kept = services.resources.replace(trainer, a["id"], OTHER.encode(), "修订.txt", title="  ").resource
    assert kept["title"] == "青松镇研修" and kept["version"] == 2
    renamed = services.resources.replace(trainer, a["id"], TEXT.encode(), "再改.txt", title="新标题").resource
    assert renamed["title"] == "新标题"
    assert {c.metadata.get("title") for c in services.assistant.store.document_chunks(a["id"])
            if services.resources.visibility.visible(c.id)} == {"新标题"}


def _titles(services: Services, rid: str) -> set[object]:
    return {c.metadata.get("title") for c in services.assistant.store.document_chunks(rid)
            if services.resources.visibility.visible(c.id)}


def test_a_title_read_from_the_old_file_follows_the_new_files_own(services: Services, trainer: Actor) -> None:
    """The 2025 notice replacing the 2024 one is cited as the 2025 notice, and the trainer is told."""
    rid = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt")).resource["id"]
    outcome = services.resources.replace(trainer, rid, OTHER.encode(), "修订.txt")
    assert outcome.resource["title"] == "青松镇校本研修补充安排" and _titles(services, rid) == {"青松镇校本研修补充安排"}
    assert outcome.notes == ("标题随新文件改为《青松镇校本研修补充安排》（原为《青松镇校本研修安排》）。",)
    untitled = "青松镇中心学校的校本教研活动每月举行两次，每次两课时。\n每位教师每学期至少主讲一次公开课。\n"
    again = services.resources.replace(trainer, rid, untitled.encode(), "再改.txt")
    assert again.resource["title"] == "青松镇校本研修补充安排"  # no title in the file: not renamed after 再改
    assert again.notes == ("新文件中没有识别出标题，保留原标题《青松镇校本研修补充安排》。",)


def test_a_typed_title_is_kept_and_the_trainer_told_what_the_file_calls_itself(services: Services,
                                                                               trainer: Actor) -> None:
    rid = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修")).resource["id"]
    outcome = services.resources.replace(trainer, rid, OTHER.encode(), "修订.txt")
    assert outcome.resource["title"] == "青松镇研修"
    assert outcome.notes == ("保留原标题《青松镇研修》；新文件自身的标题是《青松镇校本研修补充安排》，如需改用，替换时请填写该标题。",)
    typed = services.resources.replace(trainer, rid, TEXT.encode(), "原版.txt", title="青松镇校本研修安排")
    assert typed.resource["title"] == "青松镇校本研修安排" and typed.notes == ()
    # Typed now, so kept from now on: the next file's own title does not rename it.
    assert services.resources.replace(trainer, rid, OTHER.encode(), "修订.txt").resource["title"] == "青松镇校本研修安排"


def test_a_resource_from_before_titles_were_told_apart_keeps_its_title(services: Services, trainer: Actor) -> None:
    rid = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt")).resource["id"]
    with sqlite3.connect(services.settings.db_path) as conn:
        conn.execute("UPDATE resources SET title_given = NULL WHERE id = ?", (rid,))
    assert services.resources.replace(trainer, rid, OTHER.encode(), "修订.txt").resource["title"] == "青松镇校本研修安排"


def test_an_unrelated_file_replaces_the_resource_with_a_warning(services: Services, trainer: Actor) -> None:
    """The canteen menu sent by mistake: replaced (the trainer may mean it), but said to differ, with the way
    back; a real new version says nothing of the kind."""
    rid = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修")).resource["id"]
    close = services.resources.replace(trainer, rid, TEXT.replace("三次", "两次").encode(), "v2.txt")
    assert close.notes == ()
    outcome = services.resources.replace(trainer, rid, MENU.encode(), "菜谱.txt")
    assert outcome.resource["version"] == 3 and outcome.resource["title"] == "青松镇研修"
    warning = outcome.notes[-1]
    assert warning.startswith("新文件与原资源《青松镇研修》内容差别很大（词语只有 ") and "请确认是否传错文件" in warning
    assert outcome.notes[0].startswith("保留原标题《青松镇研修》；新文件自身的标题是《青松镇中心学校食堂一周菜谱》")
