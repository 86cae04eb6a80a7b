"""The outcome document read back for each procedure, from a record stored on SQLite and
PostgreSQL: the procedure stated per group, delegations' ballots, consensus outcomes with
each objection's reason verbatim, and Annex II by procedure."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.report import build_outcome_document
from storage import groups, objections, votes
from storage.models import Choice, Procedure, Role
from storage.reports import workshop_record
from tests.factories import ORGANIZER, delegate, submitted
from tests.factories import records as f
from tests.factories.seats import seat

from .readback import Report, rows

THAI_REASON = "ประเทศไทยไม่สามารถยอมรับระยะเวลา 180 วันได้ — conflicts with our data law."
TITLE = "Regional Workshop on Procedures"


def _workshop(session: Session) -> Report:
    """Three groups: by delegation, by consensus (one objection), by vote."""
    for key, channel in [("e-evidence", "CEE"), ("victim-protection", "CVP")]:
        groups.link_channel(session, actor=ORGANIZER, channel_id=channel, group_key=key)
    for user, code in [("UTH1", "TH"), ("UTH2", "TH"), ("UVN1", "VN"), ("UKH1", "KH")]:
        seat(session, user, code, name=f"Delegate {user}")
    seat(session, "UOBS", "UNODC", role=Role.OBSERVER)
    ee1 = submitted(session, text="Preserve subscriber data for 180 days.")
    ee2 = submitted(session, text="Designate a 24/7 contact point.")
    fi1 = submitted(session, key="financial-investigation", text="Freeze accounts promptly.")
    vp1 = submitted(session, key="victim-protection", text="Open shelters for victims.")
    vp2 = submitted(session, key="victim-protection", text="Fund hotlines in every language.")
    for user, rec, choice in [
        ("UTH1", ee1, Choice.OPPOSE),
        ("UTH2", ee1, Choice.SUPPORT),  # Thailand's ballot
        ("UVN1", ee1, Choice.SUPPORT),
        ("UKH1", ee1, Choice.ABSTAIN),
        ("UVN1", ee2, Choice.OPPOSE),
        ("UTH1", fi1, Choice.SUPPORT),
        ("UTH2", fi1, Choice.SUPPORT),
        ("UVN1", fi1, Choice.OPPOSE),
    ]:
        votes.cast(session, actor=delegate(user), recommendation_id=rec.id, choice=choice)
    groups.set_procedure(session, actor=ORGANIZER, channel_id="CEE", procedure=Procedure.DELEGATION)
    groups.set_procedure(session, actor=ORGANIZER, channel_id="CVP", procedure=Procedure.CONSENSUS)
    objections.object_to(
        session, actor=delegate("UTH1"), recommendation_id=vp2.id, reason=THAI_REASON
    )
    assert vp1.id != vp2.id
    record = workshop_record(session, now=f.GENERATED_AT)
    return Report(build_outcome_document(record, f.options(TITLE)))


def test_each_group_states_its_procedure(session):
    texts = _workshop(session).paragraph_texts()
    for statement in (
        "Decided by one ballot per delegation",
        "Adopted by consensus unless a delegation objected",
        "Decided by one vote per person",
    ):
        assert statement in texts, statement


def test_delegation_tallies_count_delegations(session):
    report = _workshop(session)
    texts = report.paragraph_texts()
    # EE-1: Thailand's latest click (Support), Viet Nam Support, Cambodia Abstain.
    assert any("Votes: Support: 2 · Oppose: 0 · Abstain: 1 (delegations)" in t for t in texts)
    assert any("Votes: Support: 0 · Oppose: 1 · Abstain: 0 (delegations)" in t for t in texts)
    summary = rows(report.table_after("Electronic evidence"))
    assert ["EE-1", "—", "2", "0", "1", "Adopted"] in summary
    assert ["EE-2", "—", "0", "1", "0", "Not adopted"] in summary
    # By vote, each person counts: FI-1 has two Support votes from Thailand.
    assert any("Votes: Support: 2 · Oppose: 1 · Abstain: 0\n" in t for t in texts)


def test_consensus_outcomes_and_each_objections_reason_verbatim(session):
    report = _workshop(session)
    texts = report.paragraph_texts()
    assert any(f"Objection by Thailand: {THAI_REASON}" in t for t in texts)
    assert any("Outcome: Not adopted — objection by Thailand" in t for t in texts)
    assert any(
        "Objections: No objection" in t and "Outcome: Adopted by consensus" in t for t in texts
    )
    summary = rows(report.table_after("Victim and witness protection"))
    assert ["VP-1", "—", "—", "—", "—", "Adopted by consensus"] in summary
    assert ["VP-2", "—", "—", "—", "—", "Not adopted — objection by Thailand"] in summary


def test_annex_ii_shows_each_delegations_ballot_or_objection(session):
    report = _workshop(session)
    heading = "Electronic evidence"
    ballots = rows(report.table_after(heading, nth_heading=2))
    assert ballots[0] == ["No.", "Support", "Oppose", "Abstain"]
    assert ballots[1:] == [
        ["EE-1", "Thailand, Viet Nam", "—", "Cambodia"],
        ["EE-2", "—", "Viet Nam", "—"],
    ]
    objected = rows(report.table_after("Victim and witness protection", nth_heading=2))
    assert objected == [
        ["No.", "Objection by", "Reason"],
        ["VP-1", "—", "No objection"],
        ["VP-2", "Thailand", THAI_REASON],
    ]
    by_person = rows(report.table_after("Financial investigation", nth_heading=2))
    assert ["Thailand", "2", "0", "0"] in by_person and ["Viet Nam", "0", "1", "0"] in by_person
    assert "UNODC" not in str(by_person)
