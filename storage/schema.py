"""Schema migrations (Alembic), one instance at a time, and the groups seeded after them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from storage.engines import is_postgres
from storage.sessions import make_session_factory, transaction

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    """An Alembic configuration bound to this engine's URL."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option(
        "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
    )
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision`, one instance at a time, then seed the groups."""
    from alembic import command

    with engine.connect() as connection:
        if is_postgres(engine):
            # Several instances may start at once: migrate under an advisory lock.
            connection.execute(text("SELECT pg_advisory_lock(727274)"))
            connection.commit()
        try:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            connection.commit()
        finally:
            if is_postgres(engine):
                connection.execute(text("SELECT pg_advisory_unlock(727274)"))
                connection.commit()
    if revision == "head":
        from storage.groups import seed_groups

        with transaction(make_session_factory(engine)) as session:
            seed_groups(session)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema down to `revision` (e.g. "base")."""
    from alembic import command

    with engine.connect() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
        connection.commit()


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None if it has none."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest schema revision this code knows."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head
