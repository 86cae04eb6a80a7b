"""Amendments: proposed from the card's menu, posted in its thread word by word, accepted
or rejected with the buttons there (and, for an older text, through a form showing the
newer one)."""

from __future__ import annotations

from tests.harness import Harness

from .texts_support import (
    AUTHOR,
    CHANNEL,
    ORGANIZER,
    RAPPORTEUR,
    TEXT,
    amendment_values,
    audited,
    buttons,
    choose,
    click,
    new_modals,
    seat,
    shown,
    stored,
    submit,
    text_values,
    thread,
    view_text,
    workshop,
)

AMENDED = "Preserve traffic and subscriber logs for 365 days."


def propose(h: Harness, user: str, card: dict, text: str, reason: str | None = None) -> dict:
    view = choose(h, user, card, "Propose an amendment…")
    return submit(h, user, view, amendment_values(text, reason))


def test_proposed_numbered_and_posted_word_by_word(harness: Harness):
    card = workshop(harness)
    view = choose(harness, "UV1", card, "Propose an amendment…")
    field = next(b for b in view["blocks"] if b.get("block_id") == "text_block")["element"]
    assert (field["initial_value"], field["max_length"]) == (TEXT, 3000)
    assert submit(harness, "UV1", view, amendment_values(AMENDED, "Longer <b> & safer")) == {}
    (message,) = thread(harness, card)
    text = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section")
    assert "*Amendment EE-1/A1* to EE-1, proposed by" in text
    assert "Preserve traffic *and subscriber* logs for ~180~ *365* days." in text
    reason = [e["text"] for b in message["blocks"] if b["type"] == "context" for e in b["elements"]]
    assert "_Reason:_ Longer &lt;b&gt; &amp; safer" in reason
    assert buttons(message) == ["accept_amendment", "reject_amendment"]
    assert "is posted in the card's thread" in harness.ephemerals("UV1")[-1]
    assert propose(harness, "UV2", card, TEXT + " Also backups.") == {}
    assert "*Amendment EE-1/A2*" in thread(harness, card)[-1]["blocks"][0]["text"]["text"]
    assert audited(harness, "amendment") == [
        ("amendment_propose", "EE-1/A1"),
        ("amendment_propose", "EE-1/A2"),
    ]


def test_must_differ_fit_and_be_proposed_by_whoever_may_vote(harness: Harness):
    card = workshop(harness)
    answer = propose(harness, "UV1", card, TEXT)
    assert "is the text of *EE-1* as it stands" in answer["errors"]["text_block"]
    answer = propose(harness, "UV1", card, "x" * 3001)
    assert "at most 3000 characters; yours has 3001" in answer["errors"]["text_block"]
    seat(harness, "UOBS1", "UNODC", "observer")
    refused = choose(harness, "UOBS1", card, "Propose an amendment…")
    assert "you take part as an observer (UNODC)" in view_text(refused)
    assert "as an observer" in harness.ephemerals("UOBS1")[-1]
    harness.wg(RAPPORTEUR, CHANNEL, "procedure delegation")
    refused = choose(harness, "UV1", card, "Propose an amendment…")
    assert "not on the participant list as a delegate" in view_text(refused)
    assert thread(harness, card) == []


def test_the_author_accepts_it_voters_are_told_and_the_card_shows_the_new_version(
    harness: Harness,
):
    card = workshop(harness)
    harness.vote("UV1", card, "support")
    propose(harness, "UV2", card, AMENDED)
    (message,) = thread(harness, card)
    click(harness, "USOMEONE", message, "accept_amendment")
    assert (
        "Only the author of *EE-1*, the rapporteur of Electronic evidence or an organizer can accept"
        in harness.ephemerals("USOMEONE")[-1]
    )
    assert stored(harness).text == TEXT
    click(harness, AUTHOR, message, "accept_amendment")
    harness.settle()
    assert stored(harness).text == AMENDED
    assert "Edited · v2" in shown(harness, card)
    assert AMENDED in shown(harness, card)
    assert harness.ephemerals("UV1")[-1] == (
        "EE-1 was edited after you voted Support (amendment EE-1/A1 accepted). "
        "Your vote stands; change it on the card if you wish."
    )
    (message,) = thread(harness, card)
    assert buttons(message) == []
    assert (
        ":white_check_mark: Accepted by name-UDEL1: EE-1 is now v2."
        in message["blocks"][-1]["text"]["text"]
    )
    click_again = harness.slack.block_action(
        RAPPORTEUR,
        channel_id=CHANNEL,
        message_ts=message["ts"],
        action_id="accept_amendment",
        value='{"am":1}',
    )
    assert click_again.status == 200
    harness.settle()
    assert "*EE-1/A1* was already accepted" in harness.ephemerals(RAPPORTEUR)[-1]
    assert audited(harness, "amendment_accept") == [("amendment_accept", "EE-1/A1")]


