"""The App Home tab."""

from __future__ import annotations

from typing import Any

from bot.slack.ids import Callback
from bot.ui.render import render
from bot.ui.text import section


def home_view(
    *, name: str, role: str, country: str | None, groups: list[dict[str, Any]]
) -> dict[str, Any]:
    """The person's role, delegation and groups."""
    blocks = [section(render("home/home.j2", name=name, role=role, country=country))]
    if groups:
        blocks.append({"type": "divider"})
        blocks.append(section(render("home/groups.j2", groups=groups)))
    return {"type": "home", "callback_id": Callback.HOME, "blocks": blocks}
