"""The App Home tab, through signed events against the emulator."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator.payloads import (
    VERIFICATION_TOKEN,
    action_object,
    new_event_id,
    new_trigger_id,
    team_object,
    user_object,
)
from bot.emulator.state import APP_ID
from storage import audit, recommendations
from storage.actors import Actor
from storage.countries import country_name
from storage.recommendations import Draft
from storage.sessions import transaction
from tests.harness import BOT_TOKEN, ORGANIZER, Harness, card_text, dump, home_opened, rec_value


def test_home_shows_role_delegation_and_groups(harness: Harness):
    harness.link("CEE", rapporteur="URAP")
    harness.wg("URAP", "CEE", "country KR")
    response = harness.slack.event(home_opened("URAP"), event_id="Ev1")
    assert response.status == 200
    harness.settle()
    view = harness.emulator.home_view("URAP")
    text = dump(view)
    assert "rapporteur" in text and country_name("KR") in text
    assert "Electronic evidence" in text
    harness.slack.event(home_opened(ORGANIZER), event_id="Ev2")
    harness.settle()
    assert "organizer" in dump(harness.emulator.home_view(ORGANIZER))


def test_user_names_are_escaped_on_home(harness: Harness):
    harness.emulator.add_user("UEVIL", real_name="<!channel>", profile={"real_name": "<!channel>"})
    harness.slack.command("UEVIL", "C1", "/wg", "country PH", user_name="<!here>")
    harness.settle()
    harness.slack.event(home_opened("UEVIL"), event_id="Ev3")
    harness.settle()
    sent = dump([c for c in harness.emulator.calls() if c["method"] != "users.info"])
    assert "<!channel>" not in sent and "<!here>" not in sent
    assert "&lt;!channel&gt;" in dump(harness.emulator.home_view("UEVIL"))


def test_home_lists_the_persons_own_groups_first(harness: Harness):
    harness.link("CEE")
    card = harness.recommend("UDEL1", "CEE", "Preserve subscriber data for 180 days")
    harness.vote("UDEL1", card, "support")
    harness.settle()
    harness.slack.event(home_opened("UDEL1"), event_id="EvOwn")
    harness.slack.event(home_opened("UNEW"), event_id="EvNew")
    harness.settle()
    text = dump(harness.emulator.home_view("UDEL1"))
    own, others = text.split("Other groups")
    assert "Your groups" in own and "Electronic evidence" in own
    assert "you submitted 1" in own and "you voted on 1" in own
    assert "Financial investigation" in others and "Electronic evidence" not in others
    newcomer = dump(harness.emulator.home_view("UNEW"))
    assert "not submitted or voted" in newcomer and "Electronic evidence" in newcomer


# --- App Home for everyone, the vote buttons, the cockpit ---------------------------------


def open_home(h: Harness, user: str, view: dict[str, Any] | None = None) -> dict[str, Any]:
    """Open the Home tab (with the view Slack shows, if any); the view published then."""
    event = {**home_opened(user), **({"view": view} if view else {})}
    assert h.slack.event(event, event_id=new_event_id()).status == 200
    h.settle()
    return published(h, user)


def published(h: Harness, user: str) -> dict[str, Any]:
    view = h.emulator.home_view(user)
    assert view is not None, f"no Home published for {user}"
    return view


def buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def click(h: Harness, user: str, action_id: str, value: str | None = None) -> None:
    """Click a button of the person's Home, as Slack sends it (no channel: a view)."""
    view = published(h, user)
    element = next(
        (e for e in buttons(view) if e["action_id"] == action_id and value in (None, e["value"])),
        None,
    )
    assert element is not None, f"no {action_id} button on the Home of {user}"
    block = next(b for b in view["blocks"] if element in b.get("elements", []))
    payload = {
        "type": "block_actions",
        "user": user_object(user, f"name-{user}"),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {"type": "view", "view_id": view["id"]},
        "trigger_id": new_trigger_id(),
        "team": team_object(),
        "enterprise": None,
        "is_enterprise_install": False,
        "view": view,
        "state": {"values": {}},
        "actions": [
            action_object(action_id, block.get("block_id") or "b", element["value"], element)
        ],
    }
    assert h.slack.interaction(payload).status == 200
    h.settle()


