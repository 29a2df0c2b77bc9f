"""What an open answer has to be before its rubric coverage counts: the teacher's own sentences.

Coverage alone asks only whether the rubric's words occur, so a reply that was nothing but those words
("师德 师风 立德树人") passed a reflection, and so did the source pasted back. Without a model we cannot
judge quality, but we can check the form of an honest answer:

- enough of the teacher's own words: characters copied from the source or the prompt (runs of
  ``COPY_GRAM`` or more) and repeated passages (runs of ``REPEAT_GRAM`` seen earlier) do not count;
- real clauses: at least ``MIN_CLAUSES`` clauses with a predicate and a function word (我们 / 将 / 通过 /
  的 …), or stating a dated step, a duty or a head count (10月组织两次校本研修, 财务负责报销), which a list of
  terms does not have;
- not a bag of terms: rubric terms and cue words may make up at most ``MAX_TERM_SHARE`` of the text;
- the terms in context: a rubric point is only credited where it is mentioned inside such a clause.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.learning.cues import states_plan_fact
from assistant.learning.vocabulary import pos_tokens

MIN_CHARS = 15  # below this a reply is not an answer yet: it is not recorded
MIN_OWN_CHARS = 30
MIN_CLAUSES = 2
MIN_CLAUSE_CHARS = 6
MAX_TERM_SHARE = 0.6
COPY_GRAM = 10
REPEAT_GRAM = 6

_CLAUSE_SPLIT = re.compile(r"[。！？!?；;，,：:\n\r\t ]+")
_FUNCTION_FLAGS = ("p", "c", "u", "d", "r")  # prepositions, conjunctions, particles, adverbs, pronouns
# Verbs, and adjectives: jieba tags some common verbs so (落实 a), and 效果很好 has an adjective predicate.
_PREDICATE_FLAGS = ("v", "a", "z")


def content(text: str) -> str:
    """Letters and digits only, NFKC-folded and lower-cased: what the length rules count."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


@dataclass(frozen=True)
class Writing:
    chars: int  # letters and digits in the reply
    own_chars: int  # of those, not copied from the source or prompt and not repeated
    clauses: tuple[str, ...]  # the clauses that read as sentences (predicate + function word)
    term_share: float  # share of the characters that are rubric terms or cue words

    @property
    def too_short(self) -> bool:
        return self.chars < MIN_CHARS

    def problems(self) -> list[str]:
        """Why this is not yet an answer that can pass, in Chinese; empty when the form is fine."""
        out = []
        if self.own_chars < MIN_OWN_CHARS:
            out.append(f"请用自己的话多写几句（至少 {MIN_OWN_CHARS} 字；照抄原文或题目、重复的内容不计）")
        if len(self.clauses) < MIN_CLAUSES or self.term_share > MAX_TERM_SHARE:
            out.append("请用完整的句子说明你打算怎么做、为什么、怎样检验效果，只罗列关键词不算作答")
        return out

    @property
    def context(self) -> str:
        """The text in which rubric terms count as used in context."""
        return "。".join(self.clauses)


def _grams(text: str, n: int) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def own_chars(reply: str, *borrowed: str) -> int:
    """Characters of ``reply`` outside runs copied from ``borrowed`` texts and outside repeated runs."""
    text = content(reply)
    copied = set().union(*(_grams(content(b), COPY_GRAM) for b in borrowed)) if borrowed else set()
    marked = [False] * len(text)
    seen: set[str] = set()
    for i in range(len(text)):
        if text[i:i + COPY_GRAM] in copied:
            marked[i:i + COPY_GRAM] = [True] * len(text[i:i + COPY_GRAM])
        gram = text[i:i + REPEAT_GRAM]
        if len(gram) == REPEAT_GRAM:
            if gram in seen:
                marked[i:i + REPEAT_GRAM] = [True] * REPEAT_GRAM
            seen.add(gram)
    return marked.count(False)


def is_clause(clause: str) -> bool:
    """A clause that reads as a sentence: long enough, with a predicate and a function word, or stating a step,
    a duty or the size of the school (``cues.states_plan_fact``), which plans write without one: 财务负责报销,
    10月组织两次校本研修. A list of terms has neither."""
    if len(content(clause)) < MIN_CLAUSE_CHARS:
        return False
    flags = [flag for _, flag, _ in pos_tokens(clause)]
    if any(f.startswith(_PREDICATE_FLAGS) for f in flags) and any(f.startswith(_FUNCTION_FLAGS) for f in flags):
        return True
    return states_plan_fact(clause)


def term_share(reply: str, terms: Iterable[str]) -> float:
    text = content(reply)
    if not text:
        return 0.0
    covered = [False] * len(text)
    for term in {content(t) for t in terms if content(t)}:
        for m in re.finditer(re.escape(term), text):
            covered[m.start():m.end()] = [True] * (m.end() - m.start())
    return covered.count(True) / len(text)


def assess(reply: str, *, source: str, prompt: str, terms: Iterable[str]) -> Writing:
    clauses: list[str] = []
    for clause in _CLAUSE_SPLIT.split(unicodedata.normalize("NFKC", reply)):
        if clause.strip() and content(clause) not in {content(c) for c in clauses} and is_clause(clause):
            clauses.append(clause.strip())
    return Writing(len(content(reply)), own_chars(reply, source, prompt), tuple(clauses),
                   round(term_share(reply, terms), 4))
