"""The demo's script: decided by the seed alone, covering every proposal and delegation."""

from __future__ import annotations

import pytest

from bot.demo.content import COUNTRIES, PROPOSALS
from bot.demo.decisions import OBJECTIONS, PROCEDURES, RESERVATIONS
from bot.demo.roster import participant_list
from bot.demo.script import GROUP_CODES, GROUP_KEYS, MAX_DELEGATES, MIN_DELEGATES, write_script
from storage.groups import SEED_GROUPS
from storage.limits import RATIONALE_MAX, TEXT_MAX, TITLE_MAX
from storage.models import Choice, Procedure, Role
from storage.objections import REASON_MAX, REASON_MIN
from storage.reservations import RESERVATION_MAX
from storage.roster import parse_roster
from storage.rules import AdoptionRule


def test_same_seed_same_workshop() -> None:
    assert write_script(3, 24) == write_script(3, 24)


def test_another_seed_another_vote() -> None:
    first, second = write_script(3, 24), write_script(4, 24)
    assert [first.counts(i) for i in range(len(first.submissions))] != [
        second.counts(i) for i in range(len(second.submissions))
    ]


@pytest.mark.parametrize("delegates", [6, 12, 24, 60, 61, MAX_DELEGATES])
def test_every_proposal_is_submitted_once_by_its_delegation(delegates: int) -> None:
    script = write_script(1, delegates)
    assert sorted(s.proposal.title for s in script.submissions) == sorted(
        p.title for p in PROPOSALS
    )
    for submission in script.submissions:
        assert submission.author.country == submission.proposal.country
    assert {p.country for p in script.delegates} == set(COUNTRIES)
    assert len({p.user_id for p in script.delegates}) == delegates
    assert len({p.handle for p in script.delegates}) == delegates


@pytest.mark.parametrize("delegates", [MIN_DELEGATES - 1, MAX_DELEGATES + 1])
def test_rooms_out_of_range_are_refused(delegates: int) -> None:
    with pytest.raises(ValueError, match="delegates must be between"):
        write_script(1, delegates)


def test_a_large_room_votes_in_every_group() -> None:
    script = write_script(1, MAX_DELEGATES)
    for key in GROUP_KEYS:
        seated = [p for p in script.delegates if p.group_key == key]
        assert len(seated) >= MAX_DELEGATES // 5
        assert script.rapporteurs[key] in seated
    assert all(p.user_id.isalnum() and p.user_id[0] == "U" for p in script.delegates)
    assert len(script.ballots) > 4 * MAX_DELEGATES  # no ballots by consensus


def test_numbers_follow_submission_order_within_each_group() -> None:
    script = write_script(5, 24)
    for key in GROUP_KEYS:
        numbers = [s.number for s in script.submissions if s.proposal.group_key == key]
        assert numbers == [f"{GROUP_CODES[key]}-{n}" for n in range(1, len(numbers) + 1)]


def test_every_group_has_a_rapporteur_and_a_seat_for_each_delegation() -> None:
    script = write_script(2, 24)
    for key in GROUP_KEYS:
        seated = [p for p in script.delegates if p.group_key == key]
        assert sorted(p.country for p in seated) == sorted(COUNTRIES)
        assert script.rapporteurs[key] in seated


def test_authors_support_their_own_recommendation_and_some_minds_change() -> None:
    script = write_script(1, 24)
    for index, submission in enumerate(script.submissions):
        own = [b for b in script.ballots if b.submission == index and b.voter == submission.author]
        voted_on = script.procedure(index) is not Procedure.CONSENSUS
        assert [b.final.value for b in own] == (["support"] if voted_on else [])
    assert any(len(set(b.clicks)) > 1 for b in script.ballots)
    assert script.clicks() > len(script.ballots)


def test_proposals_cover_every_group_within_the_app_limits() -> None:
    assert {p.group_key for p in PROPOSALS} == {key for key, _, _ in SEED_GROUPS}
    assert 18 <= len(PROPOSALS) <= 26
    for proposal in PROPOSALS:
        assert 0 < len(proposal.title) <= TITLE_MAX
        assert 0 < len(proposal.text) <= TEXT_MAX
        assert proposal.rationale is None or len(proposal.rationale) <= RATIONALE_MAX
        # Slack would escape these in the card; the demo keeps to text that reads the same.
        assert not set("<>&") & set(proposal.text + proposal.title + (proposal.rationale or ""))