def direct_messages(h: Harness, user: str) -> list[str]:
    return [
        c["params"].get("text", "")
        for c in h.emulator.calls("chat.postMessage")
        if c["params"].get("channel") == user
    ]


def sections(view: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]


def test_role_and_delegation_from_the_participant_list_else_declared(harness: Harness):
    harness.link("CEE")
    assert "Thailand" in harness.wg(ORGANIZER, "CEE", "seat <@UTH|uth> TH")
    harness.wg(ORGANIZER, "CEE", "seat <@UOBS|uobs> observer INTERPOL")
    harness.wg("UDECL", "CEE", "country PH")
    listed = dump(open_home(harness, "UTH"))
    assert "delegate" in listed and "Thailand" in listed and "(participant list)" in listed
    declared = dump(open_home(harness, "UDECL"))
    assert country_name("PH") in declared and "(declared)" in declared
    observer = dump(open_home(harness, "UOBS"))
    assert "observer" in observer and "INTERPOL" in observer


def test_waiting_for_your_vote_with_the_cards_own_buttons(harness: Harness):
    harness.link("CEE")
    first = harness.recommend("UAUTHOR", "CEE", "Designate 24/7 contact points")
    second = harness.recommend("UAUTHOR", "CEE", "Share <templates> & forms", title="Templates")
    harness.vote("UDEL", first, "support")
    harness.settle()
    view = open_home(harness, "UDEL")
    text = dump(view)
    assert (
        "Waiting for your vote" in text
        and "EE-2" in text
        and "EE-1" not in text.split("Your recommendations")[0]
    )
    # The card's action ids and values: the vote listener takes a click here as one there.
    card_buttons = {
        (e["action_id"], e["value"]) for e in buttons({"blocks": second["message"]["blocks"]})
    }
    home_buttons = {(e["action_id"], e["value"]) for e in buttons(view)}
    assert {a for a, v in card_buttons if a.startswith("vote_")} == {
        "vote_support",
        "vote_oppose",
        "vote_abstain",
    }
    assert {(a, v) for a, v in card_buttons if a.startswith("vote_")} <= home_buttons
    assert "Templates" in text
    nothing = dump(open_home(harness, "UAUTHOR"))
    assert "EE-1" in nothing and "EE-2" in nothing  # the author has not voted either


def test_a_vote_from_home_counts_as_one_on_the_card_and_leaves_the_list(harness: Harness):
    harness.link("CEE")
    card = harness.recommend("UAUTHOR", "CEE", "Designate 24/7 contact points")
    open_home(harness, "UDEL")
    before = len(harness.emulator.calls("chat.update"))
    click(harness, "UDEL", "vote_oppose", rec_value(card["message"]))
    updates = harness.emulator.calls("chat.update")[before:]
    assert updates and updates[-1]["params"]["ts"] == card["ts"]
    assert "Support: 0 · Oppose: 1 · Abstain: 0" in card_text(harness.card(card))
    assert any("Oppose" in text for text in direct_messages(harness, "UDEL"))  # confirmed
    refreshed = published(harness, "UDEL")
    assert "Nothing is waiting for your vote" in dump(refreshed)
    with harness.app.session_factory() as session:
        assert [
            (e.actor_user_id, e.target) for e in audit.entries(session) if e.action == "vote"
        ] == [("UDEL", "EE-1")]


