"""Web API faults (429, 5xx, drops) and repeated deliveries lose nothing and count nothing twice."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from bot.logs import JsonFormatter
from storage.models import AuditEntry
from tests.harness import ORGANIZER, Harness, card_text, start_harness

CHANNEL = "CFI"


def link(h: Harness) -> None:
    h.wg(ORGANIZER, CHANNEL, "link financial-investigation")


def test_card_post_survives_a_5xx(harness: Harness):
    link(harness)
    harness.emulator.fail("chat.postMessage", status=500, times=1)
    card = harness.recommend(
        "UDEL1", CHANNEL, "Share suspicious transaction reports within 48 hours"
    )
    assert "FI-1" in card_text(card["message"])
    assert any("FI-1" in t and "posted" in t for t in harness.ephemerals("UDEL1"))


def test_card_post_failing_for_good_tells_the_submitter_and_keeps_the_record(harness: Harness):
    link(harness)
    harness.emulator.fail("chat.postMessage", status=503, times=50)
    view = harness.open_modal("UDEL1", CHANNEL)
    response = harness.submit_modal("UDEL1", view, text="Freeze crypto wallets on request")
    assert response.status == 200
    assert any("could not be posted" in t for t in harness.ephemerals("UDEL1"))
    assert "1 recommendation" in harness.wg("UDEL1", CHANNEL, "status")


def test_views_open_5xx_is_retried_or_explained(harness: Harness):
    link(harness)
    harness.emulator.fail("views.open", status=500, times=1)
    view = harness.open_modal("UDEL1", CHANNEL, "first try")
    assert view["callback_id"] == "recommend_modal"
    harness.emulator.fail("views.open", status=500, times=5)
    ack = harness.command("UDEL1", CHANNEL, "/recommend", "my words & more")
    assert "could not be opened" in ack["text"] and "my words &amp; more" in ack["text"]


@pytest.mark.parametrize(
    "fault", [{"delay": 5.0}, {"status": 500, "delay": 1.1}], ids=["hangs", "slow-5xx"]
)
def test_views_open_timeout_still_answers_within_3s(harness: Harness, fault: dict[str, float]):
    harness.emulator.fail("views.open", times=3, **fault)  # type: ignore[arg-type]
    started = time.monotonic()
    response = harness.slack.command("UDEL1", CHANNEL, "/recommend", "slow")
    assert response.status == 200 and time.monotonic() - started < 3.0
    assert "could not be opened" in response.json()["text"]


def test_card_updates_ride_out_six_429s(harness: Harness):
    link(harness)
    card = harness.recommend("UDEL1", CHANNEL, "Joint investigation teams for fraud compounds")
    harness.emulator.fail("chat.update", retry_after=0, times=6)
    assert harness.vote("UV1", card, "support").status == 200
    harness.settle(timeout=30)
    updates = harness.emulator.calls("chat.update")
    assert len([c for c in updates if "fault" in c]) == 6
    assert "Support: 1 · Oppose: 0 · Abstain: 0" in card_text(harness.card(card))


def test_double_click_and_double_submit_count_once(harness: Harness):
    link(harness)
    view = harness.open_modal("UDEL1", CHANNEL)
    bad = harness.submit_modal("UDEL1", view, text="")
    assert bad.json()["response_action"] == "errors"
    first = harness.submit_modal("UDEL1", view, text="Recover proceeds through civil forfeiture")
    second = harness.submit_modal("UDEL1", view, text="Recover proceeds through civil forfeiture")
    assert first.status == second.status == 200
    assert len(harness.emulator.calls("chat.postMessage")) == 1
    card = harness.emulator.messages(CHANNEL)[-1]
    card = {"channel": CHANNEL, "ts": card["ts"], "message": card}
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda _: harness.vote("UV1", card, "oppose"), range(4)))
    harness.settle()
    assert "Support: 0 · Oppose: 1 · Abstain: 0" in card_text(harness.card(card))
    assert "1 vote," in harness.wg("UDEL1", CHANNEL, "status")


def test_burst_of_200_votes_is_coalesced(emulator, database_url):
    emulator.reset()
    h = start_harness(emulator, database_url, card_update_interval=1.0)
    try:
        link(h)
        card = h.recommend("UDEL1", CHANNEL, "Mutual legal assistance requests by e-mail")
        emulator.reset()  # count only the burst's updates (the card stays stored? no: re-read)
    finally:
        pass
    try:
        rec_value = next(
            e["value"]
            for b in card["message"]["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
        )
        # The emulator forgot the message with reset: post it again so chat.update finds it.
        from bot.slack.values import CardRef
        from storage import recommendations
        from storage.sessions import transaction

        posted = h.app.client.chat_postMessage(channel=CHANNEL, text="card")
        with transaction(h.app.session_factory) as session:
            recommendations.set_card(session, CardRef.parse(rec_value).rec, CHANNEL, posted["ts"])
        choices = ["support", "oppose", "abstain"]

        def click(i: int) -> int:
            time.sleep(i * 0.01)  # 200 clicks spread over two seconds
            return h.slack.block_action(
                f"UV{i}",
                channel_id=CHANNEL,
                message_ts=posted["ts"],
                action_id=f"vote_{choices[i % 3]}",
                value=rec_value,
                block_id="vote_buttons",
            ).status

        started = time.time()
        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = list(pool.map(click, range(200)))
        burst = time.time() - started
        assert statuses == [200] * 200
        h.settle(timeout=30)
        updates = emulator.calls("chat.update")
        per_second = Counter(int(c["time"]) for c in updates)
        assert max(per_second.values()) <= 2, per_second
        # About one per second while the burst lasts, plus the trailing one.
        assert len(updates) <= burst + 2, (len(updates), burst)
        assert "Support: 67 · Oppose: 67 · Abstain: 66" in updates[-1]["params"]["text"]
    finally:
        h.close()


@pytest.mark.parametrize("status", [500, 502])
def test_upload_failure_explains_and_changes_nothing(harness: Harness, status: int):
    link(harness)
    harness.wg(ORGANIZER, CHANNEL, "rapporteur <@URAP>")
    harness.recommend("UDEL1", CHANNEL, "Train prosecutors on crypto tracing")
    harness.emulator.fail("files.getUploadURLExternal", status=status, times=20)
    assert "Compiling" in harness.wg("URAP", CHANNEL, "compile")
    assert any(
        "could not be uploaded" in t and "rapporteur compile" in t
        for t in harness.ephemerals("URAP")
    )
    assert harness.emulator.uploads() == []


def test_rate_limited_confirmations_wait_their_turn_and_never_hold_up_the_card(
    emulator, database_url
):
    """Slack refuses chat.postEphemeral for 3 s in the middle of a burst (HTTP 429)."""
    emulator.reset()
    h = start_harness(emulator, database_url, card_update_interval=1.0)
    try:
        link(h)
        card = h.recommend("UDEL1", CHANNEL, "Seize servers used by scam compounds")
        form = h.open_modal("UDEL2", CHANNEL)
        emulator.rate_limit("chat.postEphemeral", 3)
        voters = [f"UV{i}" for i in range(40)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda u: h.vote(u, card, "support").status, voters))
        assert statuses == [200] * 40
        # Meanwhile, other work after an ack (here: posting a new card) is not held up.
        cards_before = len(emulator.calls("chat.postMessage"))
        submitted = h.submit_modal("UDEL2", form, text="Freeze mule accounts", settle=False)
        assert submitted.status == 200
        posted = emulator.wait_for("chat.postMessage", count=cards_before + 1, timeout=30)[-1]
        h.settle(timeout=60)
        assert "Support: 40 · Oppose: 0 · Abstain: 0" in card_text(h.card(card))

        calls = [c for c in emulator.calls("chat.postEphemeral") if c["params"]["user"] in voters]
        refused = [c for c in calls if "fault" in c]
        delivered = [c for c in calls if "fault" not in c]
        # Every voter is told once, after the limit, that the vote is recorded.
        assert Counter(c["params"]["user"] for c in delivered) == Counter(voters)
        assert all("Support" in c["params"]["text"] for c in delivered)
        assert not [
            c for c in emulator.calls("chat.postMessage") if c["params"]["channel"] in voters
        ]
        # The first 429 closed the method: not one refused call per voter (16 job threads).
        assert 1 <= len(refused) <= 16, len(refused)
        # The card showed every vote before the first confirmation got through.
        final = [
            c["time"]
            for c in emulator.calls("chat.update")
            if "Support: 40 ·" in c["params"].get("text", "")
        ]
        assert final and min(final) < min(c["time"] for c in delivered)
        assert posted["time"] < min(c["time"] for c in delivered)
    finally:
        h.close()


@pytest.mark.parametrize("fault", [{"status": 503}, {"drop": True}], ids=["5xx", "dropped"])
def test_card_update_failing_for_good_tells_the_voter_and_keeps_the_vote(
    harness: Harness, fault: dict[str, object]
):
    link(harness)
    card = harness.recommend("UDEL1", CHANNEL, "Trace proceeds through crypto exchanges")
    harness.emulator.fail("chat.update", times=50, **fault)  # type: ignore[arg-type]
    assert harness.vote("UV1", card, "support").status == 200
    harness.settle(timeout=30)
    assert any("card could not be updated" in t for t in harness.ephemerals("UV1"))
    assert "1 vote" in harness.wg("UV1", CHANNEL, "status")


def test_background_work_logs_under_the_request_id(harness: Harness):
    lines: list[dict[str, object]] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(json.loads(JsonFormatter().format(record)))

    handler = Collect(logging.WARNING)
    logging.getLogger("bot").addHandler(handler)
    try:
        link(harness)
        harness.emulator.fail("chat.postMessage", status=503, times=50)
        view = harness.open_modal("UDEL1", CHANNEL)
        harness.submit_modal("UDEL1", view, text="Freeze crypto wallets on request")
        harness.settle(timeout=30)
    finally:
        logging.getLogger("bot").removeHandler(handler)
    failures = [line for line in lines if line["message"] == "card not posted"]
    with harness.app.session_factory() as session:
        submitted = session.scalar(
            select(AuditEntry.request_id).where(AuditEntry.action == "submit")
        )
    assert failures and submitted
    assert all(failure.get("request_id") == submitted for failure in failures)


def test_a_slow_card_update_never_lands_over_a_newer_one(emulator, database_url):
    """Two instances on one database: the first one's update rides out a 429 for 2 s while
    votes arrive at the second. The card must still end with the final counts."""
    emulator.reset()
    first = start_harness(emulator, database_url)
    second = start_harness(emulator, database_url)
    try:
        link(first)
        card = first.recommend("UDEL1", CHANNEL, "Freeze the proceeds of fraud compounds")
        first.settle()
        emulator.fail("chat.update", retry_after=2, times=1)
        assert first.vote("UA1", card, "support").status == 200
        time.sleep(1.0)  # the first instance's update is waiting out its Retry-After
        assert second.vote("UA2", card, "support").status == 200
        assert second.vote("UA3", card, "support").status == 200
        for _ in range(2):  # either one may have handed work to the other meanwhile
            first.settle(timeout=30)
            second.settle(timeout=30)
        assert "Support: 3 · Oppose: 0 · Abstain: 0" in card_text(first.card(card))
    finally:
        first.close()
        second.close()
