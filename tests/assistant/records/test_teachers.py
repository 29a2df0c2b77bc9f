from __future__ import annotations

import re
import threading

import pytest

from assistant.records import SCHOOL_LEVELS, STAGES, SUBJECTS, Records
from assistant.records.teachers import beijing_time


def test_channels_map_to_one_teacher(records: Records) -> None:
    a = records.teachers.get_or_create_by_channel("telegram", "42", "陈老师")
    again = records.teachers.get_or_create_by_channel("telegram", "42", "别名")
    assert again.id == a.id and again.display_name == "陈老师"
    assert re.fullmatch(r"t_[0-9a-f]{16}", a.id)  # our own id, not the channel's
    assert records.teachers.get_or_create_by_channel("cli", "42").id != a.id
    assert records.teachers.channels(a.id) == [("telegram", "42")]


def test_concurrent_first_contact_creates_one_teacher(records: Records) -> None:
    ids: list[str] = []
    threads = [threading.Thread(target=lambda: ids.append(records.teachers.get_or_create_by_channel("api", "u").id))
               for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1 and len(records.teachers.list()) == 1


def test_unknown_teacher_is_none(records: Records) -> None:
    assert records.teachers.get("t_doesnotexist") is None
    with pytest.raises(LookupError, match="找不到教师"):
        records.teachers.update_profile("t_doesnotexist", region="四川")


def test_profile_validation_lists_choices(records: Records, teacher) -> None:
    updated = records.teachers.update_profile(teacher.id, stage="骨干", school_level="初中", subject="数学",
                                              region="甘肃", reminder_time="07:30")
    assert (updated.stage, updated.school_level, updated.reminder_time) == ("骨干", "初中", "07:30")
    with pytest.raises(ValueError) as err:
        records.teachers.update_profile(teacher.id, stage="专家")
    assert all(s in str(err.value) for s in STAGES)
    with pytest.raises(ValueError) as err:
        records.teachers.update_profile(teacher.id, school_level="大学")
    assert all(s in str(err.value) for s in SCHOOL_LEVELS)
    with pytest.raises(ValueError) as err:
        records.teachers.update_profile(teacher.id, subject="火箭科学")
    assert all(s in str(err.value) for s in SUBJECTS)
    # The names teachers also use are the same subjects; an empty subject clears it.
    assert records.teachers.update_profile(teacher.id, subject=" 信息技术 ").subject == "信息科技"
    assert records.teachers.update_profile(teacher.id, subject="体育与健康").subject == "体育"
    assert records.teachers.update_profile(teacher.id, subject="").subject == ""
    with pytest.raises(ValueError, match="提醒时间"):
        records.teachers.update_profile(teacher.id, reminder_time="25:00")
    with pytest.raises(ValueError, match="无法修改"):
        records.teachers.update_profile(teacher.id, id="t_x")
    assert records.teachers.get(teacher.id).stage == "骨干"
    with pytest.raises(ValueError, match="渠道"):
        records.teachers.get_or_create_by_channel("Tele gram", "1")


def test_stored_times_are_shown_in_beijing_time() -> None:
    assert beijing_time("2026-12-07T11:53:17+00:00") == "2026-12-07 19:53"
    assert beijing_time("2026-12-31T20:00:00") == "2027-01-01 04:00"  # stored without a zone: UTC
    assert beijing_time("不是时间") == "不是时间"
