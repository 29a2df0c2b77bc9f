"""The eval trend chart: one line per metric across runs, missing values skipped, labels escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from channels.web.trend import METRICS, points, series_of, svg

NS = "{http://www.w3.org/2000/svg}"


def test_each_metric_is_a_line_over_the_runs():
    series = points([("12-01 09:00", {"recall@5": 0.5, "citation_precision": 0.8, "abstention_accuracy": 0.6,
                                      "faithfulness": 1.0}),
                     ("12-02 09:00", {"recall@5": 0.75, "citation_precision": None, "abstention_accuracy": 0.7}),
                     ("<script>", {"recall@5": 1.2})])
    tree = ET.fromstring(str(svg(series)))
    lines = tree.findall(f"{NS}polyline")
    assert len(lines) == len(METRICS)
    recall = lines[0].get("points").split()
    assert len(recall) == 3
    ys = [float(p.split(",")[1]) for p in recall]
    assert ys[0] > ys[1] > ys[2]  # higher values sit higher on the chart
    assert ys[2] == 16.0  # a value above 1 is clamped to the top line, not drawn off the chart
    assert len(lines[1].get("points").split()) == 1 and len(lines[3].get("points").split()) == 1
    assert tree.find(f"{NS}title").text == "评测指标趋势"
    assert "<script>" not in str(svg(series)) and "&lt;script&gt;" in str(svg(series))


def test_no_runs_no_chart():
    assert str(svg([])) == ""


def test_runs_of_different_datasets_or_splits_are_different_trends():
    runs = [{"id": i, "what": what} for i, what in enumerate(["dev·seed", "test·seed", "dev·seed", "dev·kb"])]
    names, shown, plotted = series_of(runs, lambda r: r["what"])
    assert names == ["dev·kb", "dev·seed", "test·seed"] and shown == "dev·kb" and [r["id"] for r in plotted] == [3]
    _, shown, plotted = series_of(runs, lambda r: r["what"], "dev·seed")
    assert shown == "dev·seed" and [r["id"] for r in plotted] == [0, 2]
    _, shown, _ = series_of(runs, lambda r: r["what"], "no such series")
    assert shown == "dev·kb", "an unknown choice shows the newest run's trend"
    assert series_of(runs, lambda r: r["what"], "dev·seed", limit=1)[2] == [runs[2]]
    assert series_of([], lambda r: r["what"]) == ([], "", [])
