"""/metrics with a model configured: fallbacks counted by reason, and the API key never exposed."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from pydantic import SecretStr

from assistant.service import Assistant
from assistant.services import Services
from assistant.settings import Settings
from channels.api.app import create_app
from evals.scripted_llm import Reply, ScriptedLLM, serving
from tests.channels.api.conftest import Live, serve

KEY = "sk-metrics-secret-0123456789"


def test_llm_fallbacks_are_counted_by_reason_without_the_key(live: Live, tmp_path: Path) -> None:
    with serving(ScriptedLLM(api_key=KEY)) as llm:
        settings = Settings(data_dir=tmp_path, llm_base_url=llm.base_url, llm_model=llm.model,
                            llm_api_key=SecretStr(KEY), llm_timeout=2.0, llm_max_retries=0)
        services = Services.from_settings(settings, assistant=Assistant(settings, live.assistant.store))
        token = services.users.add("t", "teacher")[1]
        llm.push(Reply(status=500))
        with serve(create_app(services)) as base, httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
            body = client.post("/v1/ask", json={"question": "国培计划的培训经费如何保障？"}).json()
            text = client.get("/metrics").text
    assert body["citations"] and KEY not in str(body)
    assert float(re.search(r'^guopei_llm_fallbacks_total\{reason="error"\} (\S+)$', text, re.M).group(1)) == 1.0
    assert 'guopei_llm_info{model="' in text and KEY not in text and llm.base_url not in text
