"""Resolve follow-up questions against the conversation so far.

"它和学历教育是什么关系？" means nothing to a retriever; after "什么是学分银行？" it means
"学分银行和学历教育是什么关系". We carry the previous question's topic terms into the query whenever the new
question points back (它, 这个, 那…) or is too thin to stand alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from assistant.catalogue import NAMING_WORDS
from assistant.facts import cn_number
from assistant.question import analyse, is_social
from indexer.structure import heading_name
from indexer.tokenizer import lexical_terms

_ANAPHORA = re.compile(
    r"(它们?|他们|这个|那个|这几|那几|这项|那项|这些|那些|这样|那样|该项?|其|此项?|上述|前者|后者|这种|那种|这里|那里|剩下|剩余|"
    r"\bit\b|\bthey\b|\bthis\b|\bthat\b|\bthose\b)",
    re.IGNORECASE,
)
# A question that opens with 那/还有 continues the last one; one that opens with 跟/和/与 compares with
# something it does not name ("跟市里的一样吗"): the other side is the last question's topic.
_NOUN_TAGS = ("n", "vn", "j", "eng")
_ELLIPTIC = re.compile(r"^(那|还有|另外|然后|再|那么|跟|和|与|同|and|what about|compared)")


def _user_turns(history: Sequence[dict[str, Any]]) -> list[str]:
    return [str(t.get("content", "")) for t in history if t.get("role") == "user" and t.get("content")]


def points_back(question: str) -> bool:
    """Refers to something said before (它, 那个, 第二项) or opens as a continuation (那…呢, 还有, 跟…一样吗)."""
    return bool(_ANAPHORA.search(question) or _ELLIPTIC.search(question.strip()) or _ORDINAL.search(question))


def needs_context(question: str) -> bool:
    """Points back (它, 那…), or names nothing it is about: 每年最低是多少 / 要是没达到会怎么样 have no noun of
    their own, so their subject is the last question's."""
    return bool(_ANAPHORA.search(question) or _ELLIPTIC.search(question.strip()) or len(lexical_terms(question)) <= 1
                or not _names_something(question))


def _names_something(question: str) -> bool:
    q = analyse(question)
    return any(flag.startswith(_NOUN_TAGS) for word, flag in q.tagged if word.lower() in q.focus)


# 第三项, 第2个, 最后一项, 中间那段: an item of a list the assistant just gave.
_UNIT = r"(?:项|个|条|类|种|点|部分|阶段|段|模块|科|门)"
_ORDINAL = re.compile(rf"第\s*(?P<n>[一二三四五六七八九十\d]+)\s*{_UNIT}|(?P<last>最后(?:一|那|的)?\s*{_UNIT})|"
                      rf"(?P<middle>中间(?:那|的|这)?\s*(?:一)?\s*{_UNIT})|(?P<first>(?:头一|前一|开头(?:那|的)?)\s*{_UNIT})")
# A list line of an answer: 「（三）送教下乡培训项目」[3] (the headings of an outline answer).
_LIST_LINE = re.compile(r"^「(?P<item>[^」]+)」\[\d+\]$")
# A list written out in a sentence: 分为集中研修、回校实践和总结提升三个阶段 / “集中研修—校本实践—总结提升”.
_ITEM = r"[\u4e00-\u9fff]{2,10}"
_RUN = re.compile(rf"{_ITEM}(?:\s*[、—－]\s*{_ITEM})+(?:\s*(?:和|及|以及|与)\s*{_ITEM})?")
_LEAD_IN = re.compile(r"^(?:主要|一共|共)?(?:分为|分成|包括|包含|分别是|依次是|有|采取|采用|强化|加强|加大|开展|突出|设置|涵盖)")
_TAIL = re.compile(r"(?:[一二三四五六七八九十两\d]+\s*(?:个|段|项|类|种|部分|科|门)?\s*(?:阶段|段|部分|环节|方面|类|项)?式?|等|"
                   r"(?:共同)?(?:参与|参加|组成|构成)).*$")


