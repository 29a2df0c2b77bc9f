"""One live resource per title, compared as account names are (spaces and full or half width do not count)."""

from __future__ import annotations

import pytest

from assistant.errors import Conflict
from assistant.resource_titles import check_unique_title

ROWS = [{"id": "res-a", "title": "青山县暑期培训通知", "status": "ready", "live_version": "v1"},
        {"id": "res-b", "title": "失败的上传", "status": "failed", "live_version": None}]


def test_a_present_resources_title_is_refused_naming_it_and_how_to_replace_it() -> None:
    with pytest.raises(Conflict) as refused:
        check_unique_title(ROWS, "", "青山县 暑期培训通知")
    assert "（res-a）" in str(refused.value) and "guopei resources replace res-a" in str(refused.value)


def test_its_own_title_a_failed_uploads_title_and_a_new_title_pass() -> None:
    check_unique_title(ROWS, "res-a", "青山县暑期培训通知")
    check_unique_title(ROWS, "res-c", "青山县暑期培训通知", current="青山县暑期培训通知")  # kept on replacement
    check_unique_title(ROWS, "", "失败的上传")
    check_unique_title(ROWS, "", "青山县秋季培训通知")
