"""Slack listeners, one module per feature; each has `register(app, services)`."""

from __future__ import annotations

from typing import Any

from bot.listeners import home, recommend, votes, wg
from bot.runtime.services import Services


def register_all(app: Any, services: Services) -> None:
    """Register every listener on the app.

    Bolt tries listeners in order, so the vote buttons, the busiest by far, come first.
    """
    for module in (votes, wg, recommend, home):
        module.register(app, services)
