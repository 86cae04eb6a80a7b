"""storage.board: what the plenary board shows, and the version that tells it changed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage import groups, merges, recommendations, revisions
from storage.board import board_state, board_version
from storage.models import Choice, Procedure
from storage.recommendations import Draft
from storage.rules import AdoptionRule, Counts, Majority
from storage.votes import cast
from tests.factories import ORGANIZER, delegate
from tests.web import plenary

RULE = AdoptionRule()


@pytest.fixture
def built(session) -> plenary.Plenary:
    built = plenary.build(session, now=datetime(2026, 8, 20, 7, 0, tzinfo=UTC))
    session.commit()
    return built


def test_each_group_with_its_procedure_state_deadline_and_outcomes(session, built):
    state = board_state(session, rule=RULE)
    assert [g.key for g in state.groups] == list(plenary.CHANNELS)
    ee, fi, ac, vp = state.groups
    assert (ee.procedure, ee.is_open, ee.deadline_at) == (Procedure.VOTE, False, None)
    assert (fi.procedure, fi.is_open) == (Procedure.DELEGATION, True)
    assert fi.deadline_at == datetime(2026, 8, 20, 9, 0, tzinfo=UTC)
    assert fi.deadline_zone == plenary.ZONE
    assert ac.procedure is Procedure.CONSENSUS and vp.procedure is Procedure.VOTE
    by_number = {rec.number: rec for g in state.groups for rec in g.recommendations}
    assert list(by_number) == list(plenary.TEXTS)
    assert by_number["EE-1"].counts == Counts(11, 2, 1) and by_number["EE-1"].adopted
    assert by_number["EE-1"].reservations == ("Lao People's Democratic Republic", "Thailand")
    assert by_number["EE-3"].counts == Counts(3, 9, 2) and not by_number["EE-3"].adopted
    # By delegation: one ballot per delegation, whoever of its delegates cast it.
    assert by_number["FI-1"].counts == Counts(4, 1, 1) and by_number["FI-1"].adopted
    assert by_number["FI-2"].counts == Counts(1, 4, 1) and not by_number["FI-2"].adopted
    # By consensus: adopted unless a delegation objects.
    assert by_number["AC-1"].objections == ("Republic of Korea",)
    assert not by_number["AC-1"].adopted and by_number["AC-2"].adopted
    assert by_number["AC-2"].objections == () and by_number["AC-2"].reservations == ("Philippines",)
    assert by_number["FI-2"].text == plenary.HOSTILE  # verbatim
    assert ee.adopted == 2 and ac.adopted == 1


def test_the_adoption_rule_decides_vote_and_delegation_groups(session, built):
    def adopted(rule: AdoptionRule) -> dict[str, bool]:
        state = board_state(session, rule=rule)
        return {rec.number: rec.adopted for g in state.groups for rec in g.recommendations}

    simple, two_thirds = adopted(RULE), adopted(AdoptionRule(majority=Majority.TWO_THIRDS))
    assert simple["EE-2"] and not two_thirds["EE-2"]  # 8 to 5: a majority, not two thirds
    assert simple["EE-1"] and two_thirds["EE-1"]  # 11 to 2
    quorum = adopted(AdoptionRule(quorum=6))
    assert quorum["EE-1"] and not quorum["FI-1"]  # 5 delegations' ballots cast: under 6
    assert quorum["AC-2"] and two_thirds["AC-2"]  # by consensus the rule does not apply


def test_the_version_changes_with_what_the_board_shows_and_only_then(session, built):
    first = board_version(session)
    assert board_version(session) == first
    board_state(session, rule=RULE)  # reading changes nothing
    assert board_version(session) == first

    voter = delegate("UNEWVOTER")
    cast(session, actor=voter, recommendation_id=built.ids["VP-1"], choice=Choice.OPPOSE)
    session.commit()
    after_vote = board_version(session)
    assert after_vote != first

    groups.set_open(
        session, actor=ORGANIZER, channel_id=plenary.CHANNELS["victim-protection"], is_open=False
    )
    session.commit()
    after_close = board_version(session)
    assert after_close not in (first, after_vote)

    draft = Draft(group_key="asset-confiscation", text="Un texte de plus")
    recommendations.submit(session, actor=voter, draft=draft, submission_key="one-more")
    session.commit()
    assert board_version(session) != after_close


def test_an_empty_workshop_shows_its_groups(session):
    state = board_state(session, rule=RULE)
    assert [g.recommendations for g in state.groups] == [()] * 4
    assert state.group("e-evidence") is not None and state.group("nope") is None


def test_withdrawn_and_merged_recommendations_are_shown_as_such(session, built):
    before = board_version(session)
    revisions.withdraw(session, actor=ORGANIZER, recommendation_id=built.ids["VP-1"])
    merges.merge(session, actor=ORGANIZER, source_id=built.ids["AC-2"], target_id=built.ids["AC-1"])
    session.commit()
    assert board_version(session) != before
    by_number = {
        rec.number: rec for g in board_state(session, rule=RULE).groups for rec in g.recommendations
    }
    assert by_number["VP-1"].status == "withdrawn" and not by_number["VP-1"].adopted
    assert by_number["AC-2"].status == "merged" and by_number["AC-2"].merged_into == "AC-1"
    assert not by_number["AC-2"].adopted and by_number["EE-1"].status == "open"
