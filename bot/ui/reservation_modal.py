"""The reservation form: opened at once as a placeholder, then filled in (or a refusal shown).

The text field uses the recommendation form's ids (Block.TEXT / Action.TEXT), so an error
the app's central handler answers lands under it too.
"""

from __future__ import annotations

from typing import Any

from bot.slack.ids import Action, Block, Callback
from bot.slack.values import ReservationForm
from bot.ui.labels import label
from bot.ui.render import render
from bot.ui.text import context, plain, section
from storage.reservations import RESERVATION_MAX, Form

WITHDRAW = "withdraw"  # the value of the "Withdraw our reservation" checkbox


def _frame(blocks: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": Callback.RESERVATION_MODAL,
        "title": plain(label("reservation", "title"), 24),
        "close": plain(label("reservation", "close"), 24),
        "blocks": blocks,
        **fields,
    }


def loading_view() -> dict[str, Any]:
    """What opens at once, before the database is read (a trigger_id lives 3 s)."""
    return _frame([context(label("reservation", "loading"))])


def refused_view(text: str) -> dict[str, Any]:
    """Why the person cannot act on a reservation here (`text` is rendered mrkdwn)."""
    return _frame([section(text)])


def reservation_modal(form: Form, *, channel_id: str | None) -> dict[str, Any]:
    """The form for `form.delegation`: the text (prefilled with its reservation, which it
    replaces) and, when it has one, the box that withdraws it instead."""
    text_element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": Action.TEXT,
        "multiline": True,
        "max_length": RESERVATION_MAX,
        "placeholder": plain(label("reservation", "text_placeholder"), 150),
    }
    if form.text:
        text_element["initial_value"] = form.text[:RESERVATION_MAX]
    intro = render(
        "reservation/intro.j2",
        number=form.number,
        delegation=form.delegation_name,
        existing=form.text is not None,
    )
    blocks: list[dict[str, Any]] = [
        context(intro),
        {
            "type": "input",
            "block_id": Block.TEXT,
            "label": plain(label("reservation", "text_label"), 2000),
            "element": text_element,
        },
    ]
    if form.text is not None:
        blocks.append(
            {
                "type": "input",
                "block_id": Block.WITHDRAW,
                "optional": True,
                "label": plain(label("reservation", "withdraw_label"), 2000),
                "element": {
                    "type": "checkboxes",
                    "action_id": Action.WITHDRAW,
                    "options": [
                        {
                            "text": plain(label("reservation", "withdraw_option")),
                            "value": WITHDRAW,
                            "description": plain(label("reservation", "withdraw_hint")),
                        }
                    ],
                },
            }
        )
    metadata = ReservationForm(
        rec=form.recommendation_id, delegation=form.delegation, channel_id=channel_id or None
    )
    return _frame(
        blocks,
        submit=plain(label("reservation", "submit"), 24),
        private_metadata=metadata.dump(),
    )


def submitted_text(view: dict[str, Any]) -> str | None:
    """The text typed into the form, as Slack sent it."""
    values = (view.get("state") or {}).get("values") or {}
    value = (values.get(Block.TEXT) or {}).get(Action.TEXT) or {}
    raw = value.get("value") if isinstance(value, dict) else None
    return raw if isinstance(raw, str) else None


def wants_withdrawal(view: dict[str, Any]) -> bool:
    """Whether the person ticked "Withdraw our reservation"."""
    values = (view.get("state") or {}).get("values") or {}
    element = (values.get(Block.WITHDRAW) or {}).get(Action.WITHDRAW) or {}
    selected = element.get("selected_options") if isinstance(element, dict) else None
    return isinstance(selected, list) and any(
        isinstance(option, dict) and option.get("value") == WITHDRAW for option in selected
    )
