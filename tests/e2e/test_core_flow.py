"""The core loop through Slack's real request path: signed HTTP → Bolt → storage → Web API."""

from __future__ import annotations

import json

from storage import groups
from storage.actors import Actor
from storage.sessions import transaction
from tests.e2e.harness import ORGANIZER, Harness, card_text, dump

ORGANIZER_ACTOR = Actor(ORGANIZER, is_organizer=True)

CHANNEL = "CEEVID"
RAPPORTEUR = "URAPP1"


def setup_group(h: Harness) -> None:
    assert "Electronic evidence" in h.wg(ORGANIZER, CHANNEL, "link e-evidence")
    assert "rapporteur" in h.wg(ORGANIZER, CHANNEL, f"rapporteur <@{RAPPORTEUR}|rita>")


def test_link_appoint_country_and_status(harness: Harness):
    setup_group(harness)
    assert "Viet Nam" in harness.wg("UDEL1", CHANNEL, "country vn")
    status = harness.wg("UDEL1", CHANNEL, "status")
    assert "Electronic evidence" in status and f"<@{RAPPORTEUR}>" in status
    assert "not appointed" in status  # the other groups
    # A plain mention without a name works too.
    assert "<@UOTHER>" in harness.wg(ORGANIZER, CHANNEL, "rapporteur <@UOTHER>")


def test_unknown_group_and_country_get_clear_errors(harness: Harness):
    text = harness.wg(ORGANIZER, CHANNEL, "link cybercrime")
    for key in ("e-evidence", "financial-investigation", "asset-confiscation", "victim-protection"):
        assert key in text
    assert "ISO 3166" in harness.wg("UDEL1", CHANNEL, "country XX")
    assert "Usage" in harness.wg(ORGANIZER, CHANNEL, "rapporteur someone")
    assert "takes no arguments" in harness.wg(ORGANIZER, CHANNEL, "close now please")
    assert "I don't know `/wg frobnicate`" in harness.wg("UDEL1", CHANNEL, "frobnicate")


def test_wrong_roles_are_refused_and_nothing_changes(harness: Harness):
    refusal = harness.wg("UDEL1", CHANNEL, "link e-evidence")
    assert "organizer" in refusal
    assert "not linked" in harness.wg(ORGANIZER, CHANNEL, "close")
    setup_group(harness)
    assert "organizer" in harness.wg("UDEL1", CHANNEL, "rapporteur <@UDEL1>")
    assert "rapporteur" in harness.wg("UDEL1", CHANNEL, "close")
    harness.wg(RAPPORTEUR, CHANNEL, "close")
    assert "rapporteur" in harness.wg("UDEL1", CHANNEL, "reopen")
    assert "rapporteur" in harness.wg("UDEL1", CHANNEL, "compile")
    assert "closed" in harness.wg("UDEL1", CHANNEL, "status")
    harness.wg(RAPPORTEUR, CHANNEL, "reopen")
    assert "Only an organizer" in harness.wg(RAPPORTEUR, CHANNEL, "compile all")
    assert "open" in harness.wg("UDEL1", CHANNEL, "status")
    status = harness.wg("UDEL1", CHANNEL, "status")
    assert f"<@{RAPPORTEUR}>" in status and "<@UDEL1>" not in status


