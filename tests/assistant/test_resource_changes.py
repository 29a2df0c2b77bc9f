"""What a replacement tells the trainer: the title it took or kept, and a file that looks like another document."""

from __future__ import annotations

from assistant.resource_changes import Version, notes, shared, terms_of, unrelated
from tests.assistant.uploads import MENU, OTHER, TEXT

SCHEDULE = terms_of([TEXT])


def test_a_new_version_is_related_and_another_document_is_not() -> None:
    assert shared(SCHEDULE, terms_of([OTHER])) > 0.6
    assert not unrelated(Version("青松镇校本研修安排", SCHEDULE), Version("青松镇校本研修补充安排", terms_of([OTHER])))
    menu = terms_of([MENU])
    assert shared(SCHEDULE, menu) < 0.15  # the same school's menu: the place name in both titles does not save it
    assert unrelated(Version("青松镇校本研修安排", SCHEDULE), Version("青松镇中心学校食堂一周菜谱", menu))


def test_between_the_lines_the_titles_decide() -> None:
    """A share of 15–30% is two documents of the field unless their titles share a word (通知 and 方案 do not
    count: every document of the field is one)."""
    old = frozenset({"教师", "培训", "经费", "学分", "研修", "课程", "考核", "管理"})
    new = frozenset({"教师", "培训", "经费", "食堂", "菜谱", "早餐", "午餐", "晚餐"})
    assert 0.15 <= shared(old, new) < 0.30
    assert unrelated(Version("关于加强培训经费管理的通知", old), Version("关于食堂菜谱的通知", new))
    assert not unrelated(Version("培训经费管理办法", old), Version("培训经费管理办法（修订）", new))
    assert not unrelated(Version("旧的", frozenset()), Version("新的", new))  # nothing live to compare with


def test_what_the_trainer_is_told_about_the_title() -> None:
    same = (SCHEDULE, SCHEDULE)
    assert notes("file", "旧标题", "新标题", "新标题", "旧标题", *same) == ("标题随新文件改为《新标题》（原为《旧标题》）。",)
    assert notes("file", "旧标题", "旧标题", "", "旧标题", *same) == ("新文件中没有识别出标题，保留原标题《旧标题》。",)
    assert notes("kept", "我的标题", "我的标题", "文件标题", None, *same) == (
        "保留原标题《我的标题》；新文件自身的标题是《文件标题》，如需改用，替换时请填写该标题。",)
    assert notes("kept", "我的标题", "我的标题", "文件标题", "文件标题", *same) == ()  # said when it was new
    assert notes("given", "旧标题", "新标题", "文件标题", "旧标题", *same) == ()  # the trainer typed it just now


def test_an_unrelated_file_is_warned_of_after_the_title_note() -> None:
    said = notes("file", "青松镇校本研修安排", "青松镇中心学校食堂一周菜谱", "青松镇中心学校食堂一周菜谱",
                 "青松镇校本研修安排", SCHEDULE, terms_of([MENU]))
    assert said[0] == "标题随新文件改为《青松镇中心学校食堂一周菜谱》（原为《青松镇校本研修安排》）。"
    assert said[1].startswith("新文件与原资源《青松镇校本研修安排》内容差别很大（词语只有 ")
    assert said[1].endswith("% 相同），请确认是否传错文件；如果传错了，用正确的文件再替换一次即可。")
