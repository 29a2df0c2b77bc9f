"""Whether an open answer talks about school and teaching at all, not only whether it names the rubric's terms.

Rubric coverage asks whether the points were touched, so a reply that hangs each rubric term on nonsense
(我们班的分层分类喜欢在操场上吃苹果，精准培训每天跳三次舞……) covered every point. Without a language model the
grader cannot tell whether a sentence makes sense, and the bundled embedder cannot either: it puts such a
reply as near to the task's source as a real plan (cosines of 0.83–0.88 for both, measured on the trial's
examples). What can be checked is what the words of an answer are about.

Each word is placed in its semantic fields by 同义词词林 (``indexer.thesaurus.categories``): 苹果 is a plant
(Bh), 月亮 a heavenly body (Bd), 老师 an occupation (Ae). The fields of school and teaching are not listed by
hand: they are the fields of the words the knowledge base itself uses (``Domain``), with the school subjects,
bodies and policy terms the task engine knows and the people of a school that policies seldom name (孩子,
家长). A word of the answer is on topic when the knowledge base uses it or one of its senses lies in one of
those fields; off topic when 词林 knows it and none does (苹果, 红烧肉, 恐龙, 袜子); not judged when neither it
nor the words it is made of are known (希沃). The task's own words and the rubric's cue words are not judged:
they are what a nonsense answer borrows to look like an answer.

Off-topic words are judged by 词林's broad middle classes, so everyday life passes as school life: an answer
about the teacher's cat (吃饭, 睡觉, 公园, 散步, 体重) names nothing a school lacks, yet nothing of a school either.
So an answer must also be about school or the task's topic in its own sentences (``school_share``): a clause is
about school when it names a word of the fine 词林 classes of teaching and learning (those of ``SCHOOL_CORE``:
讲课, 学习, 学校, 教师与学生, 学科 …), a school subject, body, policy term or person, a word that marks school
(``SCHOOL_MARKS``: 校, 课, 教, 学期, 班级 …), or a word of the task's source text (公用经费).

Three rules follow (``grading`` applies them):

- an answer whose judged words are at least ``MAX_OFF_SHARE`` off topic, and at least ``MIN_OFF_WORDS`` of
  them, is not an answer yet: like a list of keywords it is not recorded and the teacher is asked to write
  about their school;
- an answer in which fewer than ``MIN_SCHOOL_SHARE`` of the clauses are about school or the task's topic is
  mostly about something else, however ordinary, and is refused the same way;
- a rubric point counts only in a sentence that names nothing off topic (``strays``): 分层分类的做法是让月亮
  变成方的 does not show that 分层分类 was understood.

What this catches: answers built of everyday things far from school (food, animals, plants, the sky, clothes),
the usual way of trying a grader with nonsense. What it cannot catch: nonsense made of school words (黑板会唱歌,
参与对象是教室里的桌子和椅子: all school things), a sensible answer to another question, or a few absurd
sentences in a real answer whose rubric terms stand in sound sentences. It can also discount a real sentence
about things far from the knowledge base's fields (a labour lesson's 白菜和萝卜): such a sentence only loses
the rubric point it carries, and a whole answer is refused only when such words dominate it. The thresholds
were set on the answers in ``tests/assistant/learning/test_topicality.py`` against the bundled knowledge base
(one notice): real teachers' answers stay at or below 0.2, the nonsense ones from 0.3 up; a larger knowledge
base knows more fields and is more lenient. ``MIN_SCHOOL_SHARE`` was set on the same answers: real ones have
at least half of their clauses about school (most have nearly all), the cat's diary one in seven.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.learning.vocabulary import BODIES, SUBJECTS, is_content_word, pos_tokens, user_terms
from indexer.thesaurus import categories
from indexer.tokenizer import lexical_terms

# 词林's middle classes (Bh 植物, Bi 动物, Br 食品, Ae 职业 …). The small classes below them split school life
# itself (午睡 and 吃饭 apart from 学习), so a knowledge base of policies would leave out half of a real answer.
FIELD_LEVEL = 2
MAX_OFF_SHARE = 0.25
MIN_OFF_WORDS = 3
# The people of a school as teachers name them; policies say 学生 and 家庭 instead.
SCHOOL_PEOPLE = ("孩子", "儿童", "家长", "班主任", "同学")
# Words whose fine 词林 classes (four characters: Hg05 讲课, Ae13 教师 学生) are the classes of teaching and
# learning. Fine, not middle: the middle class Hg also holds 医治, and Ae every occupation.
SCHOOL_CORE = ("学校", "教师", "学生", "教学", "教育", "培训", "学习", "课程", "阅读")
SCHOOL_FIELD_LEVEL = 4
# Parts of words that mark school whatever 词林 says (公开课, 学期末, 校本, 教研组, 年级).
SCHOOL_MARKS = ("校", "课", "教", "学期", "学年", "班级", "年级")
MIN_SCHOOL_SHARE = 1 / 3


@lru_cache(maxsize=1)
def _seeds() -> frozenset[str]:
    return frozenset((*SUBJECTS, *BODIES, *user_terms(), *SCHOOL_PEOPLE))


@lru_cache(maxsize=65536)
def _fields(word: str) -> frozenset[str]:
    return frozenset(code[:FIELD_LEVEL] for code in categories(word))


class Domain:
    """What counts as on topic: the words a knowledge base uses and the semantic fields of their senses."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words) | _seeds()
        self.fields = frozenset(f for w in self.words for f in _fields(w))

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Domain:
        return cls(w for text in texts for w, flag, _ in pos_tokens(text) if is_content_word(w, flag))

    def judge(self, word: str) -> bool | None:
        """True on topic, False off topic, None when 词林 knows neither the word nor any word inside it."""
        known = self._known(word)
        if known is not None:
            return known
        # 数星星, 纸飞机: a compound 词林 lacks is judged by the words it is made of.
        inside = {self._known(p) for p in lexical_terms(word) if p != word and len(p) >= 2}
        return True if True in inside else False if False in inside else None

    def _known(self, word: str) -> bool | None:
        if word in self.words:
            return True
        fields = _fields(word)
        return bool(fields & self.fields) if fields else None


