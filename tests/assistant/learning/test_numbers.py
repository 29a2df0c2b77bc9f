"""Wrong options for figures: plausible, clearly apart from the key and from one another, never the key."""

from __future__ import annotations

import random
import re

import pytest

from assistant.learning.generation import OfflineTaskGenerator
from assistant.learning.numbers import MIN_RATIO, distinct, number_distractors, read_figure
from assistant.learning.tasks import TaskSource
from assistant.learning.vocabulary import Vocabulary


def _never(_: str) -> bool:
    return False


def _apart(key: str, options: list[str]) -> bool:
    values = [read_figure(o).value for o in [key, *options]]  # type: ignore[union-attr]
    return all(max(a, b) / min(a, b) >= MIN_RATIO for i, a in enumerate(values) for b in values[i + 1:])


@pytest.mark.parametrize("key", ["50元", "5%", "72学时", "三科", "0.5学分", "1200元", "3天", "60%", "100%"])
def test_options_are_clearly_apart_from_the_key_and_each_other(key: str) -> None:
    """50元 used to come with 51元, 52元 and 55元: arithmetic noise, not knowledge."""
    got = number_distractors(key, 3, (), lambda c: key in c or c in key)
    assert len(got) == 3 and len(set(got)) == 3 and key not in got
    assert _apart(key, got), got
    unit = read_figure(key).unit  # type: ignore[union-attr]
    assert all(read_figure(o).unit == unit for o in got)  # type: ignore[union-attr]


def test_without_figures_of_its_own_the_key_is_scaled_and_rounded_as_such_figures_are_written() -> None:
    assert number_distractors("50元", 3, (), _never) == ["100元", "25元", "75元"]
    assert number_distractors("1200元", 3, (), _never) == ["2400元", "600元", "1800元"]
    # Counted things stay whole (3天 ÷ 2 is 2天, not 1.5天); a share stays at most 100%.
    assert all(re.fullmatch(r"\d+天", o) for o in number_distractors("3天", 4, (), _never))
    assert all(read_figure(o).value <= 100 for o in number_distractors("60%", 4, (), _never))  # type: ignore[union-attr]


def test_the_documents_own_figures_of_the_unit_come_first_nearest_first() -> None:
    """51元 is too close to tell apart and 5000元 too far to confuse; 80元 and 30元 from the same document are
    what a teacher could really mix up with 50元. Figures of another unit are not taken."""
    own = ["51元", "30元", "5000元", "80元", "3天", "50元"]
    # then the key scaled, clear of those too (100元 is too near 80元, 25元 too near 30元)
    assert number_distractors("50元", 3, own, _never) == ["80元", "30元", "150元"]


def test_a_rejected_candidate_is_skipped_and_the_key_never_offered() -> None:
    got = number_distractors("50元", 3, ["50元", "80元"], lambda c: c == "80元")  # 80元 is stated in the source
    assert got == ["100元", "25元", "75元"]
    assert not distinct(50, 55) and distinct(50, 75)


def test_a_number_quiz_takes_its_wrong_options_from_its_own_document() -> None:
    texts = ["参训教师每人每天伙食补助50元，由项目承办单位统一安排。",
             "跨省参训的交通费按实际发生额报销，每人往返最高报销800元；住宿费每人每天不超过300元。",
             "另一份文件：每次研修活动补贴20元。"]
    vocab = Vocabulary.from_texts(texts, ["notice", "notice", "other"])
    assert vocab.doc_figures == {"notice": ("50元", "800元", "300元"), "other": ("20元",)}
    got = vocab.distractors("50元", "number", 3, {texts[0]}, random.Random(0), "notice")
    assert got == ["300元", "100元", "25元"]  # 300元 of the same notice; 800元 is too far off, 20元 another document's
    source = TaskSource("notice:1", "notice", "通知", "一、补助标准", texts[0])
    task = next(t for t in OfflineTaskGenerator(vocab).tasks_for(source) if t.type == "single_choice")
    assert task.answer == "50元" and set(task.options) == {"50元", *got}
