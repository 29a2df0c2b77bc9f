"""End-to-end tests of the Telegram bot against a stand-in Bot API server."""
