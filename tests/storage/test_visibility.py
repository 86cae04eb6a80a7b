"""What a group's tallies may show (storage.visibility) and the commands that set it
(storage.group_settings), applied by every storage read: cards, status, the outcome record,
the audit detail of votes, the JSON export."""

from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import select

from storage import audit, groups, votes
from storage.cards import card_state
from storage.errors import BallotsRefused, NotPermitted
from storage.group_settings import set_ballots, set_tallies, voters
from storage.models import AuditEntry, Choice, Group, Procedure, Recommendation
from storage.reports import workshop_record
from storage.rules import set_default_procedure
from storage.transfer import export_record, import_record
from storage.visibility import (
    Ballots,
    Tallies,
    Visibility,
    for_groups,
    of_group,
    rule,
    secret_keys,
    set_defaults,
)
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted

CHANNEL = "CEE"


@pytest.mark.parametrize(
    ("tallies", "ballots", "is_open", "procedure", "withheld", "secret"),
    [
        (Tallies.LIVE, Ballots.NAMED, True, Procedure.VOTE, False, False),
        (Tallies.HIDDEN, Ballots.NAMED, True, Procedure.VOTE, True, False),
        (Tallies.HIDDEN, Ballots.NAMED, False, Procedure.VOTE, False, False),
        (Tallies.HIDDEN, Ballots.NAMED, True, Procedure.DELEGATION, True, False),
        (Tallies.HIDDEN, Ballots.NAMED, True, Procedure.CONSENSUS, False, False),
        (Tallies.LIVE, Ballots.SECRET, True, Procedure.VOTE, False, True),
        (Tallies.LIVE, Ballots.SECRET, False, Procedure.VOTE, False, True),
        (Tallies.LIVE, Ballots.SECRET, True, Procedure.DELEGATION, False, False),
        (Tallies.LIVE, Ballots.SECRET, True, Procedure.CONSENSUS, False, True),
    ],
)
def test_the_one_rule(tallies, ballots, is_open, procedure, withheld, secret):
    seen = rule(tallies=tallies, ballots=ballots, is_open=is_open, procedure=procedure)
    assert (seen.withheld, seen.secret) == (withheld, secret)


def test_groups_follow_the_settings_until_they_choose(session_factory):
    with session_factory() as session:
        assert set(for_groups(session).values()) == {Visibility()}
    set_defaults(session_factory, tallies="hidden", ballots="secret")
    with session_factory.begin() as session:
        linked_group(session)
        seen = for_groups(session)["e-evidence"]
        assert (seen.tallies, seen.ballots, seen.withheld) == (Tallies.HIDDEN, Ballots.SECRET, True)
        assert "e-evidence" in secret_keys(session)
        set_tallies(session, actor=RAPPORTEUR, channel_id=CHANNEL, tallies=Tallies.LIVE)
        set_ballots(session, actor=RAPPORTEUR, channel_id=CHANNEL, ballots=Ballots.NAMED)
        assert of_group(session, groups.group_by_key(session, "e-evidence")) == Visibility()
        assert for_groups(session)["victim-protection"].withheld


def test_only_the_rapporteur_or_an_organizer_sets_them_and_each_change_is_audited(session):
    linked_group(session)
    rec = submitted(session)
    before = session.get(Recommendation, rec.id).tally_version
    with pytest.raises(NotPermitted):
        set_tallies(session, actor=delegate(), channel_id=CHANNEL, tallies=Tallies.HIDDEN)
    with pytest.raises(NotPermitted):
        set_ballots(session, actor=delegate(), channel_id=CHANNEL, ballots=Ballots.SECRET)

    assert set_tallies(session, actor=RAPPORTEUR, channel_id=CHANNEL, tallies=Tallies.HIDDEN)[1]
    assert not set_tallies(session, actor=ORGANIZER, channel_id=CHANNEL, tallies=Tallies.HIDDEN)[1]
    assert set_ballots(session, actor=ORGANIZER, channel_id=CHANNEL, ballots=Ballots.SECRET)[1]

    session.refresh(rec)
    assert rec.tally_version == before + 2  # each change re-renders the cards
    logged = [
        (e.action, e.actor_user_id, e.target, e.detail)
        for e in audit.entries(session, group_key="e-evidence")
        if e.action in ("tallies", "ballots")
    ]
    assert logged == [
        ("tallies", RAPPORTEUR.user_id, "hidden", {"previous": "live"}),
        ("ballots", ORGANIZER.user_id, "secret", {"previous": "named"}),
    ]


