"""Shared fixtures: databases (SQLite and a real PostgreSQL), the Slack emulator, the app.

The app fixture (`harness`) serves the real app to signed requests, watched by the emulator:
tests/listeners drives each feature through it, tests/e2e what cuts across features.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from bot.emulator import Emulator
from storage.engines import make_engine
from storage.groups import seed_groups
from storage.models import Base
from storage.schema import upgrade
from storage.sessions import make_session_factory
from tests.harness import Harness, start_harness


def _own_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (tests truncate it)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not found:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


PG_URL = _own_database(os.environ.get("TEST_DATABASE_URL", ""))
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}", pool_size=1)
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_engine() -> Iterator[Engine]:
    """The PostgreSQL database .ci/run starts (TEST_DATABASE_URL), migrated once."""
    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("TEST_DATABASE_URL is not set: CI must test on PostgreSQL")
        pytest.skip("TEST_DATABASE_URL not set (make test starts a PostgreSQL for you)")
    engine = make_engine(PG_URL, pool_size=20)
    upgrade(engine)
    yield engine
    engine.dispose()


def _truncate(engine: Engine) -> None:
    tables = ", ".join(t.name for t in reversed(Base.metadata.sorted_tables))
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    factory = make_session_factory(engine)
    with factory.begin() as session:
        seed_groups(session)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated and seeded database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "rapporteur.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    engine = request.getfixturevalue("pg_engine")
    _truncate(engine)
    return PG_URL


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the fresh database."""
    engine = make_engine(database_url, pool_size=10)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on the fresh database."""
    return make_session_factory(engine)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """One session; the test commits when it wants to."""
    with session_factory() as session:
        yield session


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """The Slack Web API emulator (reset by each test that uses it)."""
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def harness(emulator: Emulator, database_url: str) -> Iterator[Harness]:
    """The real app served on a local port, on a fresh database, emulator reset."""
    emulator.reset()
    harness = start_harness(emulator, database_url)
    yield harness
    harness.close()
