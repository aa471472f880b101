"""Asking, answering and reading questions."""
