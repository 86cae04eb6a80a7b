"""Migration 0002 (durable work): up from 0001 keeps the record, down drops only what it added."""

from __future__ import annotations

from sqlalchemy import inspect, text

from storage import votes
from storage.models import Choice, Recommendation
from storage.schema import current_revision, downgrade, head_revision, upgrade
from tests.factories import delegate, linked_group, submitted

NEW_TABLES = {"instances", "scheduled_jobs", "compile_requests"}
HEAD = head_revision()


def columns(engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_up_and_down_around_a_recorded_workshop(engine, session_factory):
    with session_factory.begin() as session:
        linked_group(session)
        rec_id = submitted(session).id
        # a vote refers to the recommendation: SQLite's copy of that table must keep it valid
        votes.cast(session, actor=delegate("UV1"), recommendation_id=rec_id, choice=Choice.SUPPORT)
    assert current_revision(engine) == HEAD

    downgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert NEW_TABLES.isdisjoint(inspect(engine).get_table_names())
    assert "card_lease_owner" not in columns(engine, "recommendations")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM recommendations")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM votes")).scalar() == 1

    upgrade(engine)
    assert current_revision(engine) == HEAD
    assert set(inspect(engine).get_table_names()) >= NEW_TABLES
    assert "card_lease_owner" in columns(engine, "recommendations")
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("scheduled_jobs")}
    assert "ix_scheduled_jobs_due_at" in indexes
    with session_factory() as session:
        rec = session.get(Recommendation, rec_id)
        assert rec is not None and rec.card_lease_owner is None
        assert rec.text.startswith("Preserve electronic evidence")


def test_down_to_base_from_0002(engine):
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not NEW_TABLES & set(inspect(engine).get_table_names())
    upgrade(engine, "0002")
    assert current_revision(engine) == "0002"
    upgrade(engine)  # the next tests share this database
    assert current_revision(engine) == HEAD