def test_waiting_per_procedure_delegation_and_consensus(harness: Harness):
    harness.link("CEE", rapporteur="URAP")
    harness.link("CVP", key="victim-protection", rapporteur="URAP2")
    for user, code in (("UVN1", "VN"), ("UVN2", "VN"), ("UTH", "TH")):
        harness.wg(ORGANIZER, "CEE", f"seat <@{user}|{user}> {code}")
    harness.wg("URAP", "CEE", "procedure delegation")
    harness.wg("URAP2", "CVP", "procedure consensus")
    card = harness.recommend("UVN1", "CEE", "Designate 24/7 contact points")
    harness.recommend("UVN1", "CVP", "Protect witnesses online")
    harness.vote("UVN1", card, "support")
    harness.settle()
    vn2, th = dump(open_home(harness, "UVN2")), dump(open_home(harness, "UTH"))
    assert "EE-1" not in vn2.split("Your recommendations")[0]  # Viet Nam has voted on it
    assert "EE-1" in th.split("Your recommendations")[0]
    for text in (vn2, th):
        assert "No objection needed" in text and "Victim and witness protection" in text
        assert "VP-1" not in text.split("Your recommendations")[0]


def test_own_recommendations_with_their_state_and_the_groups_deadlines(harness: Harness):
    harness.link("CEE", rapporteur="URAP")
    card = harness.recommend("UAUTHOR", "CEE", "Designate 24/7 contact points")
    harness.vote("UV1", card, "support")
    harness.settle()
    text = dump(open_home(harness, "UAUTHOR"))
    assert "Your recommendations" in text and "EE-1" in text
    assert "open · adopted so far (Support: 1 · Oppose: 0 · Abstain: 0)" in text
    assert "Deadlines" not in text
    harness.wg("URAP", "CEE", "deadline in 45 minutes")
    text = dump(published(harness, "UAUTHOR"))  # the deadline concerned the author's Home
    assert "Deadlines" in text and "Electronic evidence" in text and "(UTC), in 45 minutes" in text
    harness.wg("URAP", "CEE", "close")
    text = dump(published(harness, "UAUTHOR"))  # the close concerned the author's Home
    assert "closed · adopted (Support: 1" in text and "Deadlines" not in text


def test_the_cockpit_is_for_rapporteurs_their_groups_and_organizers_every_group(harness: Harness):
    harness.link("CEE", rapporteur="URAP")
    harness.link("CFI", key="financial-investigation")
    card = harness.recommend("UAUTHOR", "CEE", "Designate 24/7 contact points")
    harness.vote("UV1", card, "support")
    harness.settle()
    rapporteur = open_home(harness, "URAP")
    assert {e["text"]["text"] for e in buttons(rapporteur)} >= {"Close", "Reopen", "Compile"}
    assert {e["value"] for e in buttons(rapporteur) if e["action_id"] == "home_close"} == {
        '{"group":"e-evidence"}'
    }
    state = next(t for t in sections(rapporteur) if t.startswith("*Electronic evidence* ·"))
    assert "decides by vote" in state and "open" in state
    assert "1 recommendation · 1 vote cast · participation 50% (1 of 2 people)" in state
    organizer = open_home(harness, ORGANIZER)
    closes = [e["value"] for e in buttons(organizer) if e["action_id"] == "home_close"]
    assert closes == ['{"group":"e-evidence"}', '{"group":"financial-investigation"}']
    assert "Victim and witness protection* · decides by vote" in dump(organizer)
    delegate = open_home(harness, "UAUTHOR")
    assert not [e for e in buttons(delegate) if e["action_id"].startswith("home_")]


