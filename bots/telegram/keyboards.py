"""Inline keyboards and their callback data: short prefixes so every payload stays within Telegram's 64 bytes.

Scheme (``:``-separated): ``ob:<field>:<value>`` onboarding choices; ``qz:<key>`` quiz on an answer,
``fb:+|-:<key>`` rating of an answer (``key`` is a 6-character handle kept in user_data, since the
question itself can be 500 characters); ``nq`` new question; ``qa:<task>:<i>`` pick option i,
``qm:<task>:<i>`` toggle a multiple-choice option, ``qs:<task>`` submit, ``qx:<task>`` skip — task ids
are 16 hex characters, so the longest payload is about 22 bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from assistant.learning.tasks import FALSE, TRUE, ServedTask
from assistant.records import SCHOOL_LEVELS, STAGES, SUBJECTS
from bots.telegram.render import LETTERS, TYPED

REMINDER_TIMES: tuple[str, ...] = ("07:30", "12:30", "18:00", "20:00", "21:30")
MAX_CALLBACK_BYTES = 64


def _button(text: str, data: str) -> InlineKeyboardButton:
    assert len(data.encode()) <= MAX_CALLBACK_BYTES, data
    return InlineKeyboardButton(text, callback_data=data)


def _rows(buttons: Sequence[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i:i + per_row]) for i in range(0, len(buttons), per_row)]


def choices(field: str, labels: Iterable[str], per_row: int = 3) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(_rows([_button(label, f"ob:{field}:{i}") for i, label in enumerate(labels)],
                                      per_row))


def stage_keyboard() -> InlineKeyboardMarkup:
    return choices("s", STAGES)


def subject_keyboard() -> InlineKeyboardMarkup:
    return choices("j", SUBJECTS, per_row=4)


def level_keyboard() -> InlineKeyboardMarkup:
    return choices("l", SCHOOL_LEVELS)


def reminder_keyboard() -> InlineKeyboardMarkup:
    buttons = [_button(t, f"ob:t:{t.replace(':', '')}") for t in REMINDER_TIMES]
    return InlineKeyboardMarkup([*_rows(buttons, 3), [_button("不需要提醒", "ob:t:off")]])


def answer_keyboard(key: str, can_quiz: bool = True) -> InlineKeyboardMarkup:
    first = [_button("做个小测", f"qz:{key}")] if can_quiz else []
    return InlineKeyboardMarkup([[*first, _button("换个问题", "nq")],
                                 [_button("👍", f"fb:+:{key}"), _button("👎", f"fb:-:{key}")]])


def task_keyboard(task: ServedTask, chosen: Iterable[int] = ()) -> InlineKeyboardMarkup:
    """Buttons that answer the task; typed tasks only get a skip button."""
    if task.type == "true_false":
        rows = [[_button(f"✔ {TRUE}", f"qa:{task.id}:0"), _button(f"✘ {FALSE}", f"qa:{task.id}:1")]]
    elif task.type == "single_choice":
        rows = _rows([_button(LETTERS[i], f"qa:{task.id}:{i}") for i in range(len(task.options))], 4)
    elif task.type == "multiple_choice":
        picked = set(chosen)
        rows = _rows([_button(f"{'☑' if i in picked else '☐'} {LETTERS[i]}", f"qm:{task.id}:{i}")
                      for i in range(len(task.options))], 4)
        rows.append([_button("提交", f"qs:{task.id}")])
    else:
        rows = []
    if task.type in TYPED:
        rows.append([_button("跳过这题", f"qx:{task.id}")])
    return InlineKeyboardMarkup(rows)


def make_plan_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button("生成研修计划", "pl")]])


def true_false_response(index: int) -> str:
    return TRUE if index == 0 else FALSE
