"""Alembic migrations: upgrade and downgrade on SQLite and PostgreSQL; the model matches."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.models import Base
from storage.schema import current_revision, downgrade, upgrade


def test_schema_matches_the_models(engine):
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(engine):
    assert current_revision(engine) is not None
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert "recommendations" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert current_revision(engine) is not None
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM groups")).scalar_one() == 4
    upgrade(engine)  # a second instance starting on the same database just works
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM groups")).scalar_one() == 4
