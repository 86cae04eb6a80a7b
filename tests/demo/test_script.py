"""The demo's script: decided by the seed alone, covering every proposal and delegation."""

from __future__ import annotations

import pytest

from bot.demo.content import COUNTRIES, PROPOSALS
from bot.demo.script import GROUP_CODES, GROUP_KEYS, MAX_DELEGATES, MIN_DELEGATES, write_script
from storage.groups import SEED_GROUPS
from storage.limits import RATIONALE_MAX, TEXT_MAX, TITLE_MAX


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
    assert len(script.ballots) > 10 * MAX_DELEGATES // 2


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
        assert [b.final.value for b in own] == ["support"]
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
