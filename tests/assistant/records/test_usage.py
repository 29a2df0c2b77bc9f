"""Usage counters: questions by the surface they came through, active teachers by account."""

from __future__ import annotations

from pathlib import Path

from assistant.db import Database
from assistant.records.usage import UsageStats, accounts_line, channels_line, questions_line


def test_counts_go_by_surface_with_a_chinese_label_for_each(tmp_path: Path) -> None:
    """One account asking in the web console and over the API is one active teacher with a question under each
    surface; the admin views name each surface in Chinese (an unknown one as stored)."""
    usage = UsageStats(Database(tmp_path / "guopei.sqlite3"))
    usage.question("api", "7", False, via="web")
    usage.question("api", "7", True)
    usage.question("telegram", "42", False)
    usage.question("matrix", "1", False)
    summary = usage.summary()
    assert summary["by_channel"] == {"web": {"questions": 1}, "api": {"questions": 1, "abstentions": 1},
                                     "telegram": {"questions": 1}, "matrix": {"questions": 1}}
    assert summary["active_teachers"] == 3
    assert summary["channel_labels"] == {"web": "网页控制台", "api": "HTTP API", "telegram": "Telegram 机器人",
                                         "matrix": "matrix"}


def test_active_never_exceeds_the_accounts_counted_with_it_and_each_count_says_what_it_is(tmp_path: Path) -> None:
    """The console showed 活跃教师 4 · 注册教师 3: accounts that asked against learners with a record, under
    names that made them look like the same people. Active and ever-used now count the same thing, and
    the labels say what each is."""
    usage = UsageStats(Database(tmp_path / "guopei.sqlite3"))
    for account in ("1", "2", "3", "4"):
        usage.question("api", account, False)
    summary = usage.summary()
    assert summary["registered_teachers"] == 0 and summary["active_teachers"] == summary["known_accounts"] == 4
    assert summary["labels"] == {"active_teachers": "近 7 天提过问的账号", "known_accounts": "累计提过问的账号",
                                 "registered_teachers": "有学习记录的教师（做过小测或制定过研修计划）",
                                 "abstentions": "未直接作答（知识库中没有依据或文件未作规定）"}
    assert accounts_line(summary) == ("近 7 天提过问的账号 4 个，累计提过问的账号 4 个，"
                                      "有学习记录的教师（做过小测或制定过研修计划） 0 人")


def test_the_per_surface_line_names_each_surface_as_the_console_does(tmp_path: Path) -> None:
    """The bot and the command line print one line of questions per surface, with the Chinese names the web
    console shows; nothing asked yet, no line at all."""
    usage = UsageStats(Database(tmp_path / "guopei.sqlite3"))
    assert channels_line(usage.summary()) is None
    usage.question("cli", "me", False)
    usage.question("telegram", "42", True)
    usage.question("telegram", "43", False)
    usage.seen("api", "7")  # a greeting is no question: no API line
    assert channels_line(usage.summary()) == "按渠道：命令行 1 次，Telegram 机器人 2 次"


def test_questions_not_answered_outright_read_the_same_on_every_surface(tmp_path) -> None:
    """One count, one name: 没有找到 and 文件未作规定 both count, so neither 未找到依据而拒答 (the bot) nor 拒答
    (the command line) nor 未能回答 (the console) — the same label everywhere, with its share."""
    usage = UsageStats(Database(tmp_path / "guopei.sqlite3"))
    for abstained in (True, True, False, False):
        usage.question("api", "1", abstained)
    summary = usage.summary()
    assert questions_line(summary) == "提问 4 次，其中未直接作答（知识库中没有依据或文件未作规定） 2 次（50%）"
    assert summary["labels"]["abstentions"] in questions_line(summary)
