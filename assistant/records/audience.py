"""Who a document is written for, read off its title (or its declared ``stage`` and ``subject``), and how
that fits a teacher's profile.

A study plan ranked sections only by the plan vocabulary in their headings and text, so a kindergarten
teacher was scheduled the 小学语文 course outline's 「三、课程模块」 while a kindergarten document in the same
library never came up: every document looked as if it were for everyone. Titles say whom they are for
(小学语文骨干教师研修课程大纲, 某县幼儿园园本研修管理办法, 中小学幼儿园教师国家级培训计划), so:

- a document that names school levels none of which is the teacher's, or subjects none of which is theirs, is
  for other teachers and is left out of the schedule (it stays a topic the teacher may pick);
- a document that names the teacher's level, subject or development stage is made for them and comes first;
- a document that names none of these is for everyone and is ranked as before.

A development stage only ever prefers, never leaves out: teachers grow into the next stage's material (a
青年 teacher reading the 骨干 course), while a 小学语文 outline does not become a kindergarten one. A subject
counts only where the title names it as a subject (小学语文, 数学教师, 科学学科), so 信息技术应用能力提升工程,
which is for every teacher, names no subject.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from assistant.records.teachers import SUBJECTS

# School levels by the words titles use for them; 中小学 is primary and secondary school, not 小学 alone.
_LEVELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("中小学", ("小学", "初中", "高中")),
    ("义务教育", ("小学", "初中")),
    ("普通高中", ("高中",)),
    ("中学", ("初中", "高中")),
    ("幼儿园", ("幼儿园",)), ("学前", ("幼儿园",)), ("园本", ("幼儿园",)), ("幼儿", ("幼儿园",)),
    ("小学", ("小学",)), ("初中", ("初中",)), ("高中", ("高中",)),
    ("中职", ("中职",)), ("中等职业", ("中职",)), ("职业学校", ("中职",)),
)
_LEVEL_NAMES = "|".join(sorted({w for w, _ in _LEVELS}, key=len, reverse=True))
# How titles name subjects (the curriculum's names and the ones teachers use) → the profile's subject.
_SUBJECT_WORDS = {**{s: s for s in SUBJECTS if s not in ("综合", "其他", "学前教育", "特殊教育")},
                  "信息技术": "信息科技", "道法": "道德与法治", "思政": "思想政治", "心理": "心理健康"}
_SUBJECT_NAMES = "|".join(sorted(_SUBJECT_WORDS, key=len, reverse=True))
_AS_SUBJECT = re.compile(rf"(?:(?:{_LEVEL_NAMES})({_SUBJECT_NAMES}))|(?:({_SUBJECT_NAMES})"
                         r"(?=学科|教师|老师|骨干|课程|教学|教研|课堂|新课标|班|工作坊))")
# Fields of work that are a level and a subject at once.
_FIELDS = {"学前教育": ("幼儿园", "学前教育"), "特殊教育": ("", "特殊教育")}
_STAGES = {"新任": ("新任", "新入职", "新教师", "见习"), "青年": ("青年",), "骨干": ("骨干", "学科带头人"),
           "名师": ("名师", "卓越教师"), "培训者": ("培训者", "培训团队"), "名校长": ("校长", "园长")}
_FEW_LEVELS = 2  # 义务教育 (小学, 初中) is still written for its levels; 中小学 (three) is for all schools
# A subject a profile names that says nothing about which documents fit (综合, 其他).
_ANY_SUBJECT = ("", "综合", "其他")


@dataclass(frozen=True)
class Audience:
    """The school levels, subjects and development stages a document names (empty: it names none)."""

    levels: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    stages: frozenset[str] = frozenset()

    def excludes(self, profile: Mapping[str, str]) -> bool:
        """Clearly for other teachers: it names levels, none the teacher's, or subjects, none theirs."""
        level, subject = profile.get("school_level", ""), profile.get("subject", "")
        if level and self.levels and level not in self.levels:
            return True
        return subject not in _ANY_SUBJECT and bool(self.subjects) and not self._has_subject(subject)

    def fit(self, profile: Mapping[str, str]) -> int:
        """How many of the teacher's level, subject and stage the document is written for: 0 for one for
        everyone. A level counts only among a few (中小学幼儿园 names every level, so it fits no one more)."""
        level, subject, stage = (profile.get(k, "") for k in ("school_level", "subject", "stage"))
        return ((bool(level) and level in self.levels and len(self.levels) <= _FEW_LEVELS)
                + (subject not in _ANY_SUBJECT and self._has_subject(subject)) + (bool(stage) and stage in self.stages))

    def _has_subject(self, subject: str) -> bool:
        """Named, or a field of work that is a level too (学前教育: a document for kindergartens only)."""
        level = _FIELDS.get(subject, ("", ""))[0]
        return subject in self.subjects or (bool(level) and self.levels == {level})


@lru_cache(maxsize=4096)
def audience(title: str, stage: str = "", subject: str = "") -> Audience:
    """Whom a document is for: the levels (``stage`` in the corpus metadata is the school level) and subject it
    declares, else those its title names; the development stages its title names."""
    declared = [part for part in re.split(r"[,，、\s]+", stage) if part]
    levels = {level for part in declared for word, names in _LEVELS if part == word for level in names}
    if not levels:
        found, rest = set(), title
        for word, names in _LEVELS:
            if word in rest:
                found.update(names)
                rest = rest.replace(word, "　")
        levels = found
    subjects = {_SUBJECT_WORDS.get(s, s) for s in re.split(r"[,，、\s]+", subject) if s}
    if not subjects:
        subjects = {_SUBJECT_WORDS[m.group(1) or m.group(2)] for m in _AS_SUBJECT.finditer(title)}
    for field, (level, name) in _FIELDS.items():
        if field in title:
            subjects.add(name)
            if level:
                levels.add(level)
    stages = {s for s, words in _STAGES.items() if any(w in title for w in words)}
    return Audience(frozenset(levels), frozenset(subjects), frozenset(stages))