@pytest.mark.parametrize(
    ("language", "sample"),
    [
        ("Khmer", range(0x1780, 0x1800)),
        ("Lao", range(0x0E80, 0x0F00)),
        ("Thai", range(0x0E00, 0x0E80)),
        ("Hangul", range(0xAC00, 0xD7A4)),
        ("Vietnamese", [ord(c) for c in "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựđ"]),
    ],
)
def test_some_proposals_are_in_the_delegations_own_scripts(language: str, sample: object) -> None:
    texts = "".join(p.title + p.text for p in PROPOSALS)
    assert any(ord(ch) in sample for ch in texts), language  # type: ignore[operator]


def test_some_proposals_are_in_tagalog() -> None:
    assert any(" ang mga " in p.text and p.country == "PH" for p in PROPOSALS)


# --- how the groups decide ---------------------------------------------------------------


def test_one_group_decides_by_delegation_one_by_consensus_two_by_vote() -> None:
    assert set(PROCEDURES) == set(GROUP_KEYS)
    assert sorted(p.value for p in PROCEDURES.values()) == [
        "consensus",
        "delegation",
        "vote",
        "vote",
    ]


@pytest.mark.parametrize("seed", [1, 7, 11])
def test_by_delegation_each_delegations_latest_click_counts(seed: int) -> None:
    script = write_script(seed, 24)
    rule = AdoptionRule()
    shared = 0  # ballots cast where a delegate of the same delegation also clicked
    in_order = [b for run in script.sequences() for b in run]
    assert sorted(map(id, in_order)) == sorted(map(id, script.ballots))  # each clicked once
    for index in range(len(script.submissions)):
        if script.procedure(index) is not Procedure.DELEGATION:
            continue
        mine = [b for b in script.ballots if b.submission == index]
        shared += len(mine) - len({b.voter.country for b in mine})
        latest = {b.voter.country: b.final for b in mine}
        counts = script.counts(index)
        assert counts.cast == len(latest) <= len(COUNTRIES)
        assert counts.support == list(latest.values()).count(Choice.SUPPORT)
        assert script.adopted(index, rule) == rule.adopted(counts)
    assert shared > 0  # delegates of one delegation replace each other's ballot
    # A delegation's clicks on those cards are clicked one after the other, in script order.
    for run in script.sequences():
        kinds = {script.procedure(b.submission) for b in run}
        if Procedure.DELEGATION in kinds:
            assert kinds == {Procedure.DELEGATION}
            assert len({b.voter.country for b in run}) == 1


def test_by_consensus_nobody_votes_one_objection_and_one_reservation() -> None:
    script = write_script(3, 24)
    rule = AdoptionRule()
    consensus = [
        i for i in range(len(script.submissions)) if script.procedure(i) is Procedure.CONSENSUS
    ]
    assert not [b for b in script.ballots if b.submission in consensus]
    ((objection,), (reservation,)) = script.objections, script.reservations
    assert {objection.submission, reservation.submission} <= set(consensus)
    assert objection.submission != reservation.submission
    assert script.objecting(objection.submission) == (objection.person.country,)
    assert not script.adopted(objection.submission, rule)
    assert script.adopted(reservation.submission, rule)  # a reservation changes nothing
    assert script.reserving(reservation.submission) == ("TH",)
    for act, stance in ((objection, OBJECTIONS[0]), (reservation, RESERVATIONS[0])):
        assert act.person.country == stance.country and act.person in script.delegates
        assert script.submissions[act.submission].author.country != stance.country
    assert REASON_MIN <= len(objection.text) <= REASON_MAX
    assert len(reservation.text) <= RESERVATION_MAX


# --- the participant list ------------------------------------------------------------------


@pytest.mark.parametrize("delegates", [MIN_DELEGATES, 24, MAX_DELEGATES])
def test_the_participant_list_is_a_good_file_for_rapporteur_roster_import(delegates: int) -> None:
    script = write_script(1, delegates)
    parsed = parse_roster(participant_list(script), group_keys=GROUP_KEYS)
    assert parsed.ok, parsed.problems
    by_email = {row.email: row for row in parsed.rows}
    assert len(by_email) == delegates + 2
    for person in script.delegates:
        row = by_email[person.email]
        assert (row.delegation, row.group_key) == (person.country, person.group_key)
        rapporteur = person in script.rapporteurs.values()
        assert row.role is (Role.RAPPORTEUR if rapporteur else Role.DELEGATE)
    observers = [r for r in parsed.rows if r.role is Role.OBSERVER]
    assert [(r.delegation, r.group_key) for r in observers] == [
        ("UNODC", None),
        ("European Union", None),
    ]
