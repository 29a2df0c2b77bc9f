"""Fixtures for assistant tests live in tests/conftest.py so every test package can use them."""
