"""Errors the outcome document raises to its callers."""

from __future__ import annotations


class TemplateError(Exception):
    """An organizer's Word template cannot be used (unreadable, or lacks styles we need)."""
