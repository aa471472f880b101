"""Moderation: reports, hiding and restoring posts, reviewing held posts, pinning and closing."""
