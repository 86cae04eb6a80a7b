"""`/wg board` and `/wg board revoke`: a link to the plenary board, and ending every link."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.ui.render import render
from storage import board_links
from storage.groups import require_organizer

SETTING = "PUBLIC_URL"  # what the link is made of, named when it is missing


def board(
    ctx: BoltContext, command: dict[str, Any], args: list[str], *, public_url: str | None
) -> str:
    """`/wg board`: a new link `PUBLIC_URL/board/<token>`; `/wg board revoke` (organizers)."""
    actor = ctx["actor"]
    if args and [word.lower() for word in args] != ["revoke"]:
        return render("board/usage.j2")
    if args:
        revoked = board_links.revoke_all(ctx["session"], actor=actor)
        return render("board/revoked.j2", count=revoked)
    require_organizer(actor, "board")
    if not public_url:
        return render("board/no_public_url.j2", setting=SETTING)
    token = board_links.create(ctx["session"], actor=actor)
    return render("board/link.j2", url=f"{public_url}/board/{token}")
