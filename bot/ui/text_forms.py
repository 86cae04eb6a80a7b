"""The forms opened from a card's menu to change its text or standing: `Edit…` (the
submission form, prefilled), `Withdraw` (a confirmation) and `Merge into…` (a choice of
recommendation); each opened at once as a placeholder, then filled in or refused."""

from __future__ import annotations

from typing import Any

from bot.slack.ids import Action, Block, Callback
from bot.slack.values import TextForm
from bot.ui.labels import label
from bot.ui.modal import recommend_modal
from bot.ui.render import render
from bot.ui.text import context, plain, section
from storage.merges import MergeForm
from storage.revisions import EditForm

OPTIONS_MAX = 100  # Slack's limit on a static select's options
SELECT_TEXT_MAX = 75


def placeholder(callback: Callback, section_key: str) -> dict[str, Any]:
    """What opens at once, before the database is read (a trigger_id lives 3 s)."""
    return _frame(callback, section_key, [context(label("edit", "loading"))])


def refused(callback: Callback, section_key: str, text: str) -> dict[str, Any]:
    """Why the person cannot do this here (`text` is rendered mrkdwn)."""
    return _frame(callback, section_key, [section(text)])


def edit_modal(form: EditForm, *, channel_id: str | None) -> dict[str, Any]:
    """The submission form (same fields, limits and errors) prefilled with the text, title and
    rationale standing now; it has no group to choose (a recommendation stays in its own)."""
    view = recommend_modal(channel_id=channel_id or "", text=form.text)
    blocks = []
    for block in view["blocks"]:
        if block.get("block_id") == Block.GROUP:
            continue
        if block.get("block_id") == Block.TITLE and form.title:
            block["element"]["initial_value"] = form.title
        if block.get("block_id") == Block.RATIONALE and form.rationale:
            block["element"]["initial_value"] = form.rationale
        blocks.append(block)
    blocks[0] = context(label("edit", "intro"))
    metadata = TextForm(rec=form.recommendation_id, version=form.version, channel_id=channel_id)
    view.update(
        callback_id=Callback.EDIT_MODAL,
        title=plain(label("edit", "title"), 24),
        submit=plain(label("edit", "submit"), 24),
        close=plain(label("edit", "close"), 24),
        private_metadata=metadata.dump(),
        blocks=blocks,
    )
    return view


def withdraw_modal(
    recommendation_id: int, number: str, *, channel_id: str | None
) -> dict[str, Any]:
    """`Withdraw EE-3?`, with a button that does it."""
    metadata = TextForm(rec=recommendation_id, channel_id=channel_id)
    return _frame(
        Callback.WITHDRAW_MODAL,
        "withdraw",
        [section(render("withdraw/confirm.j2", number=number))],
        title=plain(f"{label('withdraw', 'title')} {number}?", 24),
        submit=plain(label("withdraw", "submit"), 24),
        private_metadata=metadata.dump(),
    )


def merge_modal(form: MergeForm, *, channel_id: str | None) -> dict[str, Any]:
    """The group's other open recommendations to merge into, one to choose."""
    options = [
        {
            "text": plain(f"{t.number} {t.title or ' '.join(t.text.split())}", SELECT_TEXT_MAX),
            "value": str(t.recommendation_id),
            "description": plain(" ".join(t.text.split()) or t.number, SELECT_TEXT_MAX),
        }
        for t in form.targets[:OPTIONS_MAX]
    ]
    metadata = TextForm(rec=form.recommendation_id, channel_id=channel_id)
    return _frame(
        Callback.MERGE_MODAL,
        "merge",
        [
            context(render("merge/intro.j2", number=form.number)),
            {
                "type": "input",
                "block_id": Block.MERGE_TARGET,
                "label": plain(label("merge", "target_label"), 2000),
                "element": {
                    "type": "static_select",
                    "action_id": Action.MERGE_TARGET,
                    "placeholder": plain(label("merge", "target_placeholder"), 150),
                    "options": options,
                },
            },
        ],
        submit=plain(label("merge", "submit"), 24),
        private_metadata=metadata.dump(),
    )


def chosen_target(view: dict[str, Any]) -> int | None:
    """The recommendation chosen in the merge form (None if nothing usable was sent)."""
    values = (view.get("state") or {}).get("values") or {}
    element = (values.get(Block.MERGE_TARGET) or {}).get(Action.MERGE_TARGET) or {}
    selected = element.get("selected_option") if isinstance(element, dict) else None
    value = selected.get("value") if isinstance(selected, dict) else None
    if isinstance(value, str) and value.isdigit() and len(value) < 13:
        return int(value)
    return None


def typed(view: dict[str, Any], block: Block, action: Action) -> str | None:
    """What was typed into one text field of a submitted form."""
    values = (view.get("state") or {}).get("values") or {}
    value = (values.get(block) or {}).get(action) or {}
    raw = value.get("value") if isinstance(value, dict) else None
    return raw if isinstance(raw, str) else None


def _frame(
    callback: Callback, section_key: str, blocks: list[dict[str, Any]], **fields: Any
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": plain(label(section_key, "title"), 24),
        "close": plain(label(section_key, "close"), 24),
        "blocks": blocks,
        **fields,
    }
