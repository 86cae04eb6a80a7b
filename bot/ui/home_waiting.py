"""App Home's "Waiting for your vote": a page of recommendations, each with the card's own
Support / Oppose / Abstain buttons, and `Previous` / `Next` when there are more."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.slack.ids import Action
from bot.slack.values import HomePage
from bot.ui.card import vote_buttons
from bot.ui.labels import label
from bot.ui.render import render
from bot.ui.text import context, plain, section
from storage.home import HomeState, Item

PAGE_SIZE = 20  # recommendations per page at most (two blocks each)
FIXED_BLOCKS = 4  # divider, the head, the consensus line, the Previous / Next buttons
SUMMARY_WORDS = 24
SUMMARY_CHARS = 200


@dataclass(frozen=True)
class Page:
    """Which page is shown and how many there are."""

    number: int
    count: int
    first: int  # index of its first item
    size: int


def paginate(total: int, wanted: int, size: int) -> Page:
    """The page `wanted` of `total` items by `size`, moved within range."""
    count = max(1, -(-total // size))
    number = min(max(1, wanted), count)
    return Page(number=number, count=count, first=(number - 1) * size, size=size)


def waiting_blocks(state: HomeState, *, page: int, room: int) -> tuple[list[dict[str, Any]], int]:
    """The section's blocks within `room` blocks, and the page they show."""
    size = max(1, min(PAGE_SIZE, (room - FIXED_BLOCKS) // 2))
    shown = paginate(len(state.waiting), page, size)
    items = state.waiting[shown.first : shown.first + shown.size]
    by_group = Counter(item.group_name for item in state.waiting)
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        section(
            render(
                "home/waiting.j2",
                total=len(state.waiting),
                page=shown.number,
                pages=shown.count,
                first=shown.first + 1,
                last=shown.first + len(items),
                by_group=[{"name": n, "count": c} for n, c in by_group.items()],
            )
        ),
    ]
    for item in items:
        blocks.append(section(_item_text(item)))
        blocks.append(_buttons(item))
    if state.consensus:
        blocks.append(context(render("home/consensus.j2", groups=list(state.consensus))))
    pager = _pager(shown)
    if pager is not None:
        blocks.append(pager)
    return blocks, shown.number


def summary(title: str | None, text: str) -> str:
    """A recommendation's title, or its first words (cut with `…`)."""
    if title and title.strip():
        return " ".join(title.split())[:SUMMARY_CHARS]
    words = text.split()
    cut = " ".join(words[:SUMMARY_WORDS])
    if len(cut) > SUMMARY_CHARS:
        cut = cut[: SUMMARY_CHARS - 1].rstrip()
    return cut + ("…" if cut != " ".join(words) else "")


def _item_text(item: Item) -> str:
    return render(
        "home/waiting_item.j2",
        number=item.number,
        group=item.group_name,
        channel_id=item.channel_id,
        summary=summary(item.title, item.text),
    )


def _buttons(item: Item) -> dict[str, Any]:
    """The card's own vote buttons (same action ids, same values): a click here counts as
    one there. Without the card's block id, which a view may hold only once."""
    block = vote_buttons(item.id)
    return {key: value for key, value in block.items() if key != "block_id"}


def _pager(page: Page) -> dict[str, Any] | None:
    elements = []
    if page.number > 1:
        elements.append(_page_button(Action.HOME_PREVIOUS, "previous", page.number - 1))
    if page.number < page.count:
        elements.append(_page_button(Action.HOME_NEXT, "next", page.number + 1))
    return {"type": "actions", "elements": elements} if elements else None


def _page_button(action_id: Action, name: str, page: int) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": plain(label("home", name)),
        "value": HomePage(page=page).dump(),
    }
