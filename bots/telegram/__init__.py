"""The Telegram bot of 国培助手: ``build_application`` in ``bots.telegram.app``; ``guopei bot telegram`` runs it."""
