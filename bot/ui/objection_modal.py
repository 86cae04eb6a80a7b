"""The objection form a consensus card's `Object…` opens, and what replaces it on a refusal."""

from __future__ import annotations

from typing import Any

from bot.slack.ids import Action, Block, Callback
from bot.slack.values import ObjectionForm
from bot.ui.labels import label
from bot.ui.text import mrkdwn, plain
from storage.objections import REASON_MAX, REASON_MIN


def objection_modal(
    *, recommendation_id: int, channel_id: str | None, reason: str | None = None
) -> dict[str, Any]:
    """The form: one required reason (its limits are checked again on submission).

    `reason` prefills the delegation's standing reason: submitting replaces it.
    """
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": Action.REASON,
        "multiline": True,
        "min_length": REASON_MIN,
        "max_length": REASON_MAX,
        "placeholder": plain(label("objection", "reason_placeholder"), 150),
    }
    if reason:
        element["initial_value"] = reason[:REASON_MAX]
    return {
        "type": "modal",
        "callback_id": Callback.OBJECTION_MODAL,
        "title": plain(label("objection", "title"), 24),
        "submit": plain(label("objection", "submit"), 24),
        "close": plain(label("objection", "close"), 24),
        "private_metadata": ObjectionForm(rec=recommendation_id, channel_id=channel_id).dump(),
        "blocks": [
            {"type": "context", "elements": [plain(label("objection", "intro"), 2000)]},
            {
                "type": "input",
                "block_id": Block.REASON,
                "label": plain(label("objection", "reason_label"), 2000),
                "element": element,
            },
        ],
    }


def refusal_view(text: str) -> dict[str, Any]:
    """The form replaced by why the person cannot object (nothing to submit)."""
    return {
        "type": "modal",
        "callback_id": Callback.OBJECTION_MODAL,
        "title": plain(label("objection", "title"), 24),
        "close": plain(label("objection", "close"), 24),
        "blocks": [{"type": "section", "text": mrkdwn(text[:3000])}],
    }


def reason_value(view: dict[str, Any]) -> str | None:
    """The reason typed in a submitted form, or None."""
    values = (view.get("state") or {}).get("values") or {}
    value = (values.get(Block.REASON) or {}).get(Action.REASON) or {}
    raw = value.get("value") if isinstance(value, dict) else None
    return raw if isinstance(raw, str) else None
