"""The JSON answer contract: one pydantic model for what every surface returns for a question.

The CLI prints it, the API declares it as its response model, the bot renders it and the evals store it;
all of them build it here, from an ``Answer``, so a field added or renamed changes every surface at once.
``id`` and ``generation`` are always there (null when not given, or no model configured): the API used to
drop both, so a client written against ``guopei ask --json`` found no ``id``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.answering import Answer


class Passage(BaseModel):
    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str
    score: float


class Citation(BaseModel):
    marker: int
    chunk_id: str
    doc_id: str
    title: str
    doc_number: str
    section: str
    text: str
    score: float


class AnswerContract(BaseModel):
    id: str | int | None = Field(None, description="提问时给出的 id（命令行批量为每行的 id，API 为请求体的 id），原样返回；"
                                                   "未给出时为 null")
    answer: str
    abstained: bool = Field(description="为真表示没有给出答案（没有找到依据，或文件未作规定）")
    verdict: Literal["answered", "not_specified", "not_found", "about_assistant"] = Field(
        description="answered：引文回答了问题；not_specified：文件涉及该主题但未写明所问内容；not_found：知识库中没有依据；"
                    "about_assistant：打招呼、道谢或问助手本身，由助手介绍自己（不是知识库的回答）")
    hedged: bool = Field(False, description="为真表示引文未必正面回答了所问内容，答案首行已提示对照原文")
    citations: list[Citation]
    retrieved: list[Passage] = Field(description="排序后的上下文，最相关在前")
    generation: dict[str, Any] | None = Field(
        None, description="仅在配置了大模型时出现：模型、核查结果与回退原因（见 assistant.llm）")

    @classmethod
    def of(cls, answer: Answer, request_id: str | int | None = None) -> AnswerContract:
        return cls(id=request_id, answer=answer.text, abstained=answer.abstained, verdict=answer.verdict.value,
                   hedged=answer.hedged, citations=[Citation(**c.as_dict()) for c in answer.citations],
                   retrieved=[Passage(**h.as_dict()) for h in answer.retrieved],
                   generation=answer.generation)


SOURCES_HEADING = {"not_specified": "相关原文（仅供参考）", "about_assistant": "知识库中的文件"}


def sources_heading(verdict: str | None) -> str:
    """What an answer's citations are, in the words every surface prints above them: the source of the answer,
    text related to a question the documents leave open, or the documents the assistant holds when it
    introduces itself. One wording, so no surface shows a self-introduction's list as 「来源」."""
    return SOURCES_HEADING.get(verdict or "", "来源")


class SearchContract(BaseModel):
    query: str
    results: list[Passage]


PASSAGE_FIELDS = tuple(Passage.model_fields)
CITATION_FIELDS = tuple(Citation.model_fields)


def contract(answer: Answer) -> dict[str, Any]:
    """An answer as the plain dict every surface emits (``generation`` only when a model was configured)."""
    out = AnswerContract.of(answer).model_dump()
    if out.get("generation") is None:
        out.pop("generation", None)
    return out
