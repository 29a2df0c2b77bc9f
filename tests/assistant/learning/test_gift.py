from __future__ import annotations

import pytest

from assistant.learning.generation import OfflineTaskGenerator
from assistant.learning.gift import escape, to_gift
from assistant.learning.tasks import Task, TaskSource, sources_from_answer
from assistant.learning.vocabulary import Vocabulary
from assistant.service import Assistant
from evals.runner import SEED_PATH, load_dataset
from tests.assistant.learning.gift_reader import parse_gift, unescape


@pytest.fixture(scope="module")
def fifty_tasks(embedded_assistant: Assistant) -> list[Task]:
    gen = OfflineTaskGenerator(Vocabulary.from_texts(c.text for c in embedded_assistant.store.all_chunks()))
    items = [i for i in load_dataset(SEED_PATH) if i["answerable"]]
    tasks: list[Task] = []
    for item in items[::7]:
        tasks += gen.generate(sources_from_answer(embedded_assistant.answer(item["question"])))
        if len(tasks) >= 50:
            break
    return tasks[:50]


def _expected(task: Task) -> str | list[str]:
    if task.type == "multiple_choice":
        return list(task.keys)
    return task.answer if task.type in ("single_choice", "cloze", "true_false") else ""


def test_fifty_generated_tasks_round_trip(fifty_tasks: list[Task]) -> None:
    assert len(fifty_tasks) == 50
    assert len({t.type for t in fifty_tasks}) >= 5
    parsed = parse_gift(to_gift(fifty_tasks))
    assert len(parsed) == 50
    for task, item in zip(fifty_tasks, parsed, strict=True):
        assert item["id"] == task.id
        assert item["type"] == task.type
        assert item["prompt"] == task.prompt
        # GIFT lists keys in option order; which items are keys is what must survive.
        got, want = item["answer"], _expected(task)
        assert (sorted(got) == sorted(want)) if task.type == "multiple_choice" else got == want
        assert item["options"] == list(task.options)


def test_gift_syntax(fifty_tasks: list[Task]) -> None:
    text = to_gift(fifty_tasks)
    multi = next(t for t in fifty_tasks if t.type == "multiple_choice")
    block = next(b for b in text.split("\n\n") if multi.id in b)
    assert "~%-100%" in block and f"~%{100 / len(multi.keys):.5f}".rstrip("0").rstrip(".") in block
    tf = next(t for t in fifty_tasks if t.type == "true_false")
    tf_block = next(b for b in text.split("\n\n") if tf.id in b)
    assert ("{T " if tf.answer == "正确" else "{F ") in tf_block
    essay = next(b for b in text.split("\n\n") if "// guopei:" in b and " reflection" in b.splitlines()[0])
    assert "{####" in essay


SPECIAL = "比例~5%=预算#总额{含}：A:B\\C\n下一行"


@pytest.mark.parametrize("type_", ["single_choice", "multiple_choice", "cloze", "true_false", "reflection"])
def test_special_characters_round_trip(type_: str) -> None:
    src = TaskSource("c:1", "d", "标题{1}", "节~=#", SPECIAL, "文号#1")
    answer: str | tuple[str, ...] = {"single_choice": "a=b", "multiple_choice": ("a=b", "c{d}"), "cloze": "x~y#z",
                                     "true_false": "错误", "reflection": "要点"}[type_]
    options = ("a=b", "c{d}", "e:f", "g\\h") if "choice" in type_ else ()
    task = Task("id1", type_, SPECIAL + "（　）", src, answer, options, (), ("要点：“~”",), "话题::{}")  # type: ignore[arg-type]
    [item] = parse_gift(to_gift([task]))
    assert item["prompt"] == task.prompt
    assert item["type"] == type_
    assert item["options"] == list(options)
    assert item["answer"] == (list(answer) if isinstance(answer, tuple) else answer if type_ != "reflection" else "")
    assert item["name"].startswith("话题::{}")


def test_escape_covers_every_special_character() -> None:
    escaped = escape("~=#{}:\\")
    assert escaped == "\\~\\=\\#\\{\\}\\:\\\\"
    assert unescape(escaped) == "~=#{}:\\"
    assert "\n" not in escape("a\nb") and unescape(escape("a\nb")) == "a\nb"
