"""The part of a card that tells its text's life: `Edited · v2`, `Withdrawn by Rita`,
`Merged into EE-2`, `Also covers EE-5` (storage.texts.TextLife)."""

from __future__ import annotations

from typing import Any

from bot.ui.render import render
from bot.ui.text import context
from storage.cards import CardState
from storage.models import TextStatus


def life_blocks(state: CardState) -> list[dict[str, Any]]:
    """The lines under the byline saying how its text came to be and where it stands."""
    life = state.life
    lines: list[str] = []
    if life.version > 1:
        lines.append(render("edit/card.j2", version=life.version))
    if life.status is TextStatus.WITHDRAWN:
        lines.append(render("withdraw/card.j2", name=life.by_name or ""))
    elif life.status is TextStatus.MERGED:
        lines.append(render("merge/card_merged.j2", number=life.merged_into or "?"))
    if life.covers:
        lines.append(render("merge/card_covers.j2", numbers=life.covers))
    return [context(line) for line in lines]


def has_buttons(state: CardState) -> bool:
    """Whether the card offers its vote (or objection) buttons: not once withdrawn or merged."""
    return state.life.is_open
