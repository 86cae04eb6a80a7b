"""App Home for rapporteurs (their groups) and organizers (every group): each group's state
with `Close`, `Reopen` and `Compile`, and the latest outcome documents with their links."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.slack.ids import Action
from bot.slack.values import GroupRef
from bot.ui.deadline import left, safe_link, when
from bot.ui.labels import label
from bot.ui.render import render
from bot.ui.text import plain, section
from storage.home import HomeState
from storage.home_groups import GroupState


def cockpit_blocks(
    state: HomeState, *, now: datetime, zone: str, links: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Each group's state and buttons, then the documents; nothing for a delegate."""
    if not state.cockpit:
        return []
    organizer = state.place.role == "organizer"
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        section(render("home/cockpit.j2", organizer=organizer, count=len(state.cockpit))),
    ]
    for group in state.cockpit:
        blocks.append(section(_group_text(group, now)))
        if group.channel_id:
            blocks.append(_buttons(group))
    if state.documents:
        documents = [
            {
                "group": name,
                "link": safe_link(links.get(doc.file_id)),
                "channel_id": doc.channel_id,
                "when": when(doc.finished_at, zone, now) if doc.finished_at else None,
            }
            for name, doc in state.documents
        ]
        blocks.append(section(render("home/documents.j2", documents=documents)))
    return blocks


def _group_text(group: GroupState, now: datetime) -> str:
    deadline = None
    if group.is_open and group.deadline_at and group.deadline_zone:
        deadline = {
            **when(group.deadline_at, group.deadline_zone, now),
            **left(group.deadline_at, now),
        }
    return render("home/cockpit_group.j2", g=group, deadline=deadline)


def _buttons(group: GroupState) -> dict[str, Any]:
    """Close, Reopen, Compile: the operations of `/wg close`, `/wg reopen`, `/wg compile`."""
    value = GroupRef(group=group.key).dump()
    buttons = (
        (Action.HOME_CLOSE, "close", "danger" if group.is_open else None),
        (Action.HOME_REOPEN, "reopen", None if group.is_open else "primary"),
        (Action.HOME_COMPILE, "compile", None),
    )
    elements = []
    for action_id, name, style in buttons:
        button: dict[str, Any] = {
            "type": "button",
            "action_id": action_id,
            "text": plain(label("home", name)),
            "value": value,
        }
        if style:
            button["style"] = style
        elements.append(button)
    return {"type": "actions", "elements": elements}
