"""bot.report.outcome on its own: which groups a document covers, and delegation totals.

The outcomes as the compiled document shows them are in test_outcomes.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from bot.report.outcome import workshop_outcome
from storage.records import (
    Delegation,
    DelegationVotes,
    GroupRecord,
    RecommendationRecord,
    WorkshopRecord,
)
from storage.rules import AdoptionRule, Counts

WHEN = datetime(2025, 3, 14, 17, 30)


def _rec(seq: int, *votes: DelegationVotes, country: str | None = None) -> RecommendationRecord:
    return RecommendationRecord(
        number=f"EE-{seq}",
        seq=seq,
        title=None,
        text=f"Recommendation {seq}",
        rationale=None,
        author_user_id="U1",
        author_name="Delegate",
        country_code=country,
        country_name=None,
        counts=sum((v.counts for v in votes), start=Counts()),
        submitted_at=WHEN,
        votes_by_delegation=votes,
    )


def _group(key: str, *recs: RecommendationRecord, is_open: bool = False) -> GroupRecord:
    return GroupRecord(key, key.title(), key[:2].upper(), is_open, None, None, recs)


def _workshop(
    *groups: GroupRecord, scope: str | None = None, when: datetime = WHEN
) -> WorkshopRecord:
    delegations = (Delegation("TH", "Thailand", 2), Delegation("KH", "Cambodia", 1))
    return WorkshopRecord(groups, delegations, when, scope)


def test_a_scope_keeps_that_group_only_and_names_it():
    record = _workshop(_group("alpha", is_open=True), _group("beta"), scope="beta")

    outcome = workshop_outcome(record, AdoptionRule())

    assert [g.group.key for g in outcome.groups] == ["beta"]
    assert outcome.scope_name == "Beta"
    assert outcome.final  # the open group is outside the scope


def test_an_unknown_scope_covers_every_group_under_the_key_it_was_given():
    record = _workshop(_group("alpha"), _group("beta", is_open=True), scope="gamma")

    outcome = workshop_outcome(record, AdoptionRule())

    assert [g.group.key for g in outcome.groups] == ["alpha", "beta"]
    assert outcome.scope_name == "gamma"
    assert not outcome.final


def test_recommendations_in_submission_order_adopted_split_out():
    record = _workshop(
        _group(
            "alpha",
            _rec(2, DelegationVotes("TH", "Thailand", Counts(0, 1, 0))),
            _rec(1, DelegationVotes("TH", "Thailand", Counts(1, 0, 0)), country="KH"),
        )
    )

    (group,) = workshop_outcome(record, AdoptionRule()).groups

    assert [i.rec.seq for i in group.by_number] == [1, 2]
    assert [i.rec.seq for i in group.adopted] == [1]
    assert [i.rec.seq for i in group.not_adopted] == [2]
    assert group.by_number[0].delegation == "Cambodia"  # the registered name fills the gap
    assert group.by_number[1].delegation is None


def test_delegation_totals_registered_first_then_others_by_name():
    record = _workshop(
        _group(
            "alpha",
            _rec(
                1,
                DelegationVotes("VN", "Viet Nam", Counts(1, 0, 0)),
                DelegationVotes("KH", "Cambodia", Counts(0, 1, 0)),
            ),
            _rec(
                2,
                DelegationVotes("LA", "", Counts(0, 0, 1)),
                DelegationVotes("KH", "Cambodia", Counts(2, 0, 0)),
            ),
        )
    )

    (group,) = workshop_outcome(record, AdoptionRule()).groups

    assert group.votes_by_delegation == (
        ("Thailand", Counts()),
        ("Cambodia", Counts(2, 1, 0)),
        ("LA", Counts(0, 0, 1)),  # no name known: the code stands in
        ("Viet Nam", Counts(1, 0, 0)),
    )


def test_generation_time_is_in_utc():
    bangkok = timezone(timedelta(hours=7))
    aware = workshop_outcome(
        _workshop(when=datetime(2025, 3, 15, 0, 30, tzinfo=bangkok)), AdoptionRule()
    )
    naive = workshop_outcome(_workshop(), AdoptionRule())

    assert aware.generated_at == datetime(2025, 3, 14, 17, 30, tzinfo=UTC)
    assert naive.generated_at == datetime(2025, 3, 14, 17, 30, tzinfo=UTC)
