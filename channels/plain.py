"""An answer's sources as plain text, the one wording the command line and the OpenAI-compatible replies share.

``[n] 《标题》（文号） 章节`` and the quoted span on the next line, under 「来源：」, or under 「相关原文（仅供参考）：」 when
the documents do not state what was asked (the quotes are then related text, not an answer).
"""

from __future__ import annotations

from typing import Any


def sources_block(out: dict[str, Any]) -> str:
    """The heading and one entry per citation of an answer in the JSON contract; empty without citations."""
    if not out["citations"]:
        return ""
    lines = ["相关原文（仅供参考）：" if out.get("verdict") == "not_specified" else "来源："]
    for c in out["citations"]:
        number = f"（{c['doc_number']}）" if c.get("doc_number") else ""
        lines.append(f"[{c['marker']}] 《{c['title']}》{number} {c['section']}\n    “{c['text']}”")
    return "\n".join(lines)
