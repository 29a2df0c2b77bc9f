"""Character classes and folding every layer agrees on: what counts as Chinese, and full-width → half-width.

They live at the bottom of the stack because the loaders, the indexer, the answer engine and the evals all
ask the same two questions of text. Defining them once means a match made while indexing is made the same
way while answering and while scoring an eval.
"""

from __future__ import annotations

import re
import unicodedata

# The CJK Unified Ideographs block: every character of the documents' Chinese text. Use ``HAN`` inside a
# larger character class, ``CJK`` to ask whether a text holds any Chinese at all.
HAN = "\u4e00-\u9fff"
CJK = re.compile(f"[{HAN}]")
# Rarer ideographs (extension A, compatibility forms) as well: what a decoder must accept as text.
HAN_EXTENDED = f"\u3400-\u4dbf{HAN}\uf900-\ufaff"

# Full-width ASCII letters and digits (Ａ, ５) become half-width, as do ％, the full-width full stop inside
# figures (３．５) and the ideographic space; Chinese punctuation (，。：) stays as written.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp).isalnum()}
_FULLWIDTH.update({0x3000: 0x20, 0xFF05: ord("%"), 0xFF0E: ord(".")})


def fold_width(text: str) -> str:
    """Full-width letters, digits, ％ and ． as their ASCII forms; everything else unchanged."""
    return text.translate(_FULLWIDTH)


def name_key(text: str) -> str:
    """What two names are compared by when they must not look alike (an account's, a resource's title):
    NFKC forms (full-width, compatibility characters), without invisible characters or any whitespace, so
    「李 老师」, 「李　老师」 and 「李老师」 are one name."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch)[0] != "C")