def test_the_rapporteur_rejects_it_with_a_reason(harness: Harness):
    card = workshop(harness)
    propose(harness, "UV2", card, AMENDED)
    (message,) = thread(harness, card)
    before = set(harness.emulator.views())
    click(harness, "USOMEONE", message, "reject_amendment")
    (refused,) = new_modals(harness, before)
    assert "can reject its amendments" in view_text(refused)
    assert refused.get("submit") is None
    assert "can reject its amendments" in harness.ephemerals("USOMEONE")[-1]
    before = set(harness.emulator.views())
    click(harness, RAPPORTEUR, message, "reject_amendment")
    (view,) = new_modals(harness, before)
    assert view["callback_id"] == "reject_amendment_modal"
    reason = {"reason_block": {"reason_input": {"type": "plain_text_input", "value": "Too long"}}}
    assert submit(harness, RAPPORTEUR, view, reason) == {}
    (message,) = thread(harness, card)
    assert buttons(message) == []
    assert ":x: Rejected by User URAPP1. Reason: Too long" in message["blocks"][-1]["text"]["text"]
    assert stored(harness).text == TEXT
    assert "Edited" not in shown(harness, card)
    assert audited(harness, "amendment_reject") == [("amendment_reject", "EE-1/A1")]


def test_an_amendment_to_an_older_text_is_accepted_only_once_the_newer_one_is_seen(
    harness: Harness,
):
    card = workshop(harness)
    propose(harness, "UV2", card, AMENDED)
    edit = choose(harness, AUTHOR, card, "Edit…")
    newer = "Preserve traffic logs for 200 days."
    assert submit(harness, AUTHOR, edit, text_values(newer)) == {}
    (message,) = thread(harness, card)
    before = set(harness.emulator.views())
    click(harness, ORGANIZER, message, "accept_amendment")
    (view,) = new_modals(harness, before)
    assert view["callback_id"] == "accept_amendment_modal"
    said = view_text(view)
    assert "changed since *EE-1/A1* was proposed (against v1; it is now v2)" in said
    assert newer in said  # the text standing now
    assert "~200~ *365*" in said
    assert stored(harness).text == newer  # nothing accepted by the click alone
    # Meanwhile the author edits again: the form shown is out of date.
    edit = choose(harness, AUTHOR, card, "Edit…")
    newest = "Preserve traffic logs for 250 days."
    assert submit(harness, AUTHOR, edit, text_values(newest)) == {}
    answer = submit(harness, ORGANIZER, view, {})
    assert answer["response_action"] == "update"
    assert "it is now v3" in view_text(answer["view"])
    assert stored(harness).text == newest
    click(harness, ORGANIZER, message, "accept_amendment")
    (view,) = new_modals(harness, before)[-1:]
    assert "it is now v3" in view_text(view) and newest in view_text(view)
    assert submit(harness, ORGANIZER, view, {}) == {}
    rec = stored(harness)
    assert (rec.text, rec.version) == (AMENDED, 4)


def test_closed_group_refuses_and_withdrawal_closes_pending_ones(harness: Harness):
    card = workshop(harness)
    propose(harness, "UV2", card, AMENDED)
    harness.wg(RAPPORTEUR, CHANNEL, "close")
    (message,) = thread(harness, card)
    click(harness, AUTHOR, message, "accept_amendment")
    assert "Voting is closed in Electronic evidence" in harness.ephemerals(AUTHOR)[-1]
    refused = choose(harness, "UV3", card, "Propose an amendment…")
    assert "Voting is closed" in view_text(refused)
    harness.wg(RAPPORTEUR, CHANNEL, "reopen")
    view = choose(harness, AUTHOR, card, "Withdraw")
    assert submit(harness, AUTHOR, view, {}) == {}
    (message,) = thread(harness, card)
    assert buttons(message) == []
    assert (
        "Withdrawn: EE-1 was withdrawn before a decision." in message["blocks"][-1]["text"]["text"]
    )
    assert audited(harness, "amendment_withdraw") == [("amendment_withdraw", "EE-1/A1")]


def test_a_refused_thread_post_is_told_and_posted_later_by_the_sweep(harness: Harness):
    import time

    from bot.delivery import sweep

    card = workshop(harness)
    harness.emulator.fail("chat.postMessage", error="not_in_channel")
    propose(harness, "UV2", card, AMENDED)
    assert thread(harness, card) == []
    told = harness.ephemerals("UV2")[-1]
    assert "*EE-1/A1* is recorded, but Slack did not let us post it" in told
    assert "(not_in_channel)" in told
    sweeper = harness.app.background.scheduler.handlers[sweep.KIND]
    sweeper.amendments.resume(time.time())  # too soon: still the request's
    assert thread(harness, card) == []
    sweeper.amendments.resume(time.time() + 60)
    (message,) = thread(harness, card)
    assert buttons(message) == ["accept_amendment", "reject_amendment"]
    sweeper.amendments.resume(time.time() + 120)  # posted once, not again
    assert len(thread(harness, card)) == 1
    click(harness, AUTHOR, message, "accept_amendment")
    assert stored(harness).text == AMENDED
