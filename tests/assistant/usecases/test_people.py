"""Who an account is on each surface: the same actor and records, counted where it acted."""

from __future__ import annotations

from assistant.records.users import User
from assistant.usecases.people import People

USER = User(7, "王老师", "teacher", "2026-12-07T00:00:00Z")


def test_a_console_visitor_is_their_api_account_acting_through_the_web() -> None:
    """Signed in to the web console, an account keeps its API identity (role, records, rate limit), but what it
    asks there was asked through the web, and usage counts say so."""
    api, web = People.api_actor(USER), People.console_actor(USER)
    assert (web.channel, web.external_id, web.role, web.user_id, web.key) == (
        api.channel, api.external_id, api.role, api.user_id, api.key)
    assert (api.surface, web.surface) == ("api", "web")
