"""The answerer comparison: both answerers on the same questions, and every planted fault caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.llm.client import ChatClient, LLMConfig
from assistant.settings import Settings
from evals.compare import claims, compare, judge, main, to_markdown
from evals.dataset import DATASETS_DIR
from evals.scripted_llm import Reply, ScriptedLLM, serving

QUOTED = ("根据《关于实施国培计划的通知》「四、保障措施」：\n"
          "中小学、幼儿园要按照年度公用经费预算总额的5%安排教师培训经费。[1]\n"
          "文件没有写明具体的发放时间。")


def test_claims_keep_markers_after_the_full_stop_and_skip_frames() -> None:
    found = claims(QUOTED)
    assert found == [("中小学、幼儿园要按照年度公用经费预算总额的5%安排教师培训经费。", (1,))]
    assert claims("好的。") == []


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    settings = Settings(data_dir=tmp_path_factory.mktemp("compare-kb"))
    return compare(settings, [DATASETS_DIR / "seed.jsonl"], "test", scripted=0.5)


@pytest.mark.slow
def test_both_answerers_answer_the_same_questions(report: dict) -> None:
    ext, gen = report["answerers"]["extractive"], report["answerers"]["llm"]
    assert ext["n"] == gen["n"] == len(report["results"]["llm"]) > 20
    assert [r["id"] for r in report["results"]["extractive"]] == [r["id"] for r in report["results"]["llm"]]
    assert not any(r.get("generation") for r in report["results"]["extractive"])
    outcomes = gen["postcheck"]["outcomes"]
    assert sum(outcomes.values()) == gen["n"] and outcomes.get("kept", 0) > 0
    assert "scripted stand-in" in report["model"]


@pytest.mark.slow
def test_every_planted_fault_is_caught(report: dict) -> None:
    caught = report["answerers"]["llm"]["faults_caught"]
    assert sum(v["planted"] for v in caught.values()) >= 8, caught
    assert all(v["caught"] == v["planted"] for v in caught.values()), caught
    for r in report["results"]["llm"]:
        assert "1280" not in r["answer"] and "免费获得培训证书" not in r["answer"]


@pytest.mark.slow
def test_what_survives_the_check_is_supported(report: dict) -> None:
    gen = report["answerers"]["llm"]
    assert gen["supported_sentences"] >= 0.9
    assert gen["abstention_accuracy"] == report["answerers"]["extractive"]["abstention_accuracy"]
    text = to_markdown(report)
    assert "| must_include |" in text and "拦下" in text


def test_judge_reads_json_and_counts_nonsense_as_no_verdict() -> None:
    with serving(ScriptedLLM()) as llm:
        client = ChatClient(LLMConfig(llm.base_url, llm.model, max_retries=0, timeout=5))
        result = {"question": "经费比例是多少？", "answer": QUOTED, "citations": [{"marker": 1, "text": "5%"}]}
        llm.push(Reply(text='评审：{"supported": true, "answers": false}'))
        assert judge(client, result) == {"supported": True, "answers": False}
        llm.push(Reply(text="我觉得还行"))
        assert judge(client, result) is None
        llm.push(Reply(text='{"supported": "yes", "answers": true}'))
        assert judge(client, result) is None
        llm.push(Reply(status=500))
        assert judge(client, result) is None
        assert "经费比例是多少" in llm.requests[0]["messages"][1]["content"]


def test_no_model_and_no_stand_in_is_a_clear_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUOPEI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("GUOPEI_LLM_BASE_URL", raising=False)
    with pytest.raises(SystemExit, match="没有配置大模型"):
        main([str(DATASETS_DIR / "seed.jsonl"), "--out", str(tmp_path / "out")])
