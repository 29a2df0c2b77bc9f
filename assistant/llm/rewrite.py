"""Follow-ups rewritten into standalone questions by the model, with the rule-based rewrite as fallback.

"那幼儿园呢？" after a question on funding is a question about kindergarten funding; a model says so more
naturally than carried-over terms. The model is only asked when the rules say the question points back
(``needs_context``), and its rewrite is used only if it still reads as the teacher's question: one line,
not too long, no citations, and holding the key terms the teacher typed. Otherwise the rule-based
rewrite (``assistant.conversation.contextualize``) is used, as it is without a model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from assistant.conversation import contextualize, needs_context, resolve_ordinal
from assistant.llm.answerer import LLMStats
from assistant.llm.client import ChatClient, LLMFailure
from assistant.scoring import present
from indexer.tokenizer import lexical_terms

SYSTEM = ("把教师的追问改写成一个不依赖上文、意思完整的问题。只输出改写后的问题本身，一行，简体中文；"
          "保留原问题中的词语，只补上“它”“这个”“那……呢”等所指的内容；不要回答问题，不要解释。")
HISTORY_TURNS = 6
_MARKER = re.compile(r"\[\d+\]")

Rewrite = Callable[[str, Sequence[dict[str, Any]] | None], str]


def acceptable(rewrite: str, question: str) -> bool:
    if not rewrite or "\n" in rewrite or _MARKER.search(rewrite):
        return False
    if len(rewrite) > max(3 * len(question), len(question) + 60):
        return False
    words = set(lexical_terms(rewrite))
    own = [t for t in lexical_terms(question) if len(t) > 1]
    return all(present(t, words, rewrite) for t in own)


class LLMRewriter:
    def __init__(self, client: ChatClient, stats: LLMStats | None = None, fallback: Rewrite = contextualize) -> None:
        self.client = client
        self.stats = stats or LLMStats()
        self.fallback = fallback

    def __call__(self, question: str, history: Sequence[dict[str, Any]] | None) -> str:
        # 第三项 after a list is settled by the list itself, which the model may only see cut short.
        resolved = resolve_ordinal(question, history)
        if resolved != question:
            return resolved
        if not history or not needs_context(question):
            return question
        turns = [t for t in history if t.get("role") in ("user", "assistant") and t.get("content")][-HISTORY_TURNS:]
        dialogue = "\n".join(f"{'教师' if t['role'] == 'user' else '助手'}：{str(t['content'])[:300]}" for t in turns)
        messages = [{"role": "system", "content": SYSTEM},
                    {"role": "user", "content": f"对话：\n{dialogue}\n\n追问：{question}\n\n改写后的问题："}]
        try:
            lines = self.client.complete(messages).strip().splitlines() or [""]
            rewrite = lines[0].strip().strip("“”\"'")
        except LLMFailure as failure:
            self.stats.count("rewrites", f"fallback_{failure.reason}")
            return self.fallback(question, history)
        if not acceptable(rewrite, question):
            self.stats.count("rewrites", "fallback_rejected")
            return self.fallback(question, history)
        self.stats.count("rewrites", "llm")
        return rewrite
