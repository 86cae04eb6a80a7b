"""Cards: what a card shows, and the lease that lets one holder at a time update it."""

from __future__ import annotations

from sqlalchemy import select

from storage import cards, recommendations, votes
from storage.countries import country_name
from storage.models import Choice, Recommendation
from storage.sessions import transaction
from tests.factories import delegate, linked_group, submitted

NOW = 1_000.0
UNTIL = NOW + 5


def _card(session, text: str = "Preserve evidence.", key: str = "e-evidence") -> int:
    rec = submitted(session, text=text, key=key)
    session.flush()
    return rec.id


def _slot(session, rid: int) -> tuple[int, int, float]:
    """(tally_version, card_version, card_lease_until) as stored."""
    row = session.execute(
        select(
            Recommendation.tally_version,
            Recommendation.card_version,
            Recommendation.card_lease_until,
        ).where(Recommendation.id == rid)
    ).one()
    return row.tally_version, row.card_version, row.card_lease_until


def test_card_state_reads_what_the_card_shows(session):
    linked_group(session)
    rid = _card(session)
    votes.cast(session, actor=delegate("UV1"), recommendation_id=rid, choice=Choice.SUPPORT)
    votes.cast(session, actor=delegate("UV2"), recommendation_id=rid, choice=Choice.ABSTAIN)
    recommendations.set_card(session, rid, "CEE", "111.222")

    state = cards.card_state(session, rid)

    assert (state.number, state.group_key, state.is_open) == ("EE-1", "e-evidence", True)
    assert (state.country_code, state.country_name) == ("VN", country_name("VN"))
    assert (state.counts.support, state.counts.oppose, state.counts.abstain) == (1, 0, 1)
    assert state.version == _slot(session, rid)[0] == 2
    assert (state.channel_id, state.message_ts) == ("CEE", "111.222")


def test_a_stale_card_with_a_free_slot_is_leased_once(session):
    rid = _card(session)
    assert cards.is_stale(session, rid)
    assert cards.try_lease(session, rid, now=NOW, until=UNTIL)
    assert _slot(session, rid)[2] == UNTIL
    assert not cards.try_lease(session, rid, now=NOW + 1, until=NOW + 9)
    assert _slot(session, rid)[2] == UNTIL


def test_an_expired_lease_can_be_taken_over(session):
    rid = _card(session)
    assert cards.try_lease(session, rid, now=NOW, until=UNTIL)
    assert cards.try_lease(session, rid, now=UNTIL, until=UNTIL + 5)
    assert _slot(session, rid)[2] == UNTIL + 5


def test_a_card_showing_the_latest_tally_is_not_leased(session):
    rid = _card(session)
    tally = _slot(session, rid)[0]
    cards.mark_shown(session, rid, tally)
    assert not cards.is_stale(session, rid)
    assert not cards.try_lease(session, rid, now=NOW, until=UNTIL)
    assert _slot(session, rid) == (tally, tally, 0.0)


def test_one_holder_across_sessions(session_factory):
    with transaction(session_factory) as session:
        rid = _card(session)
    with transaction(session_factory) as first:
        assert cards.try_lease(first, rid, now=NOW, until=UNTIL)
    with transaction(session_factory) as second:
        assert not cards.try_lease(second, rid, now=NOW + 1, until=NOW + 6)
    with session_factory() as session:
        assert _slot(session, rid)[2] == UNTIL


def test_only_the_holder_releases_the_lease(session):
    rid = _card(session)
    assert cards.try_lease(session, rid, now=NOW, until=UNTIL)
    cards.release_lease(session, rid, UNTIL + 1)  # someone else's lease
    assert _slot(session, rid)[2] == UNTIL
    cards.release_lease(session, rid, UNTIL)
    assert _slot(session, rid)[2] == 0.0
    assert cards.try_lease(session, rid, now=NOW, until=UNTIL + 2)  # free again at once


def test_mark_shown_hands_the_slot_on_at_free_at(session):
    rid = _card(session)
    tally = _slot(session, rid)[0]
    assert cards.try_lease(session, rid, now=NOW, until=UNTIL)
    cards.mark_shown(session, rid, tally, lease=UNTIL, free_at=NOW + 1.5)
    assert _slot(session, rid) == (tally, tally, NOW + 1.5)


def test_mark_shown_leaves_a_slot_it_no_longer_holds(session):
    rid = _card(session)
    tally = _slot(session, rid)[0]
    assert cards.try_lease(session, rid, now=NOW, until=UNTIL)
    assert cards.try_lease(session, rid, now=UNTIL, until=UNTIL + 5)  # taken over
    cards.mark_shown(session, rid, tally, lease=UNTIL, free_at=NOW + 1.5)
    assert _slot(session, rid) == (tally, tally, UNTIL + 5)


def test_mark_shown_without_a_lease_only_records_the_version(session):
    rid = _card(session)
    tally = _slot(session, rid)[0]
    assert cards.try_lease(session, rid, now=NOW, until=UNTIL)
    cards.mark_shown(session, rid, tally)
    assert _slot(session, rid) == (tally, tally, UNTIL)


def test_an_older_version_shown_keeps_the_card_stale(session):
    linked_group(session)
    rid = _card(session)
    shown = _slot(session, rid)[0]
    votes.cast(session, actor=delegate("UV1"), recommendation_id=rid, choice=Choice.OPPOSE)
    assert _slot(session, rid)[0] == shown + 1
    cards.mark_shown(session, rid, shown)
    assert _slot(session, rid)[1] == shown
    assert cards.is_stale(session, rid)
    cards.mark_shown(session, rid, shown + 1)
    assert not cards.is_stale(session, rid)


def test_group_card_ids_lists_posted_cards_of_the_group_in_number_order(session):
    first = _card(session, "First.")
    unposted = _card(session, "Not posted yet.")
    third = _card(session, "Third.")
    elsewhere = _card(session, "Other group.", key="financial-investigation")
    for rid, ts in ((third, "3.0"), (first, "1.0"), (elsewhere, "9.0")):
        recommendations.set_card(session, rid, "C", ts)

    assert cards.group_card_ids(session, "e-evidence") == [first, third]
    assert unposted not in cards.group_card_ids(session, "e-evidence")
    assert cards.group_card_ids(session, "financial-investigation") == [elsewhere]
    assert cards.group_card_ids(session, "victim-protection") == []