def _lists(history: Sequence[dict[str, Any]], unit: str = "") -> Iterator[tuple[list[str], str]]:
    """The items of each list the assistant's replies gave, latest first, numbering removed, with their kind: the
    headings of an outline answer ("outline"), else the lines of a numbered list quoted ("numbered"), else a run
    of three or more items written out in a sentence ("sentence": the one that counts in ``unit``, 三科 for 第二科,
    if there is one; the first otherwise)."""
    for turn in reversed(history):
        if turn.get("role") == "assistant":
            text = str(turn.get("content", ""))
            lines = [heading_name(m.group("item")) for m in map(_LIST_LINE.match, text.splitlines()) if m]
            numbered = [] if lines else _numbered(text)
            items = lines or numbered or _enumerated(text, unit)
            if items:
                yield items, "outline" if lines else "numbered" if numbered else "sentence"


# A quoted line of a numbered list: 2. 每节研究课提交教学设计和课后反思。[2]
_NUMBERED_LINE = re.compile(r"^\s*(?:(\d+)[.．、]|（(\d+)）|\((\d+)\))\s*(?P<item>[^\[\n]+?)\s*(?:\[\d+\])+\s*$")


def _numbered(text: str) -> list[str]:
    """The items of the numbered list an answer quoted line by line (1. … 5.), when it is quoted from its first
    item on, in order."""
    items: list[str] = []
    for line in text.splitlines():
        m = _NUMBERED_LINE.match(line)
        if m and int(next(g for g in m.groups()[:3] if g)) == len(items) + 1:
            items.append(m.group("item").rstrip("。；;"))
    return items if len(items) >= 2 else []


def _enumerated(text: str, unit: str = "") -> list[str]:
    runs = list(_RUN.finditer(text))
    if unit:
        counted = re.compile(rf"[一二三四五六七八九十两\d]+\s*{unit}")
        runs = [r for r in runs if counted.search(r.group(0))] + [r for r in runs if not counted.search(r.group(0))]
    for run in runs:
        # 、 and dashes part the items; 和/及/与 only joins the last one on (道德与法治 is one subject).
        items = [i.strip() for i in re.split(r"\s*[、—－]\s*", run.group(0)) if i.strip()]
        last = re.split(r"\s*(?:以及|和|及)\s*", items[-1])
        if len(last) == 2 and all(len(p) >= 2 for p in last):
            items[-1:] = last
        items[0] = _LEAD_IN.sub("", items[0])
        items[-1] = _TAIL.sub("", items[-1])
        if len(items) >= 3 and all(2 <= len(i) <= 8 for i in items):
            return items
    return []


def _pick(question: str, history: Sequence[dict[str, Any]] | None) -> tuple[re.Match[str], list[str], int, bool] | None:
    """The ordinal in the question, the list it counts in, the item's place (1-based) and whether that list is an
    outline's headings; None when no list given before has that item."""
    m = _ORDINAL.search(question)
    if not m:
        return None
    unit = re.sub(r"^.*?(" + _UNIT + r")$", r"\1", m.group(0).strip())
    counted = unit in ("科", "门", "阶段", "模块")
    lists = list(_lists(history or [], unit if counted else ""))
    if unit in ("条", "项", "点"):
        # 那第三条呢 counts in the list given line by line (an outline, numbered items), not in three things a
        # quoted sentence names in a row (第二个 may count those; 第二科 counts in the sentence naming subjects).
        lists = [x for x in lists if x[1] != "sentence"] + [x for x in lists if x[1] == "sentence"]
    for items, kind in lists:
        headings = kind == "outline"
        if m.group("middle"):
            if len(items) % 2 == 0:
                return None  # 中间那个 of an even list names no one item
            n = len(items) // 2 + 1
        else:
            n = len(items) if m.group("last") else 1 if m.group("first") else int(cn_number(m.group("n")) or 0)
        if 1 <= n <= len(items):
            return m, items, n, headings
        if n < 1:
            return None
    return None


