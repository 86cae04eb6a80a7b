"""The demo's one error."""

from __future__ import annotations


class DemoError(Exception):
    """The demo cannot go on; the message says why."""
