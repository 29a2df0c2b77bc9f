"""Generative answers through any OpenAI-compatible chat endpoint, checked against the sources.

Unset (no ``GUOPEI_LLM_BASE_URL`` / ``GUOPEI_LLM_MODEL``) means the offline extractive default; nothing
here is imported into a request path then. ``wiring.LLMServices`` is the one place the pieces are built.
"""
