"""What a replacement changed that the trainer should be told: the title the resource now has, and whether
the new file looks like another document altogether.

Replacing 《青溪镇研修安排》 with the school canteen's menu by mistake was accepted without a word, and the menu
went live quoted as 《青溪镇研修安排》. As in a document library asked for a new version, the replacement goes
ahead (the trainer may mean it: a rewritten notice), but says so, in the same words on every surface: in the
reply, or for a job left to the background, as the job's last word. Nothing is lost meanwhile: the old version
answers until the new one is indexed and committed (``resource_jobs``), and a wrong file is undone by replacing
it again with the right one.

The title (``TitleRule``): a title the trainer typed (at upload, or now) is theirs and is kept; a title read
from the old file follows the new file's own title (the 2025 notice replacing the 2024 one is cited as the 2025
notice); when the new file has no title of its own (only a file name), the old title is kept. Resources from
before this was recorded count as typed: their title is kept, as it always was. Either way the reply says which
title it keeps when the file calls itself something else.

Unrelated (``unrelated``): the vocabularies (terms of two characters or more, figures left out, as the lexical
index cut them) share under 15%, or under 30% while the titles share no word but document-type words (通知,
方案 …). Measured on the bundled notice and the evaluation resources, all on teacher training: two different
documents share 12–26% of their vocabulary, a schedule and a canteen menu of the same school 5%, a document
and its own first half about 60%, a notice and its corrected version over 80%.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from corpus.text import name_key
from indexer.tokenizer import index_terms

FAR = 0.15  # below this share of vocabulary, a different document whatever the titles say
APART = 0.30  # below this, a different document unless the titles share a word
_TYPE_WORDS = frozenset({"关于", "通知", "印发", "实施", "方案", "办法", "意见", "安排", "工作", "计划", "说明",
                         "指南", "规定", "细则", "公告", "决定"})
# What a replacement does with the title when none is given, in the words every surface's help uses.
BLANK_TITLE_RULE = "上传时填写的标题保留，取自文件的标题改用新文件中的标题"
TitleRule = Literal["given", "kept", "file"]  # typed now; typed before (or unknown), so kept; read from the file


@dataclass(frozen=True)
class Version:
    """What is compared of a version: its title and the terms of its chunks."""

    title: str
    terms: frozenset[str]


def vocabulary(lexes: Iterable[str]) -> frozenset[str]:
    """The terms of a version from its chunks' pre-cut ``lex`` metadata (cut again if a chunk has none)."""
    return frozenset(t for lex in lexes for t in lex.split() if _counts(t))


def terms_of(texts: Iterable[str]) -> frozenset[str]:
    return vocabulary(" ".join(index_terms(text)) for text in texts)


def shared(old: frozenset[str], new: frozenset[str]) -> float:
    """The share of the two vocabularies' terms that both have (Jaccard)."""
    return len(old & new) / len(old | new) if old | new else 1.0


def title_words(title: str) -> frozenset[str]:
    return frozenset(t for t in index_terms(title) if _counts(t) and t not in _TYPE_WORDS)


def unrelated(old: Version, new: Version) -> bool:
    """Whether ``new`` looks like another document than ``old`` rather than a new version of it."""
    if not old.terms or not new.terms:
        return False  # nothing to compare: a failed upload has no live version
    share = shared(old.terms, new.terms)
    return share < FAR or (share < APART and not title_words(old.title) & title_words(new.title))


def notes(rule: TitleRule, old_title: str, new_title: str, own_title: str, old_own: str | None,
          old: frozenset[str], new: frozenset[str]) -> tuple[str, ...]:
    """What to tell the trainer after a replacement, each a sentence of its own; none when the new file is a
    new version under the title it had. ``new_title`` is the title the resource now has, ``own_title`` what
    the new file calls itself ("" for nothing), ``old_own`` what the old file called itself (None: not known).
    A kept title is explained only when the file's own is new: a trainer who named the notice their own way at
    upload is not told again on every new version of it."""
    said: list[str] = []
    same = name_key(new_title) == name_key(old_title)
    if rule == "file" and not same:
        said.append(f"标题随新文件改为《{new_title}》（原为《{old_title}》）。")
    elif rule == "file" and not own_title:
        said.append(f"新文件中没有识别出标题，保留原标题《{old_title}》。")
    elif (rule == "kept" and own_title and name_key(own_title) != name_key(new_title)
          and (old_own is None or name_key(old_own) != name_key(own_title))):
        said.append(f"保留原标题《{new_title}》；新文件自身的标题是《{own_title}》，如需改用，替换时请填写该标题。")
    if unrelated(Version(old_title, old), Version(own_title or new_title, new)):
        said.append(f"新文件与原资源《{old_title}》内容差别很大（词语只有 {shared(old, new):.0%} 相同），"
                    "请确认是否传错文件；如果传错了，用正确的文件再替换一次即可。")
    return tuple(said)


def _counts(term: str) -> bool:
    return len(term) >= 2 and not re.search(r"\d", term)
