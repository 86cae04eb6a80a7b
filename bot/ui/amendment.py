"""Amendments in Slack: the form that proposes one, its message in the card's thread (what it
changes, word by word, with `Accept` and `Reject`, later the decision), and the forms that
accept one whose text changed since (showing the newer text) and reject one."""

from __future__ import annotations

from typing import Any

from bot.slack.ids import Action, Block, Callback
from bot.slack.values import AmendmentRef, TextForm
from bot.ui.diff import mrkdwn_chunks
from bot.ui.labels import label
from bot.ui.render import render
from bot.ui.text import context, plain, section, sections_for_user_text
from storage.amendment_views import AmendmentView
from storage.amendments import REASON_MAX, AmendForm, Pending
from storage.limits import TEXT_MAX
from storage.models import AmendmentState

MODAL_BLOCKS_MAX = 100


def amend_modal(form: AmendForm, *, channel_id: str | None) -> dict[str, Any]:
    """The proposed text (prefilled with the text standing now) and an optional reason."""
    metadata = TextForm(rec=form.recommendation_id, version=form.version, channel_id=channel_id)
    return _frame(
        Callback.AMEND_MODAL,
        [
            context(render("amendment/intro.j2", number=form.number, version=form.version)),
            _text_input(
                Block.TEXT,
                Action.TEXT,
                label("amendment", "text_label"),
                label("amendment", "text_placeholder"),
                TEXT_MAX,
                initial=form.text[:TEXT_MAX],
                multiline=True,
            ),
            _reason_input(label("amendment", "reason_label"), "reason_placeholder"),
        ],
        submit=plain(label("amendment", "submit"), 24),
        private_metadata=metadata.dump(),
    )


def thread_message(
    amendment: AmendmentView, *, version: int | None = None, because: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The amendment's message in the card's thread: its fallback text and its blocks (what
    it changes; `Accept` and `Reject` while proposed, the decision once made)."""
    values = {
        "number": amendment.number,
        "recommendation": amendment.recommendation_number,
        "proposer": amendment.proposer_name,
        "delegation": amendment.delegation_name,
    }
    blocks: list[dict[str, Any]] = [section(render("amendment/heading.j2", **values))]
    blocks.extend(section(chunk) for chunk in mrkdwn_chunks(amendment.base_text, amendment.text))
    blocks.append(context(render("amendment/legend.j2")))
    if amendment.reason:
        blocks.append(context(render("amendment/reason.j2", reason=amendment.reason)))
    if amendment.state is AmendmentState.PROPOSED:
        blocks.append(decision_buttons(amendment.amendment_id))
    else:
        decision = render(
            "amendment/decision.j2",
            state=amendment.state.value,
            by=amendment.decided_by_name or "",
            version=version,
            reason=amendment.reject_reason,
            recommendation=amendment.recommendation_number,
            because=because,
        )
        blocks.append(section(decision))
    return render("amendment/fallback.j2", **values), blocks[:50]


def decision_buttons(amendment_id: int) -> dict[str, Any]:
    """`Accept` and `Reject` (for the author, the group's rapporteur or an organizer)."""
    value = AmendmentRef(am=amendment_id).dump()
    elements = [
        {
            "type": "button",
            "action_id": action_id,
            "text": plain(label("amendment", key)),
            "value": value,
            "style": style,
        }
        for action_id, key, style in (
            (Action.ACCEPT_AMENDMENT, "accept", "primary"),
            (Action.REJECT_AMENDMENT, "reject", "danger"),
        )
    ]
    return {"type": "actions", "block_id": Block.AMENDMENT, "elements": elements}


def accept_modal(pending: Pending, *, channel_id: str | None) -> dict[str, Any]:
    """Accepting an amendment whose text changed since: the text standing now, what the
    amendment would make of it, and a submit button that confirms both were seen."""
    amendment = pending.amendment
    names = {"recommendation": amendment.recommendation_number, "number": amendment.number}
    base = amendment.base_version
    blocks = [
        section(render("amendment/stale.j2", base=base, version=pending.current_version, **names)),
        section(render("amendment/current_label.j2", version=pending.current_version, **names)),
        *sections_for_user_text(pending.current_text),
        section(render("amendment/proposed_label.j2", **names)),
        *(section(c) for c in mrkdwn_chunks(pending.current_text, amendment.text)),
        context(render("amendment/legend.j2")),
    ]
    ref = AmendmentRef(am=amendment.amendment_id, seen=pending.current_version)
    return _frame(
        Callback.ACCEPT_MODAL,
        blocks[:MODAL_BLOCKS_MAX],
        title=plain(label("amendment", "accept_title"), 24),
        submit=plain(label("amendment", "accept_submit"), 24),
        private_metadata=ref.model_copy(update={"channel_id": channel_id}).dump(),
    )


def reject_modal(amendment: AmendmentView, *, channel_id: str | None) -> dict[str, Any]:
    """Rejecting an amendment: an optional reason."""
    ref = AmendmentRef(am=amendment.amendment_id, channel_id=channel_id)
    return _frame(
        Callback.REJECT_MODAL,
        [
            context(render("amendment/reject_intro.j2", number=amendment.number)),
            _reason_input(label("amendment", "reject_reason_label"), "reject_reason_placeholder"),
        ],
        title=plain(label("amendment", "reject_title"), 24),
        submit=plain(label("amendment", "reject_submit"), 24),
        private_metadata=ref.dump(),
    )


def _reason_input(text: str, placeholder_key: str) -> dict[str, Any]:
    return _text_input(
        Block.REASON,
        Action.REASON,
        text,
        label("amendment", placeholder_key),
        REASON_MAX,
        optional=True,
        multiline=True,
    )


def _text_input(
    block_id: Block,
    action_id: Action,
    text: str,
    placeholder: str,
    limit: int,
    *,
    initial: str | None = None,
    optional: bool = False,
    multiline: bool = False,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": action_id,
        "multiline": multiline,
        "max_length": limit,
        "placeholder": plain(placeholder, 150),
    }
    if initial:
        element["initial_value"] = initial
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(text, 2000),
        "element": element,
    }
    if optional:
        block["optional"] = True
    return block


def _frame(callback: Callback, blocks: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": plain(label("amendment", "title"), 24),
        "close": plain(label("amendment", "close"), 24),
        "blocks": blocks,
        **fields,
    }
