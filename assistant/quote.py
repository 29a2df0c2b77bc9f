"""One candidate sentence of a retrieved passage, as selection scores it and the answer quotes it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.retrieval import Hit

TABLE_CELL = " | "
# A bulleted or numbered list item (- 《…》, 1. …): quoted on a line of its own.
BULLET = re.compile(r"^\s*(?:[-•·*]\s|\d+[.、)）]\s?)")


@dataclass
class Quote:
    """One candidate sentence: where it sits, and how well it answers."""

    text: str
    hit: Hit
    hit_rank: int
    order: int
    start: int
    end: int
    cover: float = 0.0  # weighted share of the question's terms it holds (synonyms count)
    topic: float = 0.0  # the same share, read with its section's heading (总评70分…合格 under 五、考核评价)
    dense: float = 0.0  # normalised sentence similarity
    fact: bool = True  # holds the kind of fact asked for
    score: float = 0.0
    header: str = ""  # the table's heading row, when this sentence is a table row
