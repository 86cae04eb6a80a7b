"""`/recommend`: through signed requests against the emulator, and the submission directly."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.emulator import state_value_select, state_value_text
from bot.listeners.recommend import submit
from bot.runtime.followups import Followups
from bot.slack.ids import Action, Block
from bot.slack.values import FormContext
from storage import groups
from storage.countries import country_name
from storage.limits import TEXT_MAX, TITLE_MAX
from storage.models import Recommendation
from storage.sessions import transaction
from tests.factories import ORGANIZER as ORGANIZER_ACTOR
from tests.factories import delegate
from tests.harness import Harness, card_text, dump

CHANNEL = "CEEVID"


# --- through Slack's request path -------------------------------------------------------


def test_the_form_opens_prefilled_and_its_card_shows_the_submission(harness: Harness):
    harness.link(CHANNEL)
    harness.wg("UDEL1", CHANNEL, "country TH")
    view = harness.open_modal("UDEL1", CHANNEL, "Preserve logs for 180 days")
    text_element = next(b for b in view["blocks"] if b.get("block_id") == "text_block")["element"]
    assert text_element["initial_value"] == "Preserve logs for 180 days"
    card = harness.recommend("UDEL1", CHANNEL, "Preserve logs for 180 days", title="Log retention")
    assert card["channel"] == CHANNEL
    posted = card_text(card["message"])
    assert "EE-1" in posted and "Log retention" in posted
    assert f"({country_name('TH')}, TH)" in posted and "Electronic evidence" in posted
    buttons = [
        e["text"]["text"]
        for b in card["message"]["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert any("Support" in t for t in buttons) and any("Oppose" in t for t in buttons)
    assert any("Abstain" in t for t in buttons)
    told = harness.ephemerals("UDEL1")
    assert any("*EE-1* is recorded and posted" in t for t in told), told


def test_bad_modal_input_is_answered_on_the_modal(harness: Harness):
    harness.link(CHANNEL)
    view = harness.open_modal("UDEL1", CHANNEL)
    for text in ["", "   \n ", "ក" * 3001]:
        response = harness.submit_modal("UDEL1", view, text=text)
        body = response.json()
        assert body["response_action"] == "errors"
        assert "text_block" in body["errors"]
    response = harness.submit_modal("UDEL1", view, text="fine", group=None)
    assert "group_block" in response.json()["errors"]
    # Every bad field is named at once, each under its own input.
    response = harness.submit_modal("UDEL1", view, text=" ", group=None)
    assert set(response.json()["errors"]) == {"text_block", "group_block"}
    assert harness.emulator.calls("chat.postMessage") == []
    assert "0 recommendations" in harness.wg("UDEL1", CHANNEL, "status")


def test_user_text_pings_nobody_and_long_text_fits(harness: Harness):
    harness.link(CHANNEL)
    hostile = "<!channel> <!here|here> <@U999> & <https://evil.example|click>"
    card = harness.recommend("UDEL1", CHANNEL, hostile, title="<!everyone>")
    sent = dump(harness.emulator.calls())
    assert "<!channel>" not in sent and "<!everyone>" not in sent and "<@U999>" not in sent
    assert "&lt;!channel&gt;" in card_text(card["message"])
    long = "&" * 3000
    card = harness.recommend("UDEL2", CHANNEL, long)
    shown = card_text(card["message"])
    assert shown.count("&amp;") == 3000


def test_the_form_opens_with_the_channels_group_selected(harness: Harness):
    harness.link(CHANNEL)  # the link's hint is noted after its commit; commands settle
    harness.open_modal("UDEL1", CHANNEL, "first")
    harness.open_modal("UDEL1", "CELSEWHERE", "unlinked channel")
    opened = [c["params"]["view"] for c in harness.emulator.calls("views.open")]
    views = [v if isinstance(v, dict) else json.loads(v) for v in opened]
    selects = [
        next(b for b in view["blocks"] if b.get("block_id") == "group_block")["element"]
        for view in views
    ]
    assert selects[0]["initial_option"]["value"] == "e-evidence"
    assert "initial_option" not in selects[1]
    assert harness.emulator.calls("views.update") == []  # nothing to correct afterwards


def test_a_stale_form_default_is_corrected_from_the_record(harness: Harness):
    harness.link("CSTALE")  # this process sees CSTALE linked
    # Another worker moves the group to CNEW: this process's hint is now stale.
    with transaction(harness.app.session_factory) as session:
        groups.link_channel(
            session, actor=ORGANIZER_ACTOR, channel_id="CNEW", group_key="e-evidence"
        )
    view = harness.open_modal("UDEL1", "CSTALE")
    (update,) = harness.emulator.calls("views.update")
    updated = update["params"]["view"]
    updated = updated if isinstance(updated, dict) else json.loads(updated)
    select_ = next(b for b in updated["blocks"] if b.get("block_id") == "group_block")["element"]
    assert "initial_option" not in select_ and view["id"] == update["params"]["view_id"]
    harness.open_modal("UDEL1", "CSTALE")
    harness.settle()
    assert len(harness.emulator.calls("views.update")) == 1  # the hint is right now


# --- the submission, called directly ----------------------------------------------------


class Recorded:
    """Fakes of `ack`, CardPosts and Notices, writing what they are asked into one log."""

    def __init__(self) -> None:
        self.log: list[tuple[Any, ...]] = []

    def ack(self, **kwargs: Any) -> None:
        self.log.append(("ack", kwargs))

    def post(self, rec_id: int, channel_id: str, user_id: str, origin: str | None) -> None:
        self.log.append(("post", rec_id, channel_id, user_id, origin))

    def ephemeral(self, channel_id: str | None, user_id: str, text: str) -> None:
        self.log.append(("ephemeral", channel_id, user_id, text))


def form(
    text: str | None,
    group: str | None = "e-evidence",
    *,
    title: str | None = None,
    view_id: str = "V1",
    origin: str = "CORIGIN",
) -> dict[str, Any]:
    """A submitted recommendation form, as Slack sends its view."""
    values = {
        Block.TEXT: {Action.TEXT: state_value_text(text)},
        Block.TITLE: {Action.TITLE: state_value_text(title)},
        Block.GROUP: {Action.GROUP: state_value_select(group)},
    }
    return {
        "id": view_id,
        "private_metadata": FormContext(channel_id=origin).dump(),
        "state": {"values": values},
    }


def call_submit(session: Session, view: dict[str, Any]) -> tuple[Recorded, Followups]:
    fakes, followups = Recorded(), Followups()
    context = {"session": session, "actor": delegate("UDEL1"), "followups": followups}
    submit(fakes.ack, view, context, posts=fakes, notices=fakes)  # type: ignore[arg-type]
    return fakes, followups


def stored(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Recommendation)) or 0


@pytest.mark.parametrize(
    ("view", "errors"),
    [
        (
            form(""),
            {Block.TEXT: "The recommendation is required: please write something."},
        ),
        (
            form("   \n "),
            {Block.TEXT: "The recommendation is required: please write something."},
        ),
        (
            form("x" * (TEXT_MAX + 1)),
            {
                Block.TEXT: f"The recommendation can be at most {TEXT_MAX} characters; "
                f"yours has {TEXT_MAX + 1}. Please shorten it."
            },
        ),
        (
            form(None, group=None, title="t" * (TITLE_MAX + 1)),
            {
                Block.TEXT: "The recommendation is required: please write something.",
                Block.TITLE: f"The title can be at most {TITLE_MAX} characters; "
                f"yours has {TITLE_MAX + 1}. Please shorten it.",
                Block.GROUP: "The group is required: please write something.",
            },
        ),
    ],
)
def test_field_problems_are_answered_on_the_form_and_nothing_is_stored(
    session: Session, view: dict[str, Any], errors: dict[str, str]
):
    fakes, followups = call_submit(session, view)
    assert fakes.log == [("ack", {"response_action": "errors", "errors": errors})]
    assert followups.after_commit == [] and followups.always == []
    assert not session.new and not session.dirty
    assert stored(session) == 0


def test_a_submission_is_stored_and_its_card_posted_after_the_commit(session: Session):
    groups.link_channel(session, actor=ORGANIZER_ACTOR, channel_id="CEE", group_key="e-evidence")
    fakes, followups = call_submit(session, form("Preserve logs", title="Logs"))
    assert fakes.log == [("ack", {})]  # nothing is posted before the commit
    session.commit()
    rec = session.scalars(select(Recommendation)).one()
    assert (rec.number, rec.text, rec.title) == ("EE-1", "Preserve logs", "Logs")
    assert [name for name, _ in followups.after_commit] == ["post card"]
    for _, job in followups.after_commit:
        job()
    # Posted in the group's channel; the submitter is told where the form was opened.
    assert fakes.log[1:] == [("post", rec.id, "CEE", "UDEL1", "CORIGIN")]


def test_the_same_form_submitted_again_is_only_answered(session: Session):
    groups.link_channel(session, actor=ORGANIZER_ACTOR, channel_id="CEE", group_key="e-evidence")
    call_submit(session, form("Preserve logs"))
    session.commit()
    fakes, followups = call_submit(session, form("Preserve logs"))
    assert fakes.log == [("ack", {})] and followups.after_commit == []
    for _, job in followups.always:
        job()
    assert fakes.log[1:] == [
        (
            "ephemeral",
            "CORIGIN",
            "UDEL1",
            "You already submitted this as *EE-1*; nothing new was recorded.",
        )
    ]
    assert stored(session) == 1