def resolve_ordinal(question: str, history: Sequence[dict[str, Any]] | None) -> str:
    """第三项 after a list answer is that item by name: 第三项具体怎么搞 → 送教下乡培训项目具体怎么搞. The latest list
    long enough to have that item is meant: 那第四项呢, after the reply to 第三项 (which may itself name three
    things in a row), still counts in the outline two replies back."""
    picked = _pick(question, history)
    if picked is None:
        return question
    m, items, n, headings = picked
    rest = question[:m.start()] + question[m.end():]
    if headings and _BARE.match(rest):
        # 第二项呢 after an outline: what that part holds, listed by its own headings where it has them.
        return f"{items[n - 1]}包括哪些内容"
    return question[:m.start()] + items[n - 1] + question[m.end():]


def named_item(question: str, history: Sequence[dict[str, Any]] | None) -> tuple[str, str] | None:
    """那第二科呢 after a reply that named 道德与法治、语文、历史 in a sentence: the ordinal as typed and the item it
    names, which the answer says first (the passage found for the item is the same one again)."""
    picked = _pick(question, history)
    if picked is None:
        return None
    m, items, n, headings = picked
    if headings or not _BARE.match(question[:m.start()] + question[m.end():]):
        return None
    return m.group(0).strip(), items[n - 1]


# 第三项, 最后一项: an item of a list by its place alone, which only a list given before can say.
_ITEM_REFERENCE = re.compile(r"第\s*[一二三四五六七八九十\d]+\s*(?:项|点)|(?:最后|中间)(?:一|那|的)?\s*(?:一)?\s*项")


def latest_list(history: Sequence[dict[str, Any]] | None) -> list[str]:
    """The items of the last list the assistant gave, to tell a teacher who asks for 第三项 of two what there is."""
    lists = list(_lists(history or []))
    # 第七条呢 after the five tasks and a reply on the second: the list given line by line counts, not the three
    # things a quoted sentence names in a row.
    return next((items for items, kind in lists if kind != "sentence"), None) or next((i for i, _ in lists), [])


# Nothing beside the item but a particle or a plain "tell me about it": 第二项呢, 那第三项是什么, 说说第一项.
_BARE = re.compile(r"^\s*(?:那|那么|再|请)?\s*(?:说说|讲讲|介绍一下|展开说说)?\s*(?:呢|是什么|是啥|说的是什么|讲的是什么|讲了什么|"
                   r"说了什么|具体说说|具体讲讲|具体是什么|有什么内容)?\s*[？?。！!]*\s*$")


def unresolved_reference(question: str, history: Sequence[dict[str, Any]] | None) -> str:
    """第三项具体怎么搞 with no list before it to count in (a new chat, or after /clear): the words that point at an
    item no search can find, when the question names nothing else; else empty."""
    # After a list, 第五条呢 counts in it too (保障措施有哪几条 lists 条); with none, 第五条 is an article of a rule.
    m = _ITEM_REFERENCE.search(question) or (_ORDINAL.search(question) if latest_list(history) else None)
    if not m or resolve_ordinal(question, history) != question:
        return ""
    return "" if _names_something(question[:m.start()] + question[m.end():]) else m.group(0)


def contextualize(question: str, history: Sequence[dict[str, Any]] | None, *, force: bool = False) -> str:
    """The question as a self-contained retrieval query (unchanged when it already stands alone)."""
    resolved = resolve_ordinal(question, history)
    if resolved != question:
        return resolved
    if not history or is_social(question) or not (force or needs_context(question)):
        return question
    turns = _user_turns(history)
    if not turns:
        return question
    # Resolve the previous turn first: a chain of follow-ups keeps its original topic.
    previous = contextualize(turns[-1], [{"role": "user", "content": t} for t in turns[:-1]])
    # 要是没达到会怎么样, after a reply from 市里的指南: that document is where to look first.
    scope = "" if _naming(question) else "".join(_naming(_last_reply(history)))
    # The earlier question's topic, not its asking words: 几次 carried over would make 迟到和早退处理起来一样吗 a
    # question after a count.
    own = lexical_terms(question)
    # 跟市里的一样吗 compares with the last question's side, which stays; 那市里呢 asks the same of 市里 instead.
    compares = bool(_COMPARES.search(question.strip()))
    carried = list(dict.fromkeys(lexical_terms(scope + previous)))
    replaced = [] if compares else [t for t in carried if t not in own and _replaced(t, own, question)]
    # 校本研修 gives way to 网络研修, and so do its parts (校本).
    topic = [t for t in carried
             if t not in own and not _ASKING.match(t) and not any(t in r for r in replaced)]
    if not topic:
        return question
    return f"{_joined(_longest_first(topic))}：{question}"


