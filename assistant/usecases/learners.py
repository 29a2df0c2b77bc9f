"""Whose learning records a request is about: the caller's own, or a teacher the caller names.

A teacher is named by account name (the ``users`` row: its API token, web sign-in and ``guopei --as`` all
reach the same records), by teacher id (``t_…``, the 教师编号 column of every export, which also reaches a
Telegram teacher who has no account) or by a learner label the operator made up at the command line
(channel ``cli``). The command line's ``--user`` and the API's ``/v1/teachers/{who}`` both come here, so a
name means the same teacher everywhere.

Who may name whom: trainers and admins read any teacher's progress and records (``learners.read``), but
study only as themselves, since a credit must come from the teacher's own answer; a teacher names only
themselves. The operator at the machine, who can read the data directory anyway, may also study under a
name (a shared terminal in a training room), as ``--user`` always allowed.
"""

from __future__ import annotations

import re

from assistant.errors import Forbidden, NotFound
from assistant.records.teachers import TeacherStore
from assistant.records.users import UserStore
from assistant.roles import Actor, allowed
from assistant.usecases.people import CLI, People

_TEACHER_ID = re.compile(r"^t_[0-9a-f]{16}$")
TEACHERS_ONLY_SELF = ("「--user」只能由管理员或培训者使用，用来查看某位教师的进度和学习记录；"
                      "以教师身份只能查看、作答自己的，请去掉 --user")
STAFF_READ_ONLY = ("「--user」只用于查看某位教师的进度和学习记录；出题、作答和研修计划只能以本人身份进行，"
                   "请去掉 --user")


class Learners:
    def __init__(self, users: UserStore, teachers: TeacherStore) -> None:
        self.users = users
        self.teachers = teachers

    def reading(self, actor: Actor, who: str | None) -> Actor:
        """The learner whose progress and records ``actor`` reads: themselves when ``who`` is empty or names
        them; another teacher only for staff. Raises ``Forbidden`` or ``NotFound``."""
        who = (who or "").strip()
        if not who:
            return actor
        if actor.local:
            return self.named(who) or People.operator(who)  # an unused label is refused by what reads it
        found = self._others(actor, who)
        if found is None:
            raise NotFound(f"未找到教师「{who}」：请核对账号名或教师编号（全体导出中的「教师编号」）")
        return found

    def acting(self, actor: Actor, who: str | None) -> Actor:
        """The learner ``actor`` studies as (quiz, grade, next step, plan): themselves. Only the operator at
        the machine studies under another name, a new label included (its first quiz starts it)."""
        who = (who or "").strip()
        if not who:
            return actor
        if actor.local:
            return self.named(who) or People.operator(who)
        if self._others(actor, who) is actor:
            return actor
        raise Forbidden(STAFF_READ_ONLY, ())

    def named(self, who: str) -> Actor | None:
        """The learner ``who`` names (account name, teacher id or a command-line label in use), or None."""
        user = self.users.by_name(who)
        if user is not None:
            return People.api_actor(user)
        if _TEACHER_ID.match(who):
            teacher = self.teachers.get(who)
            channels = self.teachers.channels(who) if teacher else []
            if teacher is not None and channels:
                channel, external_id = channels[0]
                return Actor(channel, external_id, teacher.display_name)
        if self.teachers.find_by_channel(CLI, who) is not None:
            return People.operator(who)
        return None

    def _others(self, actor: Actor, who: str) -> Actor | None:
        """``actor`` itself when ``who`` names them; otherwise the one named (None: nobody), for staff only. A
        teacher naming anyone else is refused alike, whether or not that name exists."""
        found = self.named(who)
        if found is not None and found.key == actor.key:
            return actor
        roles = allowed("learners.read")
        if actor.role not in roles:
            raise Forbidden(TEACHERS_ONLY_SELF, roles)
        return found
