"""A corpus vocabulary that supplies plausible wrong answers.

A distractor only teaches something when it is the same kind of thing as the key (a percentage for a
percentage, a school subject for a subject, a body for a body) and when it is really wrong, i.e. it is not
stated anywhere in the passage the task was made from. The vocabulary is built from the indexed chunk
texts plus small built-in lists, and segmented with a part-of-speech jieba tokenizer that knows the same
policy terms as the retrieval tokenizer.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from typing import Literal

import jieba
import jieba.posseg

from assistant.learning.numbers import number_distractors, read_figure
from indexer.tokenizer import STOPWORDS

Kind = Literal["number", "date", "subject", "body", "term"]
KINDS: tuple[Kind, ...] = ("number", "date", "subject", "body", "term")

SUBJECTS = ("语文", "数学", "英语", "道德与法治", "历史", "地理", "物理", "化学", "生物", "科学", "体育",
            "音乐", "美术", "劳动", "信息技术", "思想政治", "心理健康", "书法")
BODIES = ("教育部", "财政部", "国务院", "人力资源社会保障部", "省级教育行政部门", "县级教育行政部门",
          "教师发展机构", "师范院校", "高校", "教研室", "地方政府", "培训机构", "中小学校", "幼儿园")
_BODY_SUFFIX = re.compile(r"(?!.*(?:[东南西北中内外全局干]部|大局|格局|布局)$).{1,10}"
                          r"(?:部|厅|局|机构|院校|学校|政府|委员会|大学|学院|中心|教研室|部门)")
# Order matters: a year range must win over the single year inside it.
_FIGURE = re.compile(
    r"(?P<date>\d{4}\s*[—–-]\s*\d{4}年|\d{4}年度?|\d{1,2}月(?:\d{1,2}日)?(?:底|初|中旬|上旬|下旬)?(?:前|后)?)"
    r"|(?P<number>\d+(?:\.\d+)?(?:%|％|个百分点|学时|学分|万元|元|天|次|周|个|项|人)"
    r"|(?<![一二三四五六七八九十百])[一二三四五六七八九十]{1,3}(?:科|级|项|类)(?![一二三四五六七八九十]))"
)
_DATE_SHAPE = re.compile(r"\d{4}\s*[—–-]\s*\d{4}年|\d{4}年度?|\d{1,2}月(?:\d{1,2}日)?(?:底|初|中旬|上旬|下旬)?(?:前|后)?")
_NUMBER_SHAPE = re.compile(r"\d+(?:\.\d+)?\D{0,3}|[一二三四五六七八九十]{1,3}[科级项类]")

_lock = threading.Lock()
_pos: jieba.posseg.POSTokenizer | None = None
_userdict: dict[str, str] | None = None


def _load() -> tuple[jieba.posseg.POSTokenizer, dict[str, str]]:
    """A private posseg tokenizer: the shared one in indexer.tokenizer has no part-of-speech tags."""
    global _pos, _userdict
    with _lock:
        if _pos is None or _userdict is None:
            text = resources.files("indexer").joinpath("userdict.txt").read_text(encoding="utf-8")
            tags, never = {}, []
            for line in text.splitlines():
                parts = line.split()
                if len(parts) > 1 and parts[1] == "0":
                    # A frequency of 0 keeps jieba from ever cutting this out as a word (哪些因素, 分算): it is
                    # no policy term, and as one it became a distractor.
                    never.append(parts[0])
                elif parts:
                    tags[parts[0]] = parts[2] if len(parts) > 2 else "n"
            tok = jieba.Tokenizer()
            tok.initialize()
            for word in tags:
                tok.add_word(word, freq=20, tag=tags[word])
            for word in never:
                tok.add_word(word, freq=0)
            _pos, _userdict = jieba.posseg.POSTokenizer(tok), tags
    return _pos, _userdict


def pos_tokens(text: str) -> list[tuple[str, str, int]]:
    """(word, flag, start offset) for each token; offsets index into ``text``."""
    pos, _ = _load()
    out, at = [], 0
    for pair in pos.lcut(text):
        out.append((pair.word, pair.flag, at))
        at += len(pair.word)
    return out


def is_content_word(word: str, flag: str) -> bool:
    """A noun, verb or adjective of two characters or more: the words that say what a text is about (one
    character is too ambiguous to say, and 应该、可以 say nothing)."""
    return len(word) >= 2 and flag.startswith(("n", "v", "a")) and word not in STOPWORDS


# Question words: a phrase with one (哪些因素, 什么时候) asks; it never names a policy term, and as an option it
# would give the key away.
_ASKING = re.compile(r"哪|什么|怎么|怎样|如何|多少|几[个项条种次]|为何|是否")


def asks(word: str) -> bool:
    """Whether ``word`` contains a question word, and so is no term to fill a blank with."""
    return bool(_ASKING.search(word))


def user_terms() -> dict[str, str]:
    return dict(_load()[1])


def figures(text: str) -> list[tuple[int, int, Kind]]:
    """Spans of numbers with units, years, year ranges and month/day deadlines."""
    return [(m.start(), m.end(), "date" if m.group("date") else "number") for m in _FIGURE.finditer(text)]


def _shape(term: str) -> str:
    return re.sub(r"\d+(?:\.\d+)?|[一二三四五六七八九十]+", "#", term)


def _variants(term: str) -> list[str]:
    """Same-shape dates near the key: 2021年 → 2020年, 2022年 …; 2月底前 → 3月底前 … (a year or a month off is
    what a deadline is misremembered by; figures with units have ``numbers`` of their own)."""
    nums = re.findall(r"\d+", term)
    if not nums:
        return []
    deltas = [-1, 1, 2, -2, 5, -5, 3] if re.fullmatch(r"\d{4}", nums[0]) else [1, -1, 2, 3, -2, 4, 6]
    out = []
    for d in deltas:
        vals = [int(n) + d for n in nums]
        if min(vals) <= 0 or ("月" in term and not 1 <= vals[0] <= 12):
            continue
        out.append(_fill_numbers(term, vals))
    return out


def _fill_numbers(term: str, values: list[int]) -> str:
    it = iter(values)
    return re.sub(r"\d+", lambda _m: str(next(it)), term)


def _clashes(candidate: str, others: Iterable[str]) -> bool:
    """Equal to, inside, or containing a correct answer: such an option could also be judged right."""
    return any(candidate == o or candidate in o or (o and o in candidate) for o in others)


@dataclass
class Vocabulary:
    pools: dict[Kind, tuple[str, ...]] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)  # user-dictionary word → its tag
    words: frozenset[str] = frozenset()  # every content word of the texts: what the knowledge base talks about
    # Each document's figures with units (its doc_id → 50元, 5% …): a number's wrong options come from its own
    # document first (``numbers``).
    doc_figures: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Iterable[str], docs: Iterable[str] | None = None) -> Vocabulary:
        """``docs``: the document each text is from (its doc_id), in the same order, when known."""
        terms = user_terms()
        pools: dict[Kind, set[str]] = {k: set() for k in KINDS}
        pools["subject"].update(SUBJECTS)
        pools["body"].update(BODIES)
        pools["term"].update(w for w, tag in terms.items() if tag in ("n", "nz") and not asks(w))
        words: set[str] = set()
        by_doc: dict[str, dict[str, None]] = {}
        for text, doc in zip(texts, docs if docs is not None else repeat(""), strict=False):
            for s, e, kind in figures(text):
                figure = re.sub(r"\s+", "", text[s:e])
                pools[kind].add(figure)
                if kind == "number" and doc:
                    by_doc.setdefault(doc, {})[figure] = None
            for word, flag, _ in pos_tokens(text):
                if flag == "nt" or (len(word) >= 3 and _BODY_SUFFIX.fullmatch(word) and flag.startswith("n")):
                    pools["body"].add(word)
                if is_content_word(word, flag):
                    words.add(word)
        vocab = cls({}, terms, frozenset(words), {doc: tuple(found) for doc, found in by_doc.items()})
        for kind, words in pools.items():
            # A word belongs to the pool of the kind it classifies as, so pools never overlap.
            vocab.pools[kind] = tuple(sorted(w for w in words if vocab.classify(w) == kind))
        return vocab

    def classify(self, term: str) -> Kind:
        if _DATE_SHAPE.fullmatch(term):
            return "date"
        if _NUMBER_SHAPE.fullmatch(term) and re.search(r"\d|[一二三四五六七八九十]", term[:1]):
            return "number"
        if term in SUBJECTS:
            return "subject"
        if term in BODIES or self.terms.get(term) == "nt" or (len(term) >= 3 and _BODY_SUFFIX.fullmatch(term)):
            return "body"
        return "term"

    def is_key_term(self, word: str, flag: str) -> bool:
        """Worth asking about: a subject, a body, or a policy term the dictionary knows."""
        if len(word) < 2:
            return False
        kind = self.classify(word)
        if kind in ("subject", "body"):
            return kind == "subject" or flag.startswith("n") or word in BODIES
        return word in self.terms and self.terms[word] in ("n", "nz", "nt")

    def distractors(self, key: str, kind: Kind, k: int, exclude: set[str], rng: random.Random,
                    doc_id: str = "") -> list[str]:
        """Up to ``k`` same-kind wrong answers; deterministic for a given ``rng`` state. ``doc_id``: the
        document the key is from, whose own figures a number's wrong options are taken from first."""
        avoid = [key, *exclude]
        if kind == "number" and read_figure(key) is not None:
            return number_distractors(key, k, self.doc_figures.get(doc_id, ()), lambda c: _clashes(c, avoid))
        if kind in ("number", "date"):
            shape = _shape(key)
            near = _variants(key)
            real = [w for w in self.pools.get(kind, ()) if _shape(w) == shape]
            ranked = list(dict.fromkeys(real + near))
            ok = [c for c in ranked if not _clashes(c, avoid)]
            head = ok[: max(k + 2, 5)]
            rng.shuffle(head)
            return head[:k]
        pool = [w for w in self.pools.get(kind, ()) if not _clashes(w, avoid) and not asks(w)]
        # Similar length reads as a plausible fill for the same blank; the random tiebreak varies the set.
        keyed = sorted(pool, key=lambda w: (abs(len(w) - len(key)), rng.random()))
        return keyed[:k]