_ASKING = re.compile(r"^(?:几|多少)")
_COMPARES = re.compile(r"^(?:跟|和|与|同|比|compared)|一样|不同|区别|差别|相比|对比|比较|差异|same|differ", re.I)
# Alternatives of one kind: 那线下呢 after 线上学多少学时 asks the same of 线下, so 线上 leaves the topic.
_ALTERNATIVES: tuple[frozenset[str], ...] = (
    frozenset({"线上", "线下", "网上", "网络研修", "集中研修", "面授", "校本实践", "集中培训", "跟岗", "跟岗实践", "返岗实践",
               "总结提升"}),
    frozenset({"国家", "中央", "省", "省里", "省级", "市", "市里", "市级", "县", "县里", "县级", "学校", "校级", "地方"}),
    frozenset({"小学", "初中", "高中", "幼儿园"}),
    frozenset({"乡村", "农村", "城区", "城镇", "城里"}),
    frozenset({"正高", "副高", "中级"}),
    frozenset({"培训费", "学费", "路费", "交通费", "住宿", "食宿", "伙食", "资料费"}),
)


_HAN_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")


def _replaced(term: str, own: tuple[str, ...], text: str = "") -> bool:
    """Whether the follow-up names an alternative to ``term``: one of its group, or a word of the same kind by its
    head (网络研修 for 校本研修, 城区教师 for 乡村教师: the same last two characters, a different first part)."""
    # 集中培训 is split into 集中 / 培训 by the tokenizer: an alternative is looked for in the text as well.
    if any(term in group and any(o != term and (o in own or (len(o) >= 4 and o in text)) for o in group)
           for group in _ALTERNATIVES):
        return True
    if len(term) < 4:
        return False
    head = term[-2:]
    return any(_HAN_PAIR.fullmatch(text[i - 2:i]) and text[i - 2:i + 2] != term[-4:]
               for i in range(2, len(text) - 1) if text.startswith(head, i))


def _last_reply(history: Sequence[dict[str, Any]]) -> str:
    return next((str(t.get("content", "")) for t in reversed(history) if t.get("role") == "assistant"), "")


def _naming(text: str) -> list[str]:
    """The words of ``text`` that point at a document (市里, 指南, 省方案), none inside another, in the order the text
    has them: the same text always gives the same words in the same order, whatever order the set iterates in."""
    found = sorted((w for w in NAMING_WORDS if not w.isascii() and len(w) >= 2 and w in text), key=lambda w: (-len(w), w))
    kept = [w for i, w in enumerate(found) if not any(w in longer for longer in found[:i])]
    return sorted(kept, key=lambda w: (text.find(w), w))


def _joined(terms: list[str]) -> str:
    """Chinese terms run together as they are written; an English word keeps a space on either side."""
    out = ""
    for term in terms:
        out += (" " if out and (term[:1].isascii() or out[-1:].isascii()) else "") + term
    return out


def _longest_first(terms: list[str]) -> list[str]:
    """Keep whole terms and drop their sub-words (学分银行, not 学分 银行 学分银行)."""
    kept: list[str] = []
    for term in sorted(terms, key=len, reverse=True):
        if not any(term in k for k in kept):
            kept.append(term)
    order = {t: i for i, t in enumerate(terms)}
    return sorted(kept, key=lambda t: order[t])
