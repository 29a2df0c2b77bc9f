"""An answer's sources as plain text, the one wording the command line and the OpenAI-compatible replies share.

``[n] 《标题》（文号） 章节`` and the quoted span on the next line, under 「来源：」, or under 「相关原文（仅供参考）：」 when
the documents do not state what was asked (the quotes are then related text, not an answer), or under 「知识库中的文件：」
when the assistant introduces itself (the citations are then the documents it holds, not the source of an answer).
"""

from __future__ import annotations

from typing import Any

from assistant.contract import sources_heading


def sources_block(out: dict[str, Any]) -> str:
    """The heading and one entry per citation of an answer in the JSON contract; empty without citations."""
    if not out["citations"]:
        return ""
    lines = [sources_heading(out.get("verdict")) + "："]
    for c in out["citations"]:
        number = f"（{c['doc_number']}）" if c.get("doc_number") else ""
        lines.append(f"[{c['marker']}] 《{c['title']}》{number} {c['section']}\n    “{c['text']}”")
    return "\n".join(lines)
