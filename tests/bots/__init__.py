"""Tests of the chat-bot channels."""
