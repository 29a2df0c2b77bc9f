"""A model-written answer shown as it is written: one message edited in place, within Telegram's limits.

The bot polls the stand-in Bot API; its assistant talks to the scripted OpenAI-compatible server, which
sends the reply slowly, sentence by sentence, so what a teacher sees at each step can be checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import pytest
from pydantic import SecretStr

from assistant.llm.streaming import Delta
from assistant.service import Assistant
from assistant.settings import Settings
from bots.telegram.app import APOLOGY
from bots.telegram.render import CUT_SHORT, WRITING, render_answer
from bots.telegram.streaming import EDIT_INTERVAL
from evals.scripted_llm import Reply, ScriptedLLM, serving
from tests.assistant.llm.conftest import API_KEY, FUNDING_Q, PLANTED_Q, llm_assistant, planted_knowledge_base
from tests.bots.telegram.conftest import BotRunner
from tests.bots.telegram.fake_bot_api import FakeBotApi, Sent
from tests.bots.telegram.wire import parse_html

pytestmark = pytest.mark.slow
FOUR = ["中小学、幼儿园每年要按照年度公用经费预算总额的5%来安排教师培训经费[1]。",
        "这笔经费用来保障国培计划的实施[1]。",
        "地方的重大教育发展项目也要把教师培训作为资金使用的重要方向[1]。",
        "国家级培训计划资金要严格按照规定使用并加强监管[1]。"]
WRITING_TEXT = parse_html(WRITING)[0]  # what a teacher reads while the answer is being written
PLANTED_REPLY = ["考核合格的教师由镇教研室颁发结业证书[1]。", "所有参训教师均可免费获得培训证书[1]。"]


@pytest.fixture
def llm() -> Iterator[ScriptedLLM]:
    with serving(ScriptedLLM(api_key=API_KEY)) as server:
        yield server


@pytest.fixture(scope="module")
def planted_kb(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    return planted_knowledge_base(tmp_path_factory.mktemp("bot-kb-planted"))


def start_llm_bot(settings: Settings, base: Assistant, llm: ScriptedLLM) -> BotRunner:
    # The timeout is per piece and the replies pause 1 s between pieces: 10 s keeps a busy machine from
    # turning a pause into a timeout (and the answer into the extractive fallback). No test here needs one.
    configured = settings.model_copy(update={
        "llm_base_url": llm.base_url, "llm_model": llm.model, "llm_api_key": SecretStr(API_KEY),
        "llm_timeout": 10.0, "llm_max_retries": 0})
    return BotRunner(configured, llm_assistant(base, llm)).start()


@pytest.fixture
def llm_bot(bot_settings: Settings, bot_assistant: Assistant, llm: ScriptedLLM) -> Iterator[BotRunner]:
    runner = start_llm_bot(bot_settings, bot_assistant, llm)
    yield runner
    runner.stop()


def chat(api: FakeBotApi, uid: int, since: int) -> list[Sent]:
    """Every message the bot sent to ``uid`` and every edit of one, in order."""
    with api.cond:
        return [s for s in api.sent[since:] if s.chat_id == uid and s.method in ("sendMessage", "editMessageText")]


def final_edit(api: FakeBotApi, uid: int, since: int) -> Sent:
    return api.wait_for(lambda s: s.chat_id == uid and s.method == "editMessageText" and WRITING_TEXT not in s.text,
                        since, timeout=30)


def non_streamed(assistant: Assistant, llm: ScriptedLLM, reply: list[str], question: str) -> tuple[str, list]:
    """What the bot would show for the same model reply given whole: the rendering of ``ask``."""
    llm.push(Reply("".join(reply)))
    parts = render_answer(assistant.ask(question))
    assert len(parts) == 1
    return parse_html(parts[0])


def assert_paced(writes: list[Sent]) -> None:
    gaps = [b.at - a.at for a, b in pairwise(writes)]
    assert all(gap >= EDIT_INTERVAL for gap in gaps), gaps


def test_answer_grows_in_one_message_and_ends_as_the_non_streamed_answer(
        api: FakeBotApi, llm_bot: BotRunner, llm: ScriptedLLM) -> None:
    uid, other = 5101, 5102
    llm.push(Reply("".join(FOUR), pieces=FOUR, piece_delay=1.0))
    since = api.mark()
    api.message(uid, FUNDING_Q)
    first = api.reply(uid, since, WRITING_TEXT)
    assert FOUR[0] in first.text and FOUR[1] not in first.text  # one checked sentence, shown at once
    help_since = api.mark()
    api.message(other, "/help")  # the bot answers others while the model is still writing
    helped = api.reply(other, help_since, "直接发送问题")
    final = final_edit(api, uid, since)
    assert helped.at < final.at
    writes = chat(api, uid, since)
    assert writes[0] is first and writes[-1] is final
    assert all(s.method == "editMessageText" and s.message_id == first.message_id for s in writes[1:])
    progress = [s.text for s in writes[1:-1]]
    assert progress and all(WRITING_TEXT in t for t in progress)  # edited while the model was writing
    shown = [sum(sentence in t for sentence in FOUR) for t in [first.text, *progress]]
    assert shown == sorted(shown)  # it only grows
    assert_paced(writes)
    text, entities = non_streamed(llm_bot.assistant, llm, FOUR, FUNDING_Q)
    assert (final.text, final.entities) == (text, entities)
    assert all(sentence in final.text for sentence in FOUR) and "来源" in final.text
    assert {"做个小测", "换个问题", "👍", "👎"} <= {b["text"] for b in final.buttons()}
    assert not any(s.method == "sendMessage" for s in writes[1:])


def test_rejected_generation_ends_with_the_replacement(
        api: FakeBotApi, bot_settings: Settings, planted_kb: Assistant, llm: ScriptedLLM) -> None:
    runner = start_llm_bot(bot_settings, planted_kb, llm)
    try:
        uid = 5201
        llm.push(Reply("".join(PLANTED_REPLY), pieces=PLANTED_REPLY, piece_delay=1.0))
        since = api.mark()
        api.message(uid, PLANTED_Q)
        first = api.reply(uid, since, WRITING_TEXT)
        assert PLANTED_REPLY[0] in first.text  # the checked first sentence was shown …
        final = final_edit(api, uid, since)
        assert final.message_id == first.message_id
        extractive = render_answer(planted_kb.ask(PLANTED_Q))  # … and is replaced by the extractive answer
        assert (final.text, final.entities) == parse_html(extractive[0])
        answer_part = final.text.split("来源")[0]
        assert PLANTED_REPLY[0] not in answer_part and "免费获得培训证书" not in answer_part
        assert_paced(chat(api, uid, since))
    finally:
        runner.stop()


def test_flood_control_on_an_edit_is_waited_out(api: FakeBotApi, llm_bot: BotRunner, llm: ScriptedLLM) -> None:
    uid, wait = 5301, 2
    api.flood_once("editMessageText", wait)
    llm.push(Reply("".join(FOUR), pieces=FOUR, piece_delay=1.0))
    since = api.mark()
    api.message(uid, FUNDING_Q)
    final = final_edit(api, uid, since)
    assert len(api.flooded) == 1
    refused_at = api.flooded[0][1]
    edits = [s for s in chat(api, uid, since) if s.method == "editMessageText"]
    assert edits[0].at - refused_at >= wait  # nothing was sent to the chat before Telegram's wait was over
    assert all(sentence in final.text for sentence in FOUR) and "来源" in final.text
    assert final.buttons()


def test_extractive_answer_is_one_message_without_edits(api: FakeBotApi, bot: BotRunner) -> None:
    uid = 5401
    since = api.mark()
    api.message(uid, FUNDING_Q)
    answer = api.reply(uid, since, "来源")
    with pytest.raises(AssertionError, match="timed out"):
        api.wait_for(lambda s: s.chat_id == uid and s is not answer, since, timeout=2 * EDIT_INTERVAL)
    assert chat(api, uid, since) == [answer] and WRITING_TEXT not in answer.text


def test_a_failure_after_shown_pieces_marks_them_cut_short_then_apologises(
        api: FakeBotApi, bot: BotRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object, **kwargs: object) -> Iterator[Delta]:
        yield Delta("中小学、幼儿园按照年度公用经费预算总额的5%安排教师培训经费[1]。")
        raise RuntimeError("model link exploded")

    monkeypatch.setattr(bot.core.usecases.asking, "ask_stream", failing)
    uid = 5501
    since = api.mark()
    api.message(uid, FUNDING_Q)
    apology = api.reply(uid, since, APOLOGY)
    first, cut = chat(api, uid, since)[:2]
    assert WRITING_TEXT in first.text
    assert cut.method == "editMessageText" and cut.message_id == first.message_id
    assert "5%" in cut.text and parse_html(CUT_SHORT)[0] in cut.text and WRITING_TEXT not in cut.text
    assert cut.at - first.at >= EDIT_INTERVAL and apology.at > cut.at
    assert not any("exploded" in s.text for s in chat(api, uid, since))
