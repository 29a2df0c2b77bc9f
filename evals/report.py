"""The HTML report of an eval run: what an admin opens to see whether answers got better or worse.

Plots are inline SVG written here, so the report is one self-contained file that renders offline in any
browser (and in a headless one in tests) with no plotting library or CDN.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.records.teachers import beijing_time
from evals.metrics import first_hit_rank

HEADLINE = ["recall@1", "recall@3", "recall@5", "mrr@10", "hit@400chars", "hit@1000chars", "must_include",
            "citation_precision", "faithfulness", "abstention_accuracy"]
# What the admin reads for each metric and question category; the stored key stays beside the Chinese name, as
# that is what the JSON, the CLI's --json and the README use.
METRIC_NAMES = {
    "recall@1": "首条即证据", "recall@3": "前 3 条含证据", "recall@5": "前 5 条含证据", "mrr@10": "证据排位倒数均值",
    "hit@400chars": "证据在前 400 字内", "hit@1000chars": "证据在前 1000 字内", "must_include": "答案含必含内容",
    "citation_precision": "引用精确率", "faithfulness": "答案忠于原文", "abstention_accuracy": "拒答判断正确率",
    "attribution": "出处核对", "answered_rate_answerable": "可回答题作答率",
    "abstained_rate_unanswerable": "不可回答题拒答率", "hedged_rate_answerable": "可回答题带提示",
    "hedged_rate_unanswerable_answered": "不可回答却作答时带提示", "n_answerable": "可回答题数",
    "n_unanswerable": "不可回答题数",
}
CATEGORY_NAMES = {
    "paraphrase": "换说法", "not_specified": "文件未作规定", "conflict": "文件说法不一", "offtopic": "无关问题",
    "cross_doc": "跨文件", "followup": "追问", "out_of_kb": "库外问题", "document": "关于文件本身", "english": "英文提问",
    "traditional": "繁体提问", "keyword": "关键词式", "false_premise": "前提有误", "compare": "比较", "policy": "政策",
}


def metric_name(key: str) -> str:
    return f"{METRIC_NAMES[key]}（{key}）" if key in METRIC_NAMES else key


def category_name(key: str) -> str:
    return CATEGORY_NAMES.get(key, key)


_W, _BAR_H, _GAP = 640, 18, 6
_CSS = """body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;max-width:980px}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #ccc;padding:4px 8px;font-size:.9em;vertical-align:top}th{background:#f3f3f3}
.bad{color:#b00020}.good{color:#106b21}svg{background:#fafafa;border:1px solid #eee}"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def bar_chart(rows: Sequence[tuple[str, float | None, float | None]], *, title: str, css: str) -> str:
    """Horizontal bars for values in 0..1; a second thin bar shows the previous run when there is one."""
    label_w, plot_w = 250, _W - 300
    height = len(rows) * (_BAR_H + _GAP) + 30
    parts = [f'<svg class="plot {css}" role="img" aria-label="{_e(title)}" width="{_W}" height="{height}">']
    for i, (label, now, before) in enumerate(rows):
        y = 20 + i * (_BAR_H + _GAP)
        parts.append(f'<text x="4" y="{y + 13}" font-size="12">{_e(label)}</text>')
        if before is not None:
            parts.append(f'<rect class="before" x="{label_w}" y="{y + _BAR_H - 5}" width="{plot_w * before:.1f}"'
                         f' height="5" fill="#999"/>')
        if now is not None:
            parts.append(f'<rect class="bar" x="{label_w}" y="{y}" width="{plot_w * now:.1f}"'
                         f' height="{_BAR_H - 6}" fill="#2f6fb0"/>')
            parts.append(f'<text x="{label_w + plot_w * now + 4:.1f}" y="{y + 11}" font-size="11">{now:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(values: Sequence[float], *, title: str, bins: int = 20) -> str:
    """Latency histogram in milliseconds."""
    height, plot_h = 220, 170
    parts = [f'<svg class="plot latency" role="img" aria-label="{_e(title)}" width="{_W}" height="{height}">']
    if values:
        lo, hi = min(values), max(values)
        width = (hi - lo) / bins or 1.0
        counts = [0] * bins
        for v in values:
            counts[min(bins - 1, int((v - lo) / width))] += 1
        top = max(counts)
        bw = (_W - 60) / bins
        for i, c in enumerate(counts):
            h = plot_h * c / top
            parts.append(f'<rect class="bar" x="{40 + i * bw:.1f}" y="{10 + plot_h - h:.1f}" width="{bw - 2:.1f}"'
                         f' height="{h:.1f}" fill="#2f6fb0"><title>{c}</title></rect>')
        parts.append(f'<text x="40" y="{plot_h + 30}" font-size="11">{lo:.0f} ms</text>')
        parts.append(f'<text x="{_W - 90}" y="{plot_h + 30}" font-size="11">{hi:.0f} ms</text>')
    parts.append("</svg>")
    return "".join(parts)


def _delta(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return "<td>—</td>"
    css = "good" if now > before else "bad" if now < before else ""
    return f'<td class="{css}">{now - before:+.3f}</td>'


def worst_items(results: Sequence[dict[str, Any]], n: int = 15) -> list[dict[str, Any]]:
    """Answerable items whose evidence ranked lowest (or was abstained on), then unanswerable ones answered."""
    def badness(r: dict[str, Any]) -> float:
        if r.get("answerable"):
            rank = first_hit_rank([x["text"] for x in r.get("retrieved", [])], r.get("evidence", []))
            return (10.0 if rank is None else rank - 1) + (5.0 if r.get("abstained") else 0.0)
        return 0.0 if r.get("abstained") else 8.0
    scored = sorted(results, key=badness, reverse=True)
    return [r for r in scored if badness(r) > 0][:n]


def render(summary: dict[str, Any], results: Sequence[dict[str, Any]],
           previous: dict[str, Any] | None = None) -> str:
    prev = previous or {}
    metric_rows = [(metric_name(m), summary.get(m), prev.get(m)) for m in HEADLINE]
    sections = sorted(summary.get("by_section", {}).items())
    section_rows = [("…" + name[-17:] if len(name) > 18 else name, v.get("recall@1"), prev.get("by_section", {}).get(name, {}).get("recall@1"))
                    for name, v in sections]
    table = "".join(f"<tr><td>{_e(m)}</td><td>{_fmt(now)}</td><td>{_fmt(before)}</td>{_delta(now, before)}</tr>"
                    for m, now, before in metric_rows)
    worst = "".join(
        f"<tr><td>{_e(r['id'])}<br>{_e(category_name(r.get('category', '')))}</td><td>{_e(r['question'])}</td>"
        f"<td>{'拒答' if r.get('abstained') else _e(r.get('answer', ''))[:200]}</td>"
        f"<td>{'<br>'.join(_e(x.get('section', '')) + '：' + _e(x.get('text', ''))[:80] for x in r.get('retrieved', [])[:3])}</td></tr>"
        for r in worst_items(results))
    latencies = [float(r["latency_ms"]) for r in results if r.get("latency_ms") is not None]
    split_table = _split_table(summary)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>国培助手评测报告 {_e(summary.get('dataset', ''))}</title><style>{_CSS}</style></head><body>
<h1>国培助手评测报告</h1>
<p>数据集：{_e(summary.get('dataset', ''))}　时间：{_e(beijing_time(summary['timestamp']) + '（北京时间）' if summary.get('timestamp') else '')}　k={_e(summary.get('k', ''))}
题数：{_e(summary.get('n'))}（可回答 {_e(summary.get('n_answerable'))}，不可回答 {_e(summary.get('n_unanswerable'))}）
延迟 p50/p95：{_fmt(summary.get('latency_p50_ms'))} / {_fmt(summary.get('latency_p95_ms'))} ms</p>
<h2>主要指标{'（灰线：上一次运行）' if previous else ''}</h2>
{bar_chart(metric_rows, title="主要指标", css="metrics")}
<table><tr><th>指标</th><th>本次</th><th>上次</th><th>变化</th></tr>{table}</table>
{split_table}
<h2>各章节 recall@1</h2>
{bar_chart(section_rows, title="各章节 recall@1", css="sections")}
<h2>延迟分布</h2>
{histogram(latencies, title="延迟分布")}
<h2>表现最差的题目及检索到的内容</h2>
<table><tr><th>编号</th><th>问题</th><th>回答</th><th>检索到的前 3 条</th></tr>{worst}</table>
</body></html>
"""


def _split_table(summary: dict[str, Any]) -> str:
    """dev (tuned on) beside test (held out) and per dataset, so the gap between them is in plain view."""
    groups = [(f"{name}（{'调参用' if name == 'dev' else '留出集'}）", v)
              for name, v in summary.get("by_split", {}).items()]
    groups += list(summary.get("by_dataset", {}).items())
    if not groups:
        return ""
    keys = [k for k in groups[0][1] if k != "n"]
    head = "".join(f"<th>{_e(name)}</th>" for name, _ in groups)
    rows = "".join(f"<tr><td>{_e(metric_name(k))}</td>{''.join(f'<td>{_fmt(v.get(k))}</td>' for _, v in groups)}</tr>"
                   for k in keys)
    return f"<h2>按数据划分</h2><table><tr><th>指标</th>{head}</tr>{rows}</table>"


def write_report(out_dir: Path, summary: dict[str, Any], results: Sequence[dict[str, Any]],
                 baseline_dir: Path | None = None) -> Path:
    previous = None
    if baseline_dir and (baseline_dir / "summary.json").exists():
        previous = json.loads((baseline_dir / "summary.json").read_text(encoding="utf-8"))
    path = out_dir / "report.html"
    path.write_text(render(summary, results, previous), encoding="utf-8")
    return path