def test_close_and_reopen_from_home_as_the_commands_do(harness: Harness):
    harness.link("CEE", rapporteur="URAP")
    card = harness.recommend("UAUTHOR", "CEE", "Designate 24/7 contact points")
    open_home(harness, "URAP")
    before_close = open_home(harness, "UAUTHOR")
    click(harness, "URAP", "home_close")
    assert "closed" in card_text(harness.card(card)).lower()  # the cards show it
    assert any(
        "Voting is now closed in *Electronic evidence*" in t
        for t in direct_messages(harness, "URAP")
    )
    assert ":lock: closed" in dump(published(harness, "URAP"))
    assert "Nothing is waiting for your vote" in dump(published(harness, "UAUTHOR"))
    harness.vote("UV1", card, "support")
    harness.settle()
    assert any("closed" in t for t in harness.ephemerals("UV1"))  # votes are refused
    harness.emulator.state.views[before_close["id"]] = before_close  # a Home not yet refreshed
    click(harness, "UAUTHOR", "vote_support")
    assert any(
        "Voting is closed in Electronic evidence" in t for t in direct_messages(harness, "UAUTHOR")
    )  # a refusal in Home: told in a direct message, as Home has no channel
    click(harness, "URAP", "home_reopen")
    assert any("open again" in t for t in direct_messages(harness, "URAP"))
    assert ":unlock: open" in dump(published(harness, "URAP"))
    with harness.app.session_factory() as session:
        changes = [(e.actor_user_id, e.action) for e in audit.entries(session)]
    assert ("URAP", "close") in changes and ("URAP", "reopen") in changes


def test_cockpit_buttons_are_refused_to_others_and_nothing_changes(harness: Harness):
    harness.link("CEE", rapporteur="URAP")
    harness.link("CFI", key="financial-investigation", rapporteur="URAP2")
    harness.recommend("UAUTHOR", "CEE", "Designate 24/7 contact points")
    open_home(harness, "URAP2")
    forged = published(harness, "URAP2")  # their Home, with a button naming another group
    for element in buttons(forged):
        if element["action_id"].startswith("home_"):
            element["value"] = '{"group":"e-evidence"}'
    harness.emulator.state.views[forged["id"]] = forged
    click(harness, "URAP2", "home_close")
    click(harness, "URAP2", "home_compile")
    refusals = direct_messages(harness, "URAP2")
    assert len([t for t in refusals if "Only the rapporteur of Electronic evidence" in t]) == 2
    assert not harness.emulator.uploads()
    with harness.app.session_factory() as session:
        assert not [e for e in audit.entries(session) if e.action in ("close", "compile")]
    assert "Voting is open" in card_text(harness.emulator.messages("CEE")[0])


def test_compile_from_home_uploads_to_the_groups_channel_and_lists_the_document(
    harness: Harness,
):
    harness.link("CEE", rapporteur="URAP")
    harness.recommend("UAUTHOR", "CEE", "Designate 24/7 contact points")
    open_home(harness, "URAP")
    click(harness, "URAP", "home_compile")
    assert any("will appear in <#CEE>" in t for t in direct_messages(harness, "URAP"))
    docx = [u for u in harness.emulator.uploads() if u["filename"].endswith(".docx")]
    assert [u["channel_id"] for u in docx] == ["CEE"]
    completed = harness.emulator.calls("files.completeUploadExternal")[-1]["response"]
    permalink = next(f["permalink"] for f in completed["files"] if f["name"].endswith(".docx"))
    text = dump(published(harness, "URAP"))
    assert "Latest outcome documents" in text and f"<{permalink}|the outcome document>" in text
    with harness.app.session_factory() as session:
        assert [e.actor_user_id for e in audit.entries(session) if e.action == "compile"] == [
            "URAP"
        ]


def test_the_emulator_refuses_a_home_of_more_than_100_blocks(harness: Harness):
    client = WebClient(token=BOT_TOKEN, base_url=harness.emulator.api_url)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 101
    with pytest.raises(SlackApiError) as refused:
        client.views_publish(user_id="U1", view={"type": "home", "blocks": blocks})
    assert refused.value.response["error"] == "invalid_blocks"
    client.views_publish(user_id="U1", view={"type": "home", "blocks": blocks[:100]})