def test_a_delegation_group_cannot_be_secret_nor_a_secret_group_decide_by_delegation(session):
    linked_group(session)
    groups.set_procedure(
        session, actor=RAPPORTEUR, channel_id=CHANNEL, procedure=Procedure.DELEGATION
    )
    with pytest.raises(BallotsRefused) as refused:
        set_ballots(session, actor=RAPPORTEUR, channel_id=CHANNEL, ballots=Ballots.SECRET)
    assert refused.value.params["reason"] == "delegation"

    groups.set_procedure(session, actor=RAPPORTEUR, channel_id=CHANNEL, procedure=Procedure.VOTE)
    set_ballots(session, actor=RAPPORTEUR, channel_id=CHANNEL, ballots=Ballots.SECRET)
    with pytest.raises(BallotsRefused) as refused:
        groups.set_procedure(
            session, actor=RAPPORTEUR, channel_id=CHANNEL, procedure=Procedure.DELEGATION
        )
    assert refused.value.params["reason"] == "secret_to_delegation"
    assert groups.group_by_key(session, "e-evidence").procedure == Procedure.VOTE


def test_ballots_cast_in_secret_stay_secret(session):
    linked_group(session)
    rec = submitted(session)
    set_ballots(session, actor=RAPPORTEUR, channel_id=CHANNEL, ballots=Ballots.SECRET)
    assert set_ballots(session, actor=RAPPORTEUR, channel_id=CHANNEL, ballots=Ballots.NAMED)[1]
    set_ballots(session, actor=RAPPORTEUR, channel_id=CHANNEL, ballots=Ballots.SECRET)
    votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.OPPOSE)
    with pytest.raises(BallotsRefused) as refused:
        set_ballots(session, actor=ORGANIZER, channel_id=CHANNEL, ballots=Ballots.NAMED)
    assert refused.value.params["reason"] == "cast_in_secret"
    assert of_group(session, groups.group_by_key(session, "e-evidence")).secret


def _three_votes(session) -> Recommendation:
    linked_group(session)
    rec = submitted(session)
    for user, choice in (("UV1", Choice.SUPPORT), ("UV2", Choice.SUPPORT), ("UV3", Choice.OPPOSE)):
        votes.cast(session, actor=delegate(user), recommendation_id=rec.id, choice=choice)
    return rec


def test_hidden_cards_show_how_many_voted_until_the_group_closes(session):
    rec = _three_votes(session)
    set_tallies(session, actor=RAPPORTEUR, channel_id=CHANNEL, tallies=Tallies.HIDDEN)
    state = card_state(session, rec.id)
    assert state.withheld and state.cast == 3
    assert state.counts.cast == 0 and state.ballots == ()

    groups.set_open(session, actor=RAPPORTEUR, channel_id=CHANNEL, is_open=False)
    state = card_state(session, rec.id)
    assert not state.withheld
    assert (state.counts.support, state.counts.oppose) == (2, 1)


def test_status_and_the_outcome_record_withhold_counts_while_open(session):
    rec = _three_votes(session)
    set_tallies(session, actor=RAPPORTEUR, channel_id=CHANNEL, tallies=Tallies.HIDDEN)
    line = next(g for g in groups.status(session) if g.key == "e-evidence")
    assert line.withheld and not line.secret

    group = workshop_record(session, group_key="e-evidence").groups[0]
    item = group.recommendations[0]
    assert group.withheld and item.withheld
    assert item.counts.cast == 0 and item.votes_by_delegation == ()
    assert item.number == rec.number

    groups.set_open(session, actor=RAPPORTEUR, channel_id=CHANNEL, is_open=False)
    item = workshop_record(session, group_key="e-evidence").groups[0].recommendations[0]
    assert not item.withheld and item.counts.support == 2


def test_secret_records_keep_totals_and_drop_votes_by_delegation(session):
    rec = _three_votes(session)
    named = workshop_record(session).groups[0].recommendations[0]
    assert named.votes_by_delegation  # by the voters' delegations, until secret
    set_ballots(session, actor=RAPPORTEUR, channel_id=CHANNEL, ballots=Ballots.SECRET)
    group = workshop_record(session).groups[0]
    item = group.recommendations[0]
    assert group.secret and item.votes_by_delegation == ()
    assert (item.counts.support, item.counts.oppose) == (2, 1)
    assert next(g for g in groups.status(session) if g.key == "e-evidence").secret
    assert card_state(session, rec.id).secret


