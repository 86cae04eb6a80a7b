"""What the record gives the outcome document, `/wg status` and the reminders about texts
that evolved: every version and amendment, withdrawn and merged ones apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from storage import amendments, groups, merges, reminders, revisions, votes
from storage.actors import Actor
from storage.models import Choice
from storage.reports import workshop_record
from storage.rules import AdoptionRule
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted
from tests.factories.seats import seat

AUTHOR = delegate("UDEL1", "Somchai")
LAN = delegate("UVN1", "Lan")


def _evolve(session: Session) -> None:
    """EE-1 edited by its author (TH), amended by Viet Nam (A1 accepted, A2 rejected); EE-2
    withdrawn; EE-3 merged into EE-1; EE-4 untouched. UV1 voted on every one."""
    linked_group(session)
    seat(session, LAN.user_id, "VN", name="Lan")
    ee1 = submitted(session, AUTHOR, text="Keep logs.", country="TH")
    ee2 = submitted(session, delegate("UDEL2"), text="Train judges.")
    ee3 = submitted(session, delegate("UDEL3"), text="Keep all logs.")
    submitted(session, delegate("UDEL4"), text="Share evidence.")
    for rec in (ee1, ee2, ee3):
        votes.cast(session, actor=Actor("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    revisions.edit(
        session,
        actor=AUTHOR,
        recommendation_id=ee1.id,
        base_version=1,
        text="Keep logs safely.",
        title="Logs",
        rationale=None,
    )
    for text, why in (("Keep logs safely for a year.", "Longer"), ("Delete logs.", None)):
        amendments.propose(
            session, actor=LAN, recommendation_id=ee1.id, base_version=2, text=text, reason=why
        )
    amendments.accept(session, actor=RAPPORTEUR, amendment_id=1)
    amendments.reject(session, actor=AUTHOR, amendment_id=2, reason="No")
    revisions.withdraw(session, actor=ORGANIZER, recommendation_id=ee2.id)
    merges.merge(session, actor=RAPPORTEUR, source_id=ee3.id, target_id=ee1.id)


@pytest.fixture
def evolved(session: Session) -> None:
    """The workshop of `_evolve`."""
    _evolve(session)


def test_the_record_has_final_texts_versions_amendments_and_statuses(session, evolved):
    (group,) = [g for g in workshop_record(session).groups if g.key == "e-evidence"]
    ee1, ee2, ee3, ee4 = group.recommendations
    assert (ee1.text, ee1.title, ee1.status) == ("Keep logs safely for a year.", "Logs", "open")
    assert [(r.version, r.cause, r.delegation, r.amendment) for r in ee1.revisions] == [
        (1, "submitted", "TH", None),
        (2, "edit", "TH", None),
        (3, "amendment", "VN", "EE-1/A1"),
    ]
    assert ee1.revisions[2].by_name == "Lan" and ee1.revisions[2].delegation_name == "Viet Nam"
    assert [(a.number, a.state, a.reason, a.reject_reason) for a in ee1.amendments] == [
        ("EE-1/A1", "accepted", "Longer", None),
        ("EE-1/A2", "rejected", None, "No"),
    ]
    assert (ee2.status, ee2.counted) == ("withdrawn", False)
    assert (ee3.status, ee3.merged_into) == ("merged", "EE-1")
    assert ee4.revisions == () and ee4.amendments == ()
    assert ee2.counts.support == 1  # kept, but it no longer counts:
    assert not ee2.adopted(AdoptionRule()) and ee1.adopted(AdoptionRule())


def test_status_counts_withdrawn_and_merged_apart(session, evolved):
    (line,) = [g for g in groups.status(session) if g.key == "e-evidence"]
    assert (line.recommendations, line.withdrawn, line.merged, line.votes) == (2, 1, 1, 1)


def test_withdrawn_and_merged_ones_are_not_open_for_reminders(session, evolved):
    due = reminders.due(
        session,
        group_key="e-evidence",
        deadline_at=datetime.now(UTC) + timedelta(hours=1),
        default_procedure="vote",
    )
    by_user = {r.user_id: [o.number for o in r.recommendations] for r in due}
    assert by_user["UV1"] == ["EE-4"]
    assert all("EE-2" not in numbers and "EE-3" not in numbers for numbers in by_user.values())


def test_versions_and_amendments_travel_with_an_export(session_factory, tmp_path, sqlite_template):
    import json
    import shutil

    from storage.engines import make_engine
    from storage.sessions import make_session_factory, transaction
    from storage.transfer import export_record, import_record

    with transaction(session_factory) as session:
        _evolve(session)
    with session_factory() as session:
        data = json.loads(json.dumps(export_record(session)))
    assert len(data["tables"]["revisions"]) == 3 and len(data["tables"]["amendments"]) == 2
    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    other = make_session_factory(make_engine(f"sqlite:///{target}"))
    with transaction(other) as session:
        counts = import_record(session, data)
    assert (counts["revisions"], counts["amendments"]) == (3, 2)
    with other() as session:
        assert export_record(session) == data
        (group,) = [g for g in workshop_record(session).groups if g.key == "e-evidence"]
        assert group.recommendations[0].text == "Keep logs safely for a year."
        assert [r.status for r in group.recommendations] == ["open", "withdrawn", "merged", "open"]
