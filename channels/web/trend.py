"""The eval trend chart: key metrics across runs, drawn server-side as inline SVG.

No chart library and no script: the SVG is part of the page, has a title and description for screen
readers, and the same numbers are listed in a table beside it. Values are fractions in [0, 1].
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

# The run summary keys plotted, with their Chinese names and colours distinguishable in grey scale too.
METRICS: tuple[tuple[str, str, str], ...] = (
    ("recall@5", "召回率@5", "#1f5fa8"),
    ("citation_precision", "引用准确率", "#b3471d"),
    ("abstention_accuracy", "拒答准确率", "#2e7d32"),
    ("faithfulness", "忠实度", "#6a3d9a"),
)
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36


@dataclass(frozen=True)
class Point:
    label: str  # the run, as shown under the axis
    values: dict[str, float | None]


def points(summaries: Sequence[tuple[str, dict[str, object]]]) -> list[Point]:
    """Runs (oldest first) as chart points: each metric's value, or None when the run lacks it."""
    out = []
    for label, summary in summaries:
        values: dict[str, float | None] = {}
        for key, _name, _colour in METRICS:
            value = summary.get(key)
            values[key] = float(value) if isinstance(value, int | float) else None
        out.append(Point(label, values))
    return out


def series_of(runs: Sequence[dict[str, Any]], key: Callable[[dict[str, Any]], str], chosen: str | None = None,
              limit: int = 12) -> tuple[list[str], str, list[dict[str, Any]]]:
    """Finished runs (oldest first) grouped by what they measured (``key``): runs on another knowledge base,
    split or dataset are not one trend. Returns every series name (newest first), the one shown (``chosen``
    when there is such a series, else the newest run's) and its last ``limit`` runs."""
    names = list(dict.fromkeys(key(r) for r in reversed(runs)))
    shown = chosen if chosen in names else (names[0] if names else "")
    return names, shown, [r for r in runs if key(r) == shown][-limit:]


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if n == 1 else span * i / (n - 1))


def _y(v: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(1.0, v)))


def svg(series: Sequence[Point]) -> Markup:
    """The chart; an empty string when no run has finished yet."""
    if not series:
        return Markup("")
    n = len(series)
    parts = [f'<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="trend-t trend-d" '
             f'xmlns="http://www.w3.org/2000/svg"><title id="trend-t">评测指标趋势</title>'
             f'<desc id="trend-d">最近 {n} 次评测的{"、".join(m[1] for m in METRICS)}，纵轴 0–100%</desc>']
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = _y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick * 100:.0f}%</text>')
    for i, point in enumerate(series):
        parts.append(f'<text x="{_x(i, n):.1f}" y="{HEIGHT - 12}" text-anchor="middle">{escape(point.label)}</text>')
    for key, name, colour in METRICS:
        coords = [(_x(i, n), _y(v)) for i, p in enumerate(series) if (v := p.values.get(key)) is not None]
        if not coords:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5">'
                     f'<title>{escape(name)}</title></polyline>')
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in coords)
    parts.append("</svg>")
    return Markup("".join(parts))
