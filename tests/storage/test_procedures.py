"""A group's procedure: set by its rapporteur or an organizer, audited, defaulting to
DECISION_PROCEDURE; tallies, cards and the record derived from the stored clicks under it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage import groups, objections, votes
from storage.cards import card_state
from storage.errors import ChannelNotLinked, NotPermitted
from storage.models import AuditEntry, Choice, Procedure, Recommendation, Role, Vote
from storage.reports import workshop_record
from storage.rules import AdoptionRule, Counts, procedure_of, set_default_procedure
from storage.sessions import transaction
from storage.tallies import DelegationBallot
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted
from tests.factories.seats import seat

VOTES = [
    ("UTH1", Choice.SUPPORT),
    ("UTH2", Choice.OPPOSE),  # Thailand's latest click
    ("UVN1", Choice.SUPPORT),
    ("UKH1", Choice.ABSTAIN),
    ("UNEW", Choice.SUPPORT),  # no confirmed delegation
]


def _set(session: Session, procedure: Procedure, actor=RAPPORTEUR) -> bool:
    return groups.set_procedure(session, actor=actor, channel_id="CEE", procedure=procedure)[1]


def _voted(session: Session) -> Recommendation:
    linked_group(session)
    rec = submitted(session)
    seat(session, "UTH1", "TH", name="Somchai Prasert")
    seat(session, "UTH2", "TH", name="Malee Srisuk")
    seat(session, "UVN1", "VN")
    seat(session, "UKH1", "KH")
    for user, choice in VOTES:
        votes.cast(session, actor=delegate(user), recommendation_id=rec.id, choice=choice)
    return rec


def test_rapporteur_or_organizer_sets_it_audited_and_cards_re_rendered(session):
    rec = _voted(session)
    version = session.get(Recommendation, rec.id).tally_version
    with pytest.raises(NotPermitted):
        _set(session, Procedure.DELEGATION, actor=delegate("UTH1"))
    with pytest.raises(ChannelNotLinked):
        groups.set_procedure(
            session, actor=ORGANIZER, channel_id="CNONE", procedure=Procedure.DELEGATION
        )
    assert _set(session, Procedure.DELEGATION) is True
    assert _set(session, Procedure.DELEGATION, actor=ORGANIZER) is False
    assert _set(session, Procedure.CONSENSUS, actor=ORGANIZER) is True
    session.expire_all()
    assert session.get(Recommendation, rec.id).tally_version == version + 2
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "procedure")).all()
    assert [(e.actor_user_id, e.group_key, e.target, e.detail) for e in entries] == [
        ("URAP1", "e-evidence", "delegation", {"previous": "vote"}),
        ("UORG1", "e-evidence", "consensus", {"previous": "delegation"}),
    ]
    status = {s.key: s.procedure for s in groups.status(session)}
    assert status == {
        "e-evidence": Procedure.CONSENSUS,
        "financial-investigation": Procedure.VOTE,
        "asset-confiscation": Procedure.VOTE,
        "victim-protection": Procedure.VOTE,
    }


def test_switching_back_and_forth_derives_the_tallies_and_loses_nothing(session):
    rec = _voted(session)
    _set(session, Procedure.CONSENSUS)
    objections.object_to(session, actor=delegate("UTH1"), recommendation_id=rec.id, reason="x" * 12)
    _set(session, Procedure.VOTE)

    def shown() -> tuple[Procedure, Counts, tuple[DelegationBallot, ...], int]:
        state = card_state(session, rec.id)
        return state.procedure, state.counts, state.ballots, len(state.objections)

    by_vote = (Procedure.VOTE, Counts(3, 1, 1), (), 0)
    assert shown() == by_vote
    _set(session, Procedure.DELEGATION)
    assert shown() == (
        Procedure.DELEGATION,
        Counts(1, 1, 1),
        (
            DelegationBallot("KH", Choice.ABSTAIN, "UKH1"),
            DelegationBallot("TH", Choice.OPPOSE, "UTH2"),
            DelegationBallot("VN", Choice.SUPPORT, "UVN1"),
        ),
        0,
    )
    _set(session, Procedure.CONSENSUS)
    assert shown() == (Procedure.CONSENSUS, Counts(), (), 1)
    _set(session, Procedure.VOTE)
    assert shown() == by_vote
    _set(session, Procedure.DELEGATION)
    assert shown()[1] == Counts(1, 1, 1)
    assert session.scalar(select(func.count()).select_from(Vote)) == len(VOTES)


def test_an_observer_seated_after_voting_never_counts(session):
    rec = _voted(session)
    seat(session, "UNEW", "UNODC", role=Role.OBSERVER)
    assert votes.counts(session, rec.id) == Counts(2, 1, 1)
    record = workshop_record(session)
    assert record.groups[0].recommendations[0].counts == Counts(2, 1, 1)


def test_the_default_is_the_setting_carried_by_the_session_factory(
    session_factory: sessionmaker[Session],
):
    with transaction(session_factory) as session:
        linked_group(session)
        assert procedure_of(session, None) is Procedure.VOTE
    set_default_procedure(session_factory, Procedure.CONSENSUS)
    with transaction(session_factory) as session:
        assert procedure_of(session, None) is Procedure.CONSENSUS
        assert procedure_of(session, "delegation") is Procedure.DELEGATION
        assert {s.procedure for s in groups.status(session)} == {Procedure.CONSENSUS}
        # Already the default: nothing to change.
        assert _set(session, Procedure.CONSENSUS) is False
        assert _set(session, Procedure.VOTE) is True


def test_the_record_follows_each_groups_procedure(session):
    rec = _voted(session)
    other = submitted(session, text="Train judges on digital evidence.")
    objections_group = submitted(session, key="victim-protection", text="Shelters for victims.")
    groups.group_by_key(session, "victim-protection").procedure = Procedure.CONSENSUS.value
    objections.object_to(
        session,
        actor=delegate("UTH1"),
        recommendation_id=objections_group.id,
        reason="ประเทศไทยคัดค้าน — verbatim reason.",
    )
    _set(session, Procedure.DELEGATION)
    record = workshop_record(session)
    by_key = {g.key: g for g in record.groups}
    ee = by_key["e-evidence"]
    assert ee.procedure == Procedure.DELEGATION
    first, second = ee.recommendations
    assert (first.number, first.counts, second.counts) == ("EE-1", Counts(1, 1, 1), Counts())
    assert [(b.delegation_name, b.choice) for b in first.ballots] == [
        ("Cambodia", "abstain"),
        ("Thailand", "oppose"),
        ("Viet Nam", "support"),
    ]
    assert first.adopted(AdoptionRule()) is False  # 1 Support, 1 Oppose among delegations
    vp = by_key["victim-protection"]
    [objected] = vp.recommendations
    assert vp.procedure == Procedure.CONSENSUS and objected.counts == Counts()
    assert [(o.delegation_name, o.reason) for o in objected.objections] == [
        ("Thailand", "ประเทศไทยคัดค้าน — verbatim reason.")
    ]
    assert objected.adopted(AdoptionRule()) is False
    assert by_key["financial-investigation"].procedure == Procedure.VOTE
    assert other.id != rec.id
