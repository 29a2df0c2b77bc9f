"""30 teachers asking at the same moment: everyone is answered, nothing errors, and p95 latency is reported."""

from __future__ import annotations

import json

import pytest

from bots.telegram.app import APOLOGY
from evals.metrics import percentile
from evals.runner import SEED_PATH
from tests.bots.telegram.conftest import BotRunner
from tests.bots.telegram.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.slow
TEACHERS = 30


def test_thirty_teachers_at_once(api: FakeBotApi, bot: BotRunner, record_property: pytest.RecordProperty) -> None:
    seed = [json.loads(line) for line in SEED_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [item["question"] for item in seed if item["answerable"] and not item.get("history")][:TEACHERS]
    since = api.mark()
    queued = {6000 + i: api.message(6000 + i, q) for i, q in enumerate(questions)}  # all before any is served
    latencies = []
    for uid, at in queued.items():
        first = api.reply(uid, since, timeout=120)
        assert first.text != APOLOGY
        # The last part of an answer carries the buttons; latency is to the first part the teacher sees.
        api.wait_for(lambda s, uid=uid: s.chat_id == uid and any(b["text"] == "换个问题" for b in s.buttons()),
                     since, timeout=30)
        latencies.append(first.at - at)
    assert len(latencies) == TEACHERS and not api.errors
    p50, p95 = percentile(latencies, 50) * 1000, percentile(latencies, 95) * 1000
    record_property("teachers", TEACHERS)
    record_property("p50_ms", round(p50))
    record_property("p95_ms", round(p95))
    print(f"\n{TEACHERS} 位教师同时提问：p50 {p50:.0f} ms，p95 {p95:.0f} ms，最慢 {max(latencies) * 1000:.0f} ms")
