"""The admin's HTML report: built from a stored run, rendered by a real headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from evals.metrics import summarize
from evals.report import category_name, render, worst_items, write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def result(i: int, *, answerable: bool = True, hit: bool = True, abstained: bool = False) -> dict:
    text = "按照年度公用经费预算总额的5%安排教师培训经费" if hit else "加强教师理想信念教育"
    return {"id": f"q{i}", "question": f"问题{i} <b>", "category": "paraphrase" if answerable else "offtopic",
            "answerable": answerable, "evidence": ["预算总额的5%安排教师培训经费"] if answerable else [],
            "must_include": ["5%"] if answerable else [], "section": "三、保障措施 > （二）强化经费保障",
            "retrieved": [{"doc_id": "d", "title": "t", "section": "三、保障措施 > （二）强化经费保障", "text": text,
                           "score": 0.9}],
            "answer": "" if abstained else f"{text}[1]", "abstained": abstained,
            "citations": [] if abstained else [{"doc_id": "d", "title": "t", "section": "s", "text": text,
                                                "score": 0.9}],
            "latency_ms": 10.0 + i}


RESULTS = [result(i) for i in range(8)] + [result(8, hit=False), result(9, answerable=False, abstained=False),
                                           result(10, answerable=False, abstained=True)]


def test_report_escapes_text_and_lists_the_worst_items():
    page = render(summarize(RESULTS), RESULTS)
    assert "<b>" not in page.split("<body>")[1].replace("<br>", "")
    worst = [r["id"] for r in worst_items(RESULTS)]
    assert worst[:2] == ["q8", "q9"]
    assert page.count('class="plot') == 3


def test_the_runs_time_is_shown_in_beijing_time():
    summary = {**summarize(RESULTS), "timestamp": "2026-12-07T11:53:17+00:00"}
    assert "时间：2026-12-07 19:53（北京时间）" in render(summary, RESULTS)


def test_metrics_and_categories_are_named_in_chinese_beside_their_keys():
    page = render(summarize(RESULTS), RESULTS)
    assert "首条即证据（recall@1）" in page and "引用精确率（citation_precision）" in page
    assert all(category_name(r.get("category", "")) in page for r in worst_items(RESULTS) if r.get("category"))
    assert category_name("out_of_kb") == "库外问题" and category_name("新类别") == "新类别"


def test_previous_run_is_drawn_and_compared():
    before = summarize([result(0, hit=False), result(1)])
    page = render(summarize(RESULTS), RESULTS, before)
    assert 'class="before"' in page and "上次" in page and 'class="good"' in page


def test_report_renders_in_headless_chromium_with_its_plots(tmp_path: Path):
    assert CHROMIUM, "Debian chromium is missing: `make test` installs it (make system-deps)"
    path = write_report(tmp_path, {**summarize(RESULTS), "dataset": "seed"}, RESULTS)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", path.as_uri()], capture_output=True, text=True,
                         timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<svg") == 3 and "国培助手评测报告" in dom.stdout
    assert dom.stdout.count('class="bar"') >= 10
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1000,1600", path.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 20_000