def test_home_with_300_recommendations_stays_within_limits_and_its_vote_buttons_work(
    harness: Harness,
):
    harness.link("CEE")
    harness.link("CFI", key="financial-investigation")
    submit_many(harness, "e-evidence", 25)  # EE-1 … EE-25: page 1 and the start of page 2
    card = harness.recommend("UAUTHOR", "CEE", "A card on the second page")  # EE-26
    submit_many(harness, "e-evidence", 124, long=True)
    submit_many(harness, "financial-investigation", 150, long=True)
    first = open_home(harness, "UDEL")
    assert_within_limits(first)
    assert "300 recommendations · page 1 of 15 (1–20)" in dump(first)
    assert "Electronic evidence: 150 · Financial investigation: 150" in dump(first)
    assert [e["text"]["text"] for e in buttons(first) if e["action_id"].startswith("home_")] == [
        "Next"
    ]
    click(harness, "UDEL", "home_next")
    second = published(harness, "UDEL")
    assert_within_limits(second)
    assert "page 2 of 15 (21–40)" in dump(second) and "*EE-26*" in dump(second)
    assert "*EE-1* " not in dump(second)
    assert [e["text"]["text"] for e in buttons(second) if e["action_id"].startswith("home_")] == [
        "Previous",
        "Next",
    ]
    click(harness, "UDEL", "vote_support", rec_value(card["message"]))
    assert "Support: 1 · Oppose: 0 · Abstain: 0" in card_text(harness.card(card))
    after = published(harness, "UDEL")
    assert_within_limits(after)
    assert "299 recommendations · page 2 of 15" in dump(after) and "*EE-26*" not in dump(after)
    reopened = open_home(harness, "UDEL", view=after)  # the tab opened again keeps its page
    assert "page 2 of 15" in dump(reopened)
    click(harness, "UDEL", "home_previous")
    assert "page 1 of 15 (1–20)" in dump(published(harness, "UDEL"))
    failed = [c for c in harness.emulator.calls("views.publish") if not c["response"]["ok"]]
    assert failed == []


def submit_many(h: Harness, key: str, count: int, *, long: bool = False) -> None:
    """Store recommendations directly (their cards are not the point here)."""
    words = "Preserve <subscriber> data & traffic data across borders " * (40 if long else 1)
    with transaction(h.app.session_factory) as session:
        for n in range(count):
            recommendations.submit(
                session,
                actor=Actor(f"UAUTH{n % 7}"),
                draft=Draft(group_key=key, text=f"{words} {key} {n}"),
                submission_key=None,
            )


def assert_within_limits(view: dict[str, Any]) -> None:
    assert len(view["blocks"]) <= 100
    texts = [b["text"]["text"] for b in view["blocks"] if "text" in b]
    texts += [e["text"] for b in view["blocks"] if b["type"] == "context" for e in b["elements"]]
    assert texts and max(len(t) for t in texts) <= 3000
    assert len(dump(view)) < 100_000


def test_a_burst_of_votes_refreshes_the_voters_home_once_per_interval(harness: Harness):
    harness.link("CEE")
    cards = [harness.recommend("UAUTHOR", "CEE", f"Recommendation number {n}") for n in range(5)]
    open_home(harness, "UDEL")
    before = len(publishes(harness, "UDEL"))
    for card in cards:
        assert harness.vote("UDEL", card, "support").status == 200
    harness.settle()
    assert 1 <= len(publishes(harness, "UDEL")) - before <= 2
    assert "Nothing is waiting for your vote" in dump(published(harness, "UDEL"))
    # Someone voting on a card, who was not shown their Home lately, costs no publish: their
    # Home is read afresh when they open it.
    harness.vote("UCARDS", cards[0], "oppose")
    harness.settle()
    assert publishes(harness, "UCARDS") == []


def test_a_rate_limited_home_is_published_after_slacks_retry_after(harness: Harness):
    harness.link("CEE")
    harness.recommend("UAUTHOR", "CEE", "Designate 24/7 contact points")
    harness.emulator.fail("views.publish", retry_after=1)
    view = open_home(harness, "UDEL")
    assert "EE-1" in dump(view)
    answers = [c.get("fault") is None for c in publishes(harness, "UDEL")]
    assert answers == [False, True]


def publishes(h: Harness, user: str) -> list[dict[str, Any]]:
    return [c for c in h.emulator.calls("views.publish") if c["params"].get("user_id") == user]
