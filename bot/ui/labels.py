"""Fixed wording of Block Kit elements, from templates/messages/labels.toml."""

from __future__ import annotations

import tomllib
from functools import cache

from bot.ui.render import MESSAGES_DIR


@cache
def labels() -> dict[str, dict[str, str]]:
    """All labels, by section (vote, modal, home)."""
    with (MESSAGES_DIR / "labels.toml").open("rb") as handle:
        return tomllib.load(handle)


def label(section: str, key: str) -> str:
    """One label, e.g. label("vote", "support")."""
    return labels()[section][key]