def own_words(text: str, given: frozenset[str]) -> list[str]:
    """The content words of ``text`` that the task did not supply, each once, in order."""
    words = (w for w, flag, _ in pos_tokens(text) if is_content_word(w, flag) and w not in given)
    return list(dict.fromkeys(words))


@dataclass(frozen=True)
class Topicality:
    judged: int  # distinct words of the answer's own that could be judged
    off: tuple[str, ...]  # of those, the ones off topic

    @property
    def share(self) -> float:
        return len(self.off) / self.judged if self.judged else 0.0

    @property
    def unrelated(self) -> bool:
        return len(self.off) >= MIN_OFF_WORDS and self.share >= MAX_OFF_SHARE

    def problem(self) -> str:
        """Why the answer cannot count yet, in Chinese, with a few of the words that show it."""
        shown = "".join(f"“{w}”" for w in self.off[:4])
        return f"回答里有不少与学校教育教学无关的内容（如{shown}），请结合本校、本班的实际写出你的想法和做法"


def topicality(reply: str, domain: Domain, given: frozenset[str]) -> Topicality:
    verdicts = {w: domain.judge(w) for w in own_words(reply, given)}
    return Topicality(sum(v is not None for v in verdicts.values()),
                      tuple(w for w, v in verdicts.items() if v is False))


@lru_cache(maxsize=1)
def _school_fields() -> frozenset[str]:
    return frozenset(code[:SCHOOL_FIELD_LEVEL] for word in SCHOOL_CORE for code in categories(word))


@lru_cache(maxsize=65536)
def _of_school(word: str) -> bool:
    if any(mark in word for mark in SCHOOL_MARKS):
        return True
    parts = [word, *(p for p in lexical_terms(word) if p != word and len(p) >= 2)]
    return any(p in _seeds() or any(c[:SCHOOL_FIELD_LEVEL] in _school_fields() for c in categories(p))
               for p in parts)


def about_school(clause: str, topic: frozenset[str]) -> bool:
    """Whether a clause names anything of school and teaching, or a word of the task's own ``topic``."""
    return any(len(w) >= 2 and (w in topic or _of_school(w)) for w, _, _ in pos_tokens(clause))


def school_share(clauses: Iterable[str], topic: frozenset[str]) -> float:
    """The share of ``clauses`` about school or the topic (1.0 for none: the form rules speak to that)."""
    said = [about_school(c, topic) for c in clauses]
    return sum(said) / len(said) if said else 1.0


def topic_words(text: str) -> frozenset[str]:
    """The content words of a task's source text: naming them is talking about the task's topic."""
    return frozenset(w for w, flag, _ in pos_tokens(text) if is_content_word(w, flag))


ELSEWHERE = "回答大多在说与学校教育教学无关的事情，请结合本校、本班的实际，围绕题目要求写出你的想法和做法"


def strays(clause: str, domain: Domain, given: frozenset[str]) -> tuple[str, ...]:
    """The things a clause names that a school does not deal in: its off-topic nouns. Verbs are left out,
    because a real sentence often has one odd verb (看出, 头疼) while its subject is the school's."""
    nouns = {w for w, flag, _ in pos_tokens(clause) if flag.startswith("n")}
    return tuple(w for w in own_words(clause, given) if w in nouns and domain.judge(w) is False)
