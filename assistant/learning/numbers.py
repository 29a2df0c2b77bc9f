"""Wrong options for a figure with a unit (50元, 5%, 72学时, 三科): plausible, yet clearly not the key.

Options one step from the key (50元 with 51元, 52元, 55元) tested arithmetic noise, not knowledge: a teacher who
remembered "about fifty" could not tell them apart, and one who knew nothing still saw the key in the middle.
A wrong option here is a figure of the same unit that a teacher could really confuse with the key:

1. other figures of that unit in the same document (another subsidy, another share of the budget), the
   nearest in size first and none more than ten times larger or smaller;
2. failing those, the key scaled as people misremember figures (×2, ÷2, ×1.5, ×3 …), rounded the way such
   figures are written: two significant figures from 100 up, whole numbers from 10, halves from 1, twentieths below, and
   whole numbers always for what is counted (天, 次, 人, 学时 …).

Every option is at least ``MIN_RATIO`` (×1.3) away from the key and from every other option, so no two read as
the same amount; none is the key, and a candidate the caller rejects (``clashes``: stated in the source,
containing the key's text) is skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.facts import cn_number

MIN_RATIO = 1.3  # 5 and 6, 50 and 55 read as the same amount; 3 and 4, 50 and 75 do not
MAX_RATIO = 10.0  # a figure of the same document further off than this is no plausible confusion
# How people misremember a figure, the likeliest first.
FACTORS = (2.0, 0.5, 1.5, 3.0, 1 / 3, 0.75, 4.0, 0.25, 5.0, 0.2, 10.0, 0.1)
_COUNTED = ("天", "次", "周", "个", "项", "人", "科", "级", "类", "学时")  # never a half of one
_CN_DIGITS = "零一二三四五六七八九"
_ARABIC = re.compile(r"(\d+(?:\.\d+)?)(\D{0,4})")
_CHINESE = re.compile(r"([一二三四五六七八九十]{1,3})([科级项类])")


@dataclass(frozen=True)
class Figure:
    """A figure as written: its value, its unit, and whether its digits are Chinese (三科)."""

    value: float
    unit: str
    chinese: bool = False

    @property
    def counted(self) -> bool:
        return self.unit in _COUNTED

    @property
    def capped(self) -> bool:
        """A share of a whole: 120% of a budget is no plausible figure."""
        return "%" in self.unit or "％" in self.unit or "百分点" in self.unit

    def written(self, value: float) -> str | None:
        """``value`` in this figure's unit and script, rounded as such figures are written; None if it cannot
        be (nothing left after rounding, a share over 100%, a Chinese numeral past 99)."""
        value = _rounded(value, self.counted or self.chinese)
        if value <= 0 or (self.capped and value > 100) or (self.chinese and value >= 100):
            return None
        if self.chinese:
            return int_to_cn(int(value)) + self.unit
        shown = str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0").rstrip(".")
        return shown + self.unit


def read_figure(term: str) -> Figure | None:
    """The figure ``term`` writes (50元, 2.5%, 三科), or None if it is not one number and a unit."""
    if m := _ARABIC.fullmatch(term):
        return Figure(float(m[1]), m[2])
    if (m := _CHINESE.fullmatch(term)) and (value := cn_number(m[1])) is not None:
        return Figure(value, m[2], chinese=True)
    return None


def distinct(a: float, b: float) -> bool:
    """Whether two amounts are far enough apart to be told apart from memory."""
    low, high = sorted((a, b))
    return low > 0 and high / low >= MIN_RATIO


def number_distractors(key: str, k: int, same_document: Iterable[str],
                       clashes: Callable[[str], bool]) -> list[str]:
    """Up to ``k`` wrong options for the figure ``key``: the same document's figures of its unit first, then
    the key scaled; each clearly apart from the key and from one another. Deterministic."""
    figure = read_figure(key)
    if figure is None or figure.value <= 0:
        return []  # nothing to scale, and no size to be near
    own = [(f, w) for w in dict.fromkeys(same_document)
           if (f := read_figure(w)) is not None and f.unit == figure.unit and f.chinese == figure.chinese
           and f.value > 0 and max(f.value, figure.value) / min(f.value, figure.value) <= MAX_RATIO]
    own.sort(key=lambda fw: (abs(math.log(fw[0].value / figure.value)), fw[1]))
    scaled = [w for factor in FACTORS if (w := figure.written(figure.value * factor)) is not None]
    chosen: list[tuple[float, str]] = []
    for candidate in [w for _, w in own] + scaled:
        value = read_figure(candidate)
        if value is None or candidate == key or clashes(candidate):
            continue
        if not distinct(value.value, figure.value) or any(not distinct(value.value, v) for v, _ in chosen):
            continue
        chosen.append((value.value, candidate))
        if len(chosen) == k:
            break
    return [w for _, w in chosen]


def _rounded(value: float, whole: bool) -> float:
    if whole:
        return float(math.floor(value + 0.5))
    if value >= 100:
        step = 10 ** (math.floor(math.log10(value)) - 1)  # two significant figures: 1850 → 1900
        return float(math.floor(value / step + 0.5) * step)
    if value >= 10:
        return float(math.floor(value + 0.5))
    if value >= 1:
        return math.floor(value * 2 + 0.5) / 2  # halves: 3.75 → 4, 2.5 stays
    return round(math.floor(value * 20 + 0.5) / 20, 2)  # twentieths: 0.25 stays, 1/6 → 0.15


def int_to_cn(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