def test_a_secret_vote_is_audited_without_its_choice(session):
    linked_group(session)
    rec = submitted(session)
    votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    set_ballots(session, actor=RAPPORTEUR, channel_id=CHANNEL, ballots=Ballots.SECRET)
    votes.cast(session, actor=delegate("UV2"), recommendation_id=rec.id, choice=Choice.OPPOSE)
    votes.cast(session, actor=delegate("UV2"), recommendation_id=rec.id, choice=Choice.ABSTAIN)
    session.flush()
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "vote").order_by(AuditEntry.id)
    ).all()
    assert [e.detail for e in entries] == [
        {"choice": "support", "previous": None},  # cast while the ballots were named
        {"ballot": "secret", "changed": False},
        {"ballot": "secret", "changed": True},
    ]
    secret = secret_keys(session)
    shown = [audit.shown_detail(e.action, e.group_key, e.detail, secret) for e in entries]
    assert all("choice" not in d and "previous" not in d for d in shown)
    named = audit.shown_detail("vote", "e-evidence", {"choice": "support"}, frozenset())
    assert named == {"choice": "support"}
    hidden = audit.shown_detail(
        "vote", "e-evidence", {"choice": "support", "previous": None}, frozenset(), secret
    )
    assert hidden == {"choice": "withheld", "previous": None}


def test_voters_names_who_voted_never_how(session):
    _three_votes(session)
    with pytest.raises(NotPermitted):
        voters(session, actor=delegate(), channel_id=CHANNEL)
    group, voted = voters(session, actor=RAPPORTEUR, channel_id=CHANNEL)
    assert group.key == "e-evidence"
    assert [v[0] for v in voted[0].voters] == ["UV1", "UV2", "UV3"]
    assert not hasattr(voted[0], "choice")


def test_the_json_export_links_no_secret_vote_to_its_voter_and_import_restores_counts(
    session_factory, tmp_path, sqlite_template
):
    from storage.engines import make_engine
    from storage.sessions import make_session_factory

    with session_factory.begin() as session:
        rec = _three_votes(session)
        submitted(session, key="victim-protection", text="Named group")
        groups.link_channel(
            session, actor=ORGANIZER, channel_id="CVP", group_key="victim-protection"
        )
        other = session.scalars(
            select(Recommendation).join(Group).where(Group.key == "victim-protection")
        ).one()
        votes.cast(session, actor=delegate("UV1"), recommendation_id=other.id, choice=Choice.OPPOSE)
        set_ballots(session, actor=RAPPORTEUR, channel_id=CHANNEL, ballots=Ballots.SECRET)
        rec_id = rec.id
    with session_factory() as session:
        data = json.loads(json.dumps(export_record(session)))

    secret_votes = [v for v in data["tables"]["votes"] if v["recommendation_id"] == rec_id]
    assert sorted(v["choice"] for v in secret_votes) == ["oppose", "support", "support"]
    assert {v["voter_user_id"] for v in secret_votes}.isdisjoint({"UV1", "UV2", "UV3"})
    assert {v["delegation"] for v in secret_votes} == {None}
    assert {v["country_code"] for v in secret_votes} == {None}
    assert len({v["updated_at"] for v in secret_votes}) == 1
    named = [v for v in data["tables"]["votes"] if v["recommendation_id"] == other.id]
    assert [(v["voter_user_id"], v["choice"]) for v in named] == [("UV1", "oppose")]
    for entry in data["tables"]["audit_log"]:
        if entry["action"] == "vote" and entry["group_key"] == "e-evidence":
            assert "choice" not in entry["detail"] and "previous" not in entry["detail"]

    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    restored = make_session_factory(make_engine(f"sqlite:///{target}"))
    with restored.begin() as session:
        import_record(session, data)
    with restored() as session:
        state = card_state(session, rec_id)
        assert (state.counts.support, state.counts.oppose, state.counts.abstain) == (2, 1, 0)
        assert state.secret


def test_the_procedure_default_counts_for_the_delegation_rule(session_factory):
    set_default_procedure(session_factory, Procedure.DELEGATION)
    set_defaults(session_factory, tallies="live", ballots="secret")
    with session_factory() as session:
        assert not any(seen.secret for seen in for_groups(session).values())


def test_the_board_hides_a_hidden_groups_tally_until_it_closes(session):
    from storage.board import board_state
    from storage.rules import AdoptionRule

    _three_votes(session)
    set_tallies(session, actor=RAPPORTEUR, channel_id=CHANNEL, tallies=Tallies.HIDDEN)
    (item,) = board_state(session, rule=AdoptionRule()).group("e-evidence").recommendations
    assert not item.tally_shown and item.counts.cast == 0 and not item.adopted
    groups.set_open(session, actor=RAPPORTEUR, channel_id=CHANNEL, is_open=False)
    (item,) = board_state(session, rule=AdoptionRule()).group("e-evidence").recommendations
    assert item.tally_shown and item.counts.support == 2 and item.adopted
