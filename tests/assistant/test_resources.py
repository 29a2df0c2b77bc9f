"""``ResourceService``, the one use case behind every surface's uploads: what a replacement keeps of the
resource it replaces."""

from __future__ import annotations

import pytest

from assistant.resource_files import Upload
from assistant.roles import Actor
from assistant.services import Services
from tests.assistant.uploads import OTHER, TEXT

pytestmark = pytest.mark.slow


def test_a_replacement_without_a_title_keeps_the_title_the_trainer_set(services: Services, trainer: Actor) -> None:
    a = services.resources.upload(trainer, Upload(TEXT.encode(), "青松.txt", title="青松镇研修")).resource
    kept = services.resources.replace(trainer, a["id"], OTHER.encode(), "修订.txt", title="  ").resource
    assert kept["title"] == "青松镇研修" and kept["version"] == 2
    renamed = services.resources.replace(trainer, a["id"], TEXT.encode(), "再改.txt", title="新标题").resource
    assert renamed["title"] == "新标题"
    assert {c.metadata.get("title") for c in services.assistant.store.document_chunks(a["id"])
            if services.resources.visibility.visible(c.id)} == {"新标题"}
