"""The App Home tab: the person's place, what waits for their vote, their recommendations,
their groups' deadlines, each group's state (rapporteurs, organizers), every group at a glance.

Within Slack's limits whatever the workshop's size: at most 100 blocks (the waiting list
gets the room the rest leaves, by pages), no text over 3,000 characters (longer lists are
cut, saying how many more there are).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from bot.slack.ids import Callback
from bot.slack.values import HomePage
from bot.ui.deadline import left, when
from bot.ui.home_cockpit import cockpit_blocks
from bot.ui.home_waiting import summary, waiting_blocks
from bot.ui.render import render
from bot.ui.text import SECTION_TEXT_MAX, section
from storage.countries import country_name
from storage.home import HomeState

T = TypeVar("T")

VIEW_BLOCKS_MAX = 100
OWN_MAX = 25  # own recommendations listed; the rest are counted


def home_view(
    state: HomeState, *, page: int, now: datetime, zone: str, links: Mapping[str, str]
) -> dict[str, Any]:
    """The Home view showing `page` of the waiting list (moved within range).

    `zone` is the workshop's (WORKSHOP_TIMEZONE), for times that belong to no group;
    `links` the permalinks of documents, by file id.
    """
    head = [section(render("home/home.j2", **_place(state)))]
    rest = [
        {"type": "divider"},
        section(_own_text(state)),
        *([section(_deadlines_text(state, now))] if state.deadlines else []),
        *cockpit_blocks(state, now=now, zone=zone, links=links),
        {"type": "divider"},
        section(_fit(lambda shown, more: render("home/groups.j2", groups=shown), state.overview)),
    ]
    waiting, shown_page = waiting_blocks(
        state, page=page, room=VIEW_BLOCKS_MAX - len(head) - len(rest)
    )
    blocks = [*head, *waiting, *rest]
    return {
        "type": "home",
        "callback_id": Callback.HOME,
        "private_metadata": HomePage(page=shown_page).dump(),
        "blocks": blocks[:VIEW_BLOCKS_MAX],
    }


def _place(state: HomeState) -> dict[str, Any]:
    place = state.place
    return {
        "name": place.name or state.user_id,
        "role": place.role,
        "delegation": country_name(place.delegation) if place.delegation else None,
        "confirmed": place.confirmed,
    }


def _own_text(state: HomeState) -> str:
    items = [
        {
            "number": own.item.number,
            "summary": summary(own.item.title, own.item.text),
            "is_open": own.is_open,
            "procedure": own.procedure.value,
            "status": own.status,
            "shown": own.shown,
        }
        for own in state.own
    ]
    return _fit(lambda shown, more: render("home/own.j2", items=shown, more=more), items, OWN_MAX)


def _deadlines_text(state: HomeState, now: datetime) -> str:
    deadlines = [
        {
            "group": d.group_name,
            **when(d.deadline_at, d.zone, now),
            **left(d.deadline_at, now),
        }
        for d in state.deadlines
    ]
    return _fit(lambda shown, more: render("home/deadlines.j2", deadlines=shown), deadlines)


def _fit(text: Callable[[list[T], int], str], items: Sequence[T], most: int | None = None) -> str:
    """`text` of as many of `items` as fit in a section (at most `most`), with how many more."""
    count = len(items) if most is None else min(most, len(items))
    while True:
        rendered = text(list(items[:count]), len(items) - count)
        if len(rendered) <= SECTION_TEXT_MAX or count == 0:
            return rendered[:SECTION_TEXT_MAX]
        count -= 1
