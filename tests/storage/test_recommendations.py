"""Submitting: validation, per-group numbering, deduplication."""

from __future__ import annotations

import pytest

from storage import groups, people, recommendations
from storage.errors import InvalidInput, UnknownCountry, VotingClosed
from storage.recommendations import Draft
from tests.factories import RAPPORTEUR, delegate, linked_group, submitted


def test_numbers_are_per_group(session):
    linked_group(session)
    first = submitted(session, text="one")
    second = submitted(session, text="two")
    other = submitted(session, text="three", key="asset-confiscation")
    assert (first.number, second.number, other.number) == ("EE-1", "EE-2", "AC-1")


@pytest.mark.parametrize(
    ("draft", "field", "problem"),
    [
        (Draft("e-evidence", ""), "text", "empty"),
        (Draft("e-evidence", " \n\t "), "text", "empty"),
        (Draft("e-evidence", None), "text", "empty"),
        (Draft("e-evidence", "x" * 3001), "text", "too_long"),
        (Draft("e-evidence", "ok", title="t" * 151), "title", "too_long"),
        (Draft(None, "ok"), "group", "empty"),
    ],
)
def test_bad_drafts_are_refused(session, draft, field, problem):
    with pytest.raises(InvalidInput) as caught:
        recommendations.submit(session, actor=delegate(), draft=draft, submission_key=None)
    assert (caught.value.field, caught.value.problem) == (field, problem)


def test_limit_counts_code_points_not_bytes(session):
    khmer = "ក" * 3000  # 3 bytes each in UTF-8, one code point each
    rec, created = recommendations.submit(
        session, actor=delegate(), draft=Draft("e-evidence", khmer), submission_key=None
    )
    assert created and rec.text == khmer


def test_text_is_stored_verbatim(session):
    text = "  <!channel> & <@U123> — ການສືບສວນ\n전자 증거 \x01 end  "
    rec = submitted(session, text=text)
    session.commit()
    session.expire_all()
    assert recommendations.get(session, rec.id).text == text


def test_same_modal_or_same_text_is_not_a_new_recommendation(session):
    first = submitted(session, submission_key="V1")
    again, created = recommendations.submit(
        session,
        actor=delegate(),
        draft=Draft("e-evidence", "different text"),
        submission_key="V1",
    )
    assert (again.id, created) == (first.id, False)
    same_text, created = recommendations.submit(
        session, actor=delegate(), draft=Draft("e-evidence", first.text), submission_key="V2"
    )
    assert (same_text.id, created) == (first.id, False)


def test_closed_group_takes_no_submissions(session):
    linked_group(session)
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    with pytest.raises(VotingClosed):
        submitted(session)


def test_delegation_is_kept_with_the_recommendation(session):
    rec = submitted(session, country="KH")
    assert rec.country_code == "KH"
    with pytest.raises(UnknownCountry):
        people.set_country(session, actor=delegate(), code="XX")
    with pytest.raises(UnknownCountry):
        people.set_country(session, actor=delegate(), code="VNM")
    assert people.set_country(session, actor=delegate(), code=" th ").country_code == "TH"
