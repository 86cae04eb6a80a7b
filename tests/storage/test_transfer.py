"""Export → import round trip loses nothing."""

from __future__ import annotations

import json

import pytest

from storage import votes
from storage.models import Choice
from storage.transfer import ImportRefused, export_record, import_record
from tests.factories import delegate, linked_group, submitted


def test_round_trip(session_factory, tmp_path, sqlite_template):
    import shutil

    from storage.engines import make_engine
    from storage.sessions import make_session_factory

    with session_factory.begin() as session:
        linked_group(session)
        rec = submitted(session, text="ການສືບສວນ <b> & \u0001")
        votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    with session_factory() as session:
        data = json.loads(json.dumps(export_record(session)))

    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    other = make_session_factory(make_engine(f"sqlite:///{target}"))
    with other.begin() as session:
        counts = import_record(session, data)
    assert counts["votes"] == 1 and counts["recommendations"] == 1 and counts["groups"] == 4
    with other() as session:
        assert export_record(session) == data
    with other.begin() as session, pytest.raises(ImportRefused):
        import_record(session, data)


def test_the_discussion_travels_with_the_record(session_factory, tmp_path, sqlite_template):
    import shutil

    from storage import comments, recommendations
    from storage.comments import Reply
    from storage.engines import make_engine
    from storage.sessions import make_session_factory

    with session_factory.begin() as session:
        linked_group(session)
        rec = submitted(session)
        recommendations.set_card(session, rec.id, "CEE", "1700000000.1")
        for ts, text in (("1700000001.1", "ຕົກລົງ <b> &"), ("1700000001.2", "gone")):
            comments.record_reply(session, reply=Reply("CEE", "1700000000.1", ts, "UD1", text))
        comments.delete(session, channel_id="CEE", ts="1700000001.2")
    with session_factory() as session:
        data = json.loads(json.dumps(export_record(session)))
    assert [c["text"] for c in data["tables"]["comments"]] == ["ຕົກລົງ <b> &", ""]

    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    other = make_session_factory(make_engine(f"sqlite:///{target}"))
    with other.begin() as session:
        assert import_record(session, data)["comments"] == 2
    with other() as session:
        assert export_record(session) == data
        assert comments.count(session, data["tables"]["recommendations"][0]["id"]) == 1

    orphan = json.loads(json.dumps(data))
    orphan["tables"]["comments"][0]["recommendation_id"] = 999
    fresh = tmp_path / "fresh.db"
    shutil.copy(sqlite_template, fresh)
    refused = pytest.raises(ImportRefused, match=r"tables\.comments\[0\]\.recommendation_id")
    with make_session_factory(make_engine(f"sqlite:///{fresh}")).begin() as session, refused:
        import_record(session, orphan)


KHMER_RESERVATION = "កម្ពុជាសូមរក្សាសិទ្ធិ <b> & *"
ROSTER = (
    "name,email,delegation,role,group\n"
    "Somchai Prasert,somchai@example.org,TH,rapporteur,e-evidence\n"
    "សុខ ដារ៉ា,sok@example.org,KH,,\n"
    "Jane Doe,jane@unodc.org,UNODC,observer,\n"
)


def _deciding_as_states(session) -> None:
    """A participant list (matched and waiting rows), a consensus group with an objection
    and a reservation."""
    from storage import groups, objections, reservations
    from storage.actors import Actor
    from storage.models import Procedure
    from storage.roster import parse_roster
    from storage.roster_import import import_rows

    linked_group(session)
    rec = submitted(session)
    keys = [g.key for g in groups.all_groups(session)]
    parsed = parse_roster(ROSTER.encode("utf-8"), group_keys=keys)
    assert parsed.ok, parsed.problems
    found = {"somchai@example.org": "UTH1", "jane@unodc.org": "UOBS"}
    import_rows(session, actor=Actor("cli:organizer"), rows=parsed.rows, found=found)
    groups.group_by_key(session, "e-evidence").procedure = Procedure.CONSENSUS.value
    session.flush()
    somchai = delegate("UTH1", "Somchai Prasert")
    objections.object_to(
        session, actor=somchai, recommendation_id=rec.id, reason="ຂໍ້ຄັດຄ້ານ: not yet, <!channel>"
    )
    reservations.enter(
        session, actor=somchai, recommendation_id=rec.id, delegation="TH", text=KHMER_RESERVATION
    )


def test_the_participant_list_objections_and_reservations_travel_with_the_record(
    session_factory, tmp_path, sqlite_template
):
    import shutil

    from storage.engines import make_engine
    from storage.participants import listed_delegations, participants
    from storage.reports import workshop_record
    from storage.sessions import make_session_factory

    with session_factory.begin() as session:
        _deciding_as_states(session)
    with session_factory() as session:
        data = json.loads(json.dumps(export_record(session)))
        before = workshop_record(session)
    tables = data["tables"]
    assert sorted((p["email"], p["user_id"]) for p in tables["participants"]) == [
        ("jane@unodc.org", "UOBS"),
        ("sok@example.org", None),
        ("somchai@example.org", "UTH1"),
    ]
    assert [(o["delegation"], o["reason"]) for o in tables["objections"]] == [
        ("TH", "ຂໍ້ຄັດຄ້ານ: not yet, <!channel>")
    ]
    assert [(r["delegation"], r["text"]) for r in tables["reservations"]] == [
        ("TH", KHMER_RESERVATION)
    ]

    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    other = make_session_factory(make_engine(f"sqlite:///{target}"))
    with other.begin() as session:
        counts = import_record(session, data)
    assert (counts["participants"], counts["objections"], counts["reservations"]) == (3, 1, 1)
    with other() as session:
        assert export_record(session) == data
        assert [p.name for p in participants(session)] == ["សុខ ដារ៉ា", "Somchai Prasert", "Jane Doe"]
        listed = listed_delegations(session)
        assert (listed.states, listed.observers) == (["KH", "TH"], ["UNODC"])
        after = workshop_record(session, now=before.generated_at)
    rec_before, rec_after = before.groups[0].recommendations[0], after.groups[0].recommendations[0]
    assert rec_after.objections == rec_before.objections and rec_after.objections
    assert rec_after.reservations == rec_before.reservations and rec_after.reservations
    assert after.observers == before.observers == ("UNODC",)


@pytest.mark.parametrize(
    ("table", "key", "value", "problem"),
    [
        ("participants", "role", "chair", "'chair' is not one of delegate, observer, rapporteur"),
        ("groups", "procedure", "lottery", "'lottery' is not one of consensus, delegation, vote"),
        ("reservations", "recommendation_id", 999, "no recommendations row with id 999"),
    ],
)
def test_a_participant_row_or_reservation_out_of_place_is_refused(
    session_factory, tmp_path, sqlite_template, table, key, value, problem
):
    import shutil

    from storage.engines import make_engine
    from storage.sessions import make_session_factory

    with session_factory.begin() as session:
        _deciding_as_states(session)
    with session_factory() as session:
        data = json.loads(json.dumps(export_record(session)))
    data["tables"][table][0][key] = value
    target = tmp_path / "target.db"
    shutil.copy(sqlite_template, target)
    refused = pytest.raises(ImportRefused, match=rf"tables\.{table}\[0\]")
    with make_session_factory(make_engine(f"sqlite:///{target}")).begin() as session, refused as e:
        import_record(session, data)
    assert problem in str(e.value)
    with make_session_factory(make_engine(f"sqlite:///{target}"))() as session:
        assert export_record(session)["tables"]["participants"] == []
