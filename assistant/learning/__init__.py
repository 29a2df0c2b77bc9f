"""Companion learning tasks: short exercises grounded in the very text an answer cited."""
