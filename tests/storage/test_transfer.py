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
