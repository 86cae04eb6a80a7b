"""Every migration, one step at a time: down to base and back up, with a workshop recorded."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage import votes
from storage.models import Choice
from storage.schema import MIGRATIONS, current_revision, downgrade, head_revision, upgrade
from tests.factories import delegate, linked_group, submitted


def revisions() -> list[tuple[str, str | None]]:
    """(revision, its down revision), newest first."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return [
        (script.revision, script.down_revision)  # type: ignore[misc]
        for script in ScriptDirectory.from_config(config).walk_revisions()
    ]


def test_each_revision_goes_down_and_up_keeping_the_record(engine, session_factory):
    with session_factory.begin() as session:
        linked_group(session)
        rec_id = submitted(session).id
        votes.cast(session, actor=delegate("UV1"), recommendation_id=rec_id, choice=Choice.SUPPORT)
    chain = revisions()
    assert chain[0][0] == head_revision()
    for revision, down in chain:
        if down is None:
            continue  # the initial schema: tested down to base in test_schema
        assert current_revision(engine) == revision
        downgrade(engine, str(down))
        assert current_revision(engine) == down
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM votes")).scalar_one() == 1
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM recommendations")).scalar_one() == 1
