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
