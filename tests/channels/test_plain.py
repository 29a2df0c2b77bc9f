"""The plain-text source list shared by the command line and the OpenAI-compatible replies."""

from __future__ import annotations

from channels.plain import sources_block

CITATION = {"marker": 1, "title": "关于实施国培计划的通知", "doc_number": "教师函〔2021〕4号", "section": "三、保障措施",
            "text": "按照年度公用经费预算总额的5%安排教师培训经费。"}


def test_sources_under_their_heading() -> None:
    assert sources_block({"verdict": "answered", "citations": [CITATION]}) == (
        "来源：\n[1] 《关于实施国培计划的通知》（教师函〔2021〕4号） 三、保障措施\n    “按照年度公用经费预算总额的5%安排教师培训经费。”")
    related = sources_block({"verdict": "not_specified", "citations": [{**CITATION, "doc_number": ""}]})
    assert related.startswith("相关原文（仅供参考）：\n[1] 《关于实施国培计划的通知》 三、保障措施")
    assert sources_block({"verdict": "not_found", "citations": []}) == ""
    held = sources_block({"verdict": "about_assistant", "citations": [CITATION]})
    assert held.startswith("知识库中的文件：\n[1] 《关于实施国培计划的通知》")  # what it holds, not a source