def test_submit_vote_change_repeat_and_tally(harness: Harness):
    setup_group(harness)
    harness.wg("UDEL1", CHANNEL, "country TH")
    view = harness.open_modal("UDEL1", CHANNEL, "Preserve logs for 180 days")
    text_element = next(b for b in view["blocks"] if b.get("block_id") == "text_block")["element"]
    assert text_element["initial_value"] == "Preserve logs for 180 days"
    card = harness.recommend("UDEL1", CHANNEL, "Preserve logs for 180 days", title="Log retention")
    posted = card_text(card["message"])
    assert "EE-1" in posted and "Log retention" in posted and "Thailand, TH" in posted
    assert "Electronic evidence" in posted
    buttons = [
        e["text"]["text"]
        for b in card["message"]["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert any("Support" in t for t in buttons) and any("Oppose" in t for t in buttons)
    assert any("Abstain" in t for t in buttons)

    for user, choice in [
        ("UV1", "support"),
        ("UV2", "support"),
        ("UV3", "oppose"),
        ("UV4", "abstain"),
    ]:
        assert harness.vote(user, card, choice).status == 200
    harness.vote("UV1", card, "support")  # same again: nothing changes
    harness.vote("UV4", card, "support")  # changed
    harness.settle()
    assert "Support: 3 · Oppose: 1 · Abstain: 0" in card_text(harness.card(card))
    confirmations = harness.ephemerals("UV4")
    assert any("Support" in t and "Abstain" in t for t in confirmations)
    assert any("nothing changed" in t for t in harness.ephemerals("UV1"))


def test_close_refuses_votes_then_reopen(harness: Harness):
    setup_group(harness)
    card = harness.recommend("UDEL1", CHANNEL, "Designate 24/7 contact points")
    harness.vote("UV1", card, "support")
    harness.settle()
    assert "Voting is now closed" in harness.wg(RAPPORTEUR, CHANNEL, "close")
    assert "already closed" in harness.wg(RAPPORTEUR, CHANNEL, "close")
    harness.settle()
    closed_card = {**card, "message": harness.card(card)}
    assert "closed" in card_text(closed_card["message"]).lower()
    # The card keeps its buttons: a click on the closed card is answered, and not counted.
    assert harness.vote("UV2", closed_card, "oppose").status == 200
    harness.settle()
    assert any("closed" in t for t in harness.ephemerals("UV2"))
    assert "Support: 1 · Oppose: 0" in card_text(harness.card(card))
    assert "open again" in harness.wg(ORGANIZER, CHANNEL, "reopen")
    assert "already open" in harness.wg(ORGANIZER, CHANNEL, "reopen")
    harness.vote("UV2", card, "oppose")
    harness.settle()
    assert "Support: 1 · Oppose: 1" in card_text(harness.card(card))


def test_bad_modal_input_is_answered_on_the_modal(harness: Harness):
    setup_group(harness)
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
    setup_group(harness)
    hostile = "<!channel> <!here|here> <@U999> & <https://evil.example|click>"
    card = harness.recommend("UDEL1", CHANNEL, hostile, title="<!everyone>")
    sent = dump(harness.emulator.calls())
    assert "<!channel>" not in sent and "<!everyone>" not in sent and "<@U999>" not in sent
    assert "&lt;!channel&gt;" in card_text(card["message"])
    long = "&" * 3000
    card = harness.recommend("UDEL2", CHANNEL, long)
    shown = card_text(card["message"])
    assert shown.count("&amp;") == 3000


def test_unsigned_and_stale_requests_are_refused(harness: Harness):
    body = b"command=/wg&text=link+e-evidence&user_id=UORG1&channel_id=C1&team_id=T1"
    assert (
        harness.slack.unsigned(body, {"Content-Type": "application/x-www-form-urlencoded"}).status
        == 401
    )
    stale = harness.slack.raw(
        body,
        {"Content-Type": "application/x-www-form-urlencoded"},
        timestamp=int(__import__("time").time()) - 301,
    )
    assert stale.status == 401
    assert "no channel linked" in harness.wg("UDEL1", "CX", "status")
    assert harness.emulator.calls("chat.postMessage") == []


def test_the_form_opens_with_the_channels_group_selected(harness: Harness):
    setup_group(harness)  # the link's hint is noted after its commit; commands settle
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
    harness.wg(ORGANIZER, "CSTALE", "link e-evidence")  # this process sees CSTALE linked
    # Another worker moves the group to CNEW: this process's hint is now stale.
    with transaction(harness.app.session_factory) as session:
        groups.link_channel(
            session, actor=ORGANIZER_ACTOR, channel_id="CNEW", group_key="e-evidence"
        )
    view = harness.open_modal("UDEL1", "CSTALE")
    (update,) = harness.emulator.calls("views.update")
    updated = update["params"]["view"]
    updated = updated if isinstance(updated, dict) else json.loads(updated)
    select = next(b for b in updated["blocks"] if b.get("block_id") == "group_block")["element"]
    assert "initial_option" not in select and view["id"] == update["params"]["view_id"]
    harness.open_modal("UDEL1", "CSTALE")
    harness.settle()
    assert len(harness.emulator.calls("views.update")) == 1  # the hint is right now
