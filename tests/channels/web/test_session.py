"""Signed console sessions: what a cookie proves, when it stops proving it, and the CSRF token bound to it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from channels.web.session import KEY_FILE, Sessions, load_key


def test_a_session_round_trips_and_binds_its_csrf_token():
    sessions = Sessions(b"k" * 32)
    session = sessions.new(7)
    loaded = sessions.load(sessions.dump(session))
    assert loaded == session and loaded.signed_in
    assert sessions.csrf_ok(loaded, sessions.csrf(session))
    other = sessions.new(7)
    assert not sessions.csrf_ok(loaded, sessions.csrf(other))  # another session's token is no good
    assert not sessions.csrf_ok(loaded, None) and not sessions.csrf_ok(loaded, "")


@pytest.mark.parametrize("tamper", [
    lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),  # signature changed
    lambda c: c.replace(c.split(".")[0], c.split(".")[0][:-2] + "xx"),  # payload changed
    lambda c: c.split(".")[0],  # no signature
    lambda c: "x" * 600,  # absurdly long
    lambda c: "",
])
def test_a_forged_or_damaged_cookie_is_no_session(tamper):
    sessions = Sessions(b"k" * 32)
    assert sessions.load(tamper(sessions.dump(sessions.new(1)))) is None


def test_a_cookie_signed_with_another_key_is_refused():
    assert Sessions(b"a" * 32).load(Sessions(b"b" * 32).dump(Sessions(b"b" * 32).new(1))) is None


def test_expired_and_signed_out_sessions_end():
    sessions = Sessions(b"k" * 32, max_age=60)
    old = sessions.new(1)
    stale = old.__class__(old.nonce, old.user_id, old.issued - 61)
    assert sessions.load(sessions.dump(stale)) is None
    live = sessions.new(1)
    cookie = sessions.dump(live)
    sessions.end(live)
    assert sessions.load(cookie) is None


def test_the_key_is_created_once_and_private(tmp_path: Path):
    key = load_key(tmp_path)
    assert len(key) == 32 and load_key(tmp_path) == key
    assert stat.S_IMODE(os.stat(tmp_path / KEY_FILE).st_mode) == 0o600


def test_a_damaged_key_file_stops_the_console_with_a_message(tmp_path: Path):
    (tmp_path / KEY_FILE).write_bytes(b"short")
    with pytest.raises(RuntimeError, match="已损坏"):
        load_key(tmp_path)


def test_the_sign_out_list_forgets_sessions_that_have_expired_anyway():
    sessions = Sessions(b"k" * 32, max_age=60)
    old = sessions.new(1)
    sessions.end(old.__class__(old.nonce, 1, old.issued - 120))
    sessions.end(sessions.new(2))
    assert len(sessions._ended) == 1
