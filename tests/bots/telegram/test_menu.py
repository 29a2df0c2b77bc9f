"""Help and command menus by role: staff see the commands the core's permission table lets them run."""

from __future__ import annotations

from bots.telegram.menu import HELP, commands_for, help_text


def test_a_teacher_sees_only_the_teacher_help() -> None:
    assert help_text("teacher") == HELP
    assert "/stats" not in help_text("teacher") and "/resources" not in help_text("teacher")


def test_a_trainer_sees_the_trainer_commands_and_no_admin_ones() -> None:
    text = help_text("trainer")
    assert text.startswith(HELP) and "培训者命令" in text
    assert all(c in text for c in ("/resources", "/delete", "/jobs", "/comments", "发送文档"))
    assert not any(c in text for c in ("/stats", "/eval", "/grant", "/invite", "/cancel"))


def test_an_admin_sees_every_staff_command() -> None:
    text = help_text("admin")
    assert "管理员命令" in text
    assert all(c in text for c in ("/resources", "/delete", "/jobs", "/cancel", "/stats", "/comments", "/eval", "/grant",
                                   "/invite"))
    names = [c.command for c in commands_for("admin")]
    assert names[:8] == [c.command for c in commands_for("teacher")]
    assert {"stats", "eval", "grant", "invite", "cancel", "resources", "delete", "jobs"} <= set(names)
    assert "stats" not in [c.command for c in commands_for("trainer")]
