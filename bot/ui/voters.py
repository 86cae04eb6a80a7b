"""`/wg voters`: who has voted on each recommendation of a group, never how, within
Slack's limits."""

from __future__ import annotations

from bot.ui.render import render
from storage.group_settings import Voted

# Slack shows a message's text up to 40,000 characters but advises staying under 4,000.
VOTERS_TEXT_MAX = 3900
FIRST_WORDS = 8  # of an untitled recommendation's text


def voters_text(group: str, secret: bool, voted: list[Voted]) -> str:
    """The heading, then a line per recommendation naming who has voted on it.

    Past VOTERS_TEXT_MAX characters the list is cut after a whole line and ends with
    "… and N more" (N recommendations).
    """
    text = render("wg/voters_heading.j2", group=group, secret=secret, total=len(voted))
    for index, item in enumerate(voted):
        line = render(
            "wg/voters_line.j2",
            number=item.number,
            title=item.title or " ".join(item.text.split()[:FIRST_WORDS]),
            voters=[{"user_id": u, "name": n} for u, n in item.voters],
        )
        more = render("wg/voters_more.j2", count=len(voted) - index)
        if len(text) + 1 + len(line) + 1 + len(more) > VOTERS_TEXT_MAX:
            return text + "\n" + more
        text += "\n" + line
    return text
