"""Objections: one per delegation per recommendation, the delegation's to change or withdraw,
refused to observers, the unlisted, other procedures and closed groups; audited."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from storage import groups, objections
from storage.errors import (
    InvalidInput,
    NoConfirmedDelegation,
    NoObjectionToWithdraw,
    ObserverRefused,
    VotingClosed,
    WrongProcedure,
)
from storage.models import AuditEntry, Objection, Procedure, Recommendation, Role
from storage.sessions import transaction
from tests.factories import RAPPORTEUR, delegate, linked_group, submitted
from tests.factories.seats import seat

REASON = "Thailand cannot accept a 180-day period: ຂໍ້ຄັດຄ້ານ ការជំទាស់."


def _consensus(session) -> Recommendation:
    linked_group(session)
    rec = submitted(session)
    groups.group_by_key(session, "e-evidence").procedure = Procedure.CONSENSUS.value
    seat(session, "UTH1", "TH", name="Somchai Prasert")
    seat(session, "UTH2", "TH", name="Malee Srisuk")
    seat(session, "UVN1", "VN", name="Nguyễn Thị Lan")
    seat(session, "UOBS", "European Union", role=Role.OBSERVER)
    session.flush()
    return rec


def _rows(session) -> list[tuple[str, str, str]]:
    return [
        tuple(r)
        for r in session.execute(
            select(Objection.delegation, Objection.reason, Objection.user_id).order_by(
                Objection.delegation
            )
        )
    ]


def test_an_objection_is_stored_verbatim_replaced_and_audited(session):
    rec = _consensus(session)
    version = session.get(Recommendation, rec.id).tally_version
    change = objections.object_to(
        session, actor=delegate("UTH1"), recommendation_id=rec.id, reason=REASON
    )
    assert (change.number, change.delegation, change.delegation_name) == ("EE-1", "TH", "Thailand")
    assert change.replaced is False
    assert _rows(session) == [("TH", REASON, "UTH1")]
    assert session.get(Recommendation, rec.id).tally_version > version  # the card re-renders

    again = objections.object_to(
        session, actor=delegate("UTH2"), recommendation_id=rec.id, reason="  A new reason, kept.  "
    )
    assert again.replaced is True
    assert _rows(session) == [("TH", "  A new reason, kept.  ", "UTH2")]
    assert objections.reason_of(session, actor=delegate("UTH1"), recommendation_id=rec.id) == (
        "  A new reason, kept.  "
    )
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "object")).all()
    assert [(e.actor_user_id, e.target, e.detail) for e in entries] == [
        ("UTH1", "EE-1", {"delegation": "TH", "replaced": False}),
        ("UTH2", "EE-1", {"delegation": "TH", "replaced": True}),
    ]
    assert objections.standing(session, [rec.id])[rec.id][0].reason == "  A new reason, kept.  "


@pytest.mark.parametrize(
    ("reason", "problem", "limit"),
    [
        (None, "empty", 10),
        ("   \n  ", "empty", 10),
        ("Nine char", "too_short", 10),
        ("  padded  ", "too_short", 10),
        ("x" * 1001, "too_long", 1000),
    ],
)
def test_a_reason_is_10_to_1000_characters(session, reason, problem, limit):
    rec = _consensus(session)
    with pytest.raises(InvalidInput) as caught:
        objections.object_to(
            session, actor=delegate("UTH1"), recommendation_id=rec.id, reason=reason
        )
    assert (caught.value.field, caught.value.problem, caught.value.params["limit"]) == (
        "reason",
        problem,
        limit,
    )
    assert _rows(session) == []
    assert objections.check_reason("x" * 10) == "x" * 10
    assert objections.check_reason("x" * 1000) == "x" * 1000


def test_only_the_delegation_withdraws_its_objection(session):
    rec = _consensus(session)
    objections.object_to(session, actor=delegate("UTH1"), recommendation_id=rec.id, reason=REASON)
    with pytest.raises(NoObjectionToWithdraw) as other:
        objections.withdraw(session, actor=delegate("UVN1"), recommendation_id=rec.id)
    assert other.value.params == {
        "delegation": "Viet Nam",
        "number": "EE-1",
        "objecting": ["Thailand"],
    }
    assert _rows(session) == [("TH", REASON, "UTH1")]
    change = objections.withdraw(session, actor=delegate("UTH2"), recommendation_id=rec.id)
    assert change.delegation_name == "Thailand"
    assert _rows(session) == []
    with pytest.raises(NoObjectionToWithdraw):
        objections.withdraw(session, actor=delegate("UTH1"), recommendation_id=rec.id)
    withdrawn = session.scalars(
        select(AuditEntry.actor_user_id).where(AuditEntry.action == "withdraw objection")
    ).all()
    assert withdrawn == ["UTH2"]


def test_refusals(session):
    rec = _consensus(session)
    with pytest.raises(ObserverRefused) as observer:
        objections.object_to(
            session, actor=delegate("UOBS"), recommendation_id=rec.id, reason=REASON
        )
    assert observer.value.params["organisation"] == "European Union"
    with pytest.raises(NoConfirmedDelegation):
        objections.object_to(
            session, actor=delegate("UNEW"), recommendation_id=rec.id, reason=REASON
        )
    with pytest.raises(NoConfirmedDelegation):
        objections.withdraw(session, actor=delegate("UNEW"), recommendation_id=rec.id)
    groups.set_procedure(
        session, actor=RAPPORTEUR, channel_id="CEE", procedure=Procedure.DELEGATION
    )
    with pytest.raises(WrongProcedure) as wrong:
        objections.object_to(
            session, actor=delegate("UTH1"), recommendation_id=rec.id, reason=REASON
        )
    assert wrong.value.params["procedure"] == "delegation"
    groups.set_procedure(session, actor=RAPPORTEUR, channel_id="CEE", procedure=Procedure.CONSENSUS)
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    with pytest.raises(VotingClosed):
        objections.object_to(
            session, actor=delegate("UTH1"), recommendation_id=rec.id, reason=REASON
        )
    assert _rows(session) == []


def test_two_delegates_objecting_at_once_leave_one_objection(session_factory):
    with transaction(session_factory) as session:
        rec_id = _consensus(session).id
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def object_(user: str) -> None:
        try:
            barrier.wait()
            with transaction(session_factory) as s:
                objections.object_to(
                    s, actor=delegate(user), recommendation_id=rec_id, reason=f"Reason of {user}."
                )
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=object_, args=(u,)) for u in ("UTH1", "UTH2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with transaction(session_factory) as session:
        rows = _rows(session)
    assert len(rows) == 1 and rows[0][0] == "TH"
    assert rows[0][1] == f"Reason of {rows[0][2]}."


def test_objections_and_delegation_ballots_travel_with_the_record(
    session_factory, tmp_path, sqlite_template
):
    import json
    import shutil

    from storage import votes
    from storage.engines import make_engine
    from storage.models import Choice, Vote
    from storage.sessions import make_session_factory
    from storage.transfer import export_record, import_record

    with transaction(session_factory) as session:
        rec = _consensus(session)
        objections.object_to(
            session, actor=delegate("UTH1"), recommendation_id=rec.id, reason=REASON
        )
        other = submitted(session, key="financial-investigation", text="Freeze accounts.")
        votes.cast(
            session, actor=delegate("UVN1"), recommendation_id=other.id, choice=Choice.OPPOSE
        )
    with session_factory() as session:
        data = json.loads(json.dumps(export_record(session)))
    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    imported = make_session_factory(make_engine(f"sqlite:///{target}"))
    with imported.begin() as session:
        assert import_record(session, data)["objections"] == 1
    with imported() as session:
        assert _rows(session) == [("TH", REASON, "UTH1")]
        vote = session.scalar(select(Vote))
        assert (vote.delegation, vote.seq) == ("VN", 1)
        assert session.get(Recommendation, rec.id).group.procedure == "consensus"
