"""The /recommend modal."""

from __future__ import annotations

from typing import Any

from bot.slack.ids import Action, Block, Callback
from bot.slack.values import FormContext
from bot.ui.labels import label
from bot.ui.render import render
from bot.ui.text import context, plain
from storage.groups import SEED_GROUPS
from storage.limits import RATIONALE_MAX, TEXT_MAX, TITLE_MAX


def group_option(key: str) -> dict[str, Any]:
    """The select option of a seeded group."""
    name = next(name for k, name, _ in SEED_GROUPS if k == key)
    return {"text": plain(name), "value": key}


def recommend_modal(
    *, channel_id: str, text: str = "", group_key: str | None = None
) -> dict[str, Any]:
    """The form: text (prefilled), title, rationale, and the group (defaulting to the channel's)."""
    text_element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": Action.TEXT,
        "multiline": True,
        "max_length": TEXT_MAX,
        "placeholder": plain(label("modal", "text_placeholder"), 150),
    }
    notes: list[dict[str, Any]] = []
    if text:
        text_element["initial_value"] = text[:TEXT_MAX]
    if len(text) > TEXT_MAX:  # Slack refuses a longer initial value: say what was cut
        notes.append(context(render("recommend/prefill_cut.j2", length=len(text), limit=TEXT_MAX)))
    group_element: dict[str, Any] = {
        "type": "static_select",
        "action_id": Action.GROUP,
        "placeholder": plain(label("modal", "group_placeholder"), 150),
        "options": [group_option(key) for key, _, _ in SEED_GROUPS],
    }
    if group_key:
        group_element["initial_option"] = group_option(group_key)
    return {
        "type": "modal",
        "callback_id": Callback.RECOMMEND_MODAL,
        "title": plain(label("modal", "title"), 24),
        "submit": plain(label("modal", "submit"), 24),
        "close": plain(label("modal", "close"), 24),
        "private_metadata": FormContext(channel_id=channel_id or None).dump(),
        "blocks": [
            {"type": "context", "elements": [plain(label("modal", "intro"), 2000)]},
            *notes,
            {
                "type": "input",
                "block_id": Block.TEXT,
                "label": plain(label("modal", "text_label"), 2000),
                "element": text_element,
            },
            {
                "type": "input",
                "block_id": Block.TITLE,
                "optional": True,
                "label": plain(label("modal", "title_label"), 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": Action.TITLE,
                    "max_length": TITLE_MAX,
                    "placeholder": plain(label("modal", "title_placeholder"), 150),
                },
            },
            {
                "type": "input",
                "block_id": Block.RATIONALE,
                "optional": True,
                "label": plain(label("modal", "rationale_label"), 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": Action.RATIONALE,
                    "multiline": True,
                    "max_length": RATIONALE_MAX,
                    "placeholder": plain(label("modal", "rationale_placeholder"), 150),
                },
            },
            {
                "type": "input",
                "block_id": Block.GROUP,
                "label": plain(label("modal", "group_label"), 2000),
                "element": group_element,
            },
        ],
    }


def metadata_channel(view: dict[str, Any]) -> str | None:
    """The channel the modal was opened from, from private_metadata."""
    return FormContext.parse(view.get("private_metadata")).channel_id
