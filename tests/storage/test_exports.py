"""Export rows (storage.exports): one per recommendation, as plain data, with what each group
may show already applied; who may export what; the last change of each row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import groups, objections, reservations, revisions, votes
from storage.errors import ChannelNotLinked, NotPermitted
from storage.exports import authorize, export_rows, last_changes, record_export
from storage.group_settings import set_ballots, set_tallies
from storage.models import AuditEntry, Choice, Procedure, Vote
from storage.rules import AdoptionRule
from storage.visibility import Ballots, Tallies
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted
from tests.factories.seats import seat

RULE = AdoptionRule()
KHMER = "ការការពារភស្តុតាងអេឡិចត្រូនិច"


def _workshop(session) -> dict[str, int]:
    """EE (vote): two recommendations, one withdrawn; VP (consensus): one with an objection."""
    linked_group(session)
    groups.link_channel(session, actor=ORGANIZER, channel_id="CVP", group_key="victim-protection")
    groups.appoint_rapporteur(
        session, actor=ORGANIZER, channel_id="CVP", user_id=RAPPORTEUR.user_id, user_name=None
    )
    seat(session, "UTH", "TH", name="Somchai")
    first = submitted(session, delegate("UA", "Lan"), text=KHMER, country="VN")
    second = submitted(session, delegate("UB", "Dara"), text="Second", country="KH")
    for user, choice in (("UV1", Choice.SUPPORT), ("UV2", Choice.SUPPORT), ("UV3", Choice.OPPOSE)):
        votes.cast(session, actor=delegate(user), recommendation_id=first.id, choice=choice)
    reservations.enter(
        session, actor=Actor_TH, recommendation_id=first.id, delegation="TH", text="Not yet."
    )
    revisions.withdraw(session, actor=RAPPORTEUR, recommendation_id=second.id)
    groups.set_procedure(session, actor=RAPPORTEUR, channel_id="CVP", procedure=Procedure.CONSENSUS)
    third = submitted(session, delegate("UC", "Kim"), key="victim-protection", text="Third")
    objections.object_to(
        session, actor=Actor_TH, recommendation_id=third.id, reason="We need more time for this."
    )
    session.flush()
    return {"first": first.id, "second": second.id, "third": third.id}


Actor_TH = delegate("UTH", "Somchai")


def test_a_row_per_recommendation_with_its_counts_outcome_and_status(session):
    _workshop(session)
    rows = export_rows(session, rule=RULE)
    assert [r.number for r in rows] == ["EE-1", "EE-2", "VP-1"]
    first, second, third = rows
    assert (first.group, first.text, first.author, first.delegation) == (
        "Electronic evidence",
        KHMER,
        "Lan",
        "VN",
    )
    assert first.procedure == "vote" and first.status == "open"
    assert (first.counts.support, first.counts.oppose, first.counts.abstain) == (2, 1, 0)
    assert first.outcome == "adopted" and first.objections is None
    assert first.reservations == ("TH",)
    assert second.status == "withdrawn" and second.counts is None and second.outcome == ""
    assert third.procedure == "consensus" and third.counts is None
    assert third.objections == ("TH",) and third.outcome == "not_adopted"

    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    assert export_rows(session, rule=RULE, group_key="e-evidence")[0].status == "closed"
    assert [r.number for r in export_rows(session, rule=RULE, group_key="victim-protection")] == [
        "VP-1"
    ]


def test_hidden_groups_have_no_counts_while_open_and_secret_ones_keep_their_totals(session):
    _workshop(session)
    set_tallies(session, actor=RAPPORTEUR, channel_id="CEE", tallies=Tallies.HIDDEN)
    row = export_rows(session, rule=RULE)[0]
    assert row.counts is None and row.outcome == "withheld"

    set_tallies(session, actor=RAPPORTEUR, channel_id="CEE", tallies=Tallies.LIVE)
    set_ballots(session, actor=RAPPORTEUR, channel_id="CEE", ballots=Ballots.SECRET)
    row = export_rows(session, rule=RULE)[0]
    assert row.counts.support == 2 and row.outcome == "adopted"

    set_tallies(session, actor=RAPPORTEUR, channel_id="CEE", tallies=Tallies.HIDDEN)
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    assert export_rows(session, rule=RULE)[0].counts.support == 2  # shown once closed


def test_the_last_change_is_the_latest_thing_recorded_about_it(session):
    ids = _workshop(session)
    later = datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC)
    vote = session.query(Vote).filter(Vote.recommendation_id == ids["first"]).first()
    vote.updated_at = later
    session.flush()
    changed = last_changes(session, ["e-evidence", "victim-protection"])
    assert changed["EE-1"] == later
    assert changed["EE-2"] > datetime.now(UTC) - timedelta(minutes=5)  # its withdrawal
    assert set(changed) == {"EE-1", "EE-2", "VP-1"}
    assert last_changes(session, ["asset-confiscation"]) == {}


def test_who_may_export_what_and_the_audit(session):
    linked_group(session)
    assert authorize(session, actor=RAPPORTEUR, channel_id="CEE", whole_workshop=False) == (
        "e-evidence"
    )
    assert authorize(session, actor=ORGANIZER, channel_id="CEE", whole_workshop=False) == (
        "e-evidence"
    )
    assert authorize(session, actor=ORGANIZER, channel_id="CANY", whole_workshop=True) is None
    with pytest.raises(NotPermitted):
        authorize(session, actor=RAPPORTEUR, channel_id="CEE", whole_workshop=True)
    with pytest.raises(NotPermitted):
        authorize(session, actor=delegate(), channel_id="CEE", whole_workshop=False)
    with pytest.raises(ChannelNotLinked):
        authorize(session, actor=ORGANIZER, channel_id="CANY", whole_workshop=False)

    record_export(session, actor=RAPPORTEUR, group_key="e-evidence", rows=3, file_id="F1")
    entry = session.query(AuditEntry).filter(AuditEntry.action == "export").one()
    assert (entry.actor_user_id, entry.target, entry.detail) == ("URAP1", "F1", {"rows": 3})
