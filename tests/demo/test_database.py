"""The database the demo is given: a relative file stays where the demo was started; no replay."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.demo.database import prepare_database
from bot.demo.errors import DemoError
from storage.models import Group
from storage.sessions import transaction
from storage.transfer import export_record
from tests import factories


def test_a_relative_sqlite_file_is_in_the_folder_the_demo_started_in(tmp_path: Path) -> None:
    url = prepare_database("sqlite:///kept/demo.db", tmp_path)
    assert url == f"sqlite:///{tmp_path / 'kept' / 'demo.db'}"
    assert not (tmp_path / "kept").exists()  # the app creates it


def test_absolute_files_and_database_servers_are_used_as_given(tmp_path: Path) -> None:
    absolute = f"sqlite:///{tmp_path / 'demo.db'}"
    assert prepare_database(absolute, Path("/elsewhere")) == absolute
    # Nobody listens there: the app reports that when it starts, not this check.
    server = "postgresql+psycopg://demo:s3cret@127.0.0.1:9/none"
    assert prepare_database(server, tmp_path) == server
    assert not (tmp_path / "demo.db").exists()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_is_refused_as_the_app_refuses_it(url: str, tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="DATABASE_URL: an SQLite URL needs a file"):
        prepare_database(url, tmp_path)


def test_a_malformed_url_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DemoError, match="DATABASE_URL: not a database URL"):
        prepare_database("demo.db", tmp_path)


def test_an_empty_migrated_database_is_accepted(database_url: str, tmp_path: Path) -> None:
    assert prepare_database(database_url, tmp_path) == database_url


def test_a_database_holding_a_workshop_is_refused_and_left_unchanged(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with transaction(session_factory) as session:
        factories.linked_group(session)
        factories.submitted(session)
        before = export_record(session)
    with pytest.raises(DemoError) as refused:
        prepare_database(database_url, tmp_path)
    message = str(refused.value)
    assert "already holds a workshop (1 recommendations, " in message
    assert "the demo needs an empty database" in message
    assert "Leave DATABASE_URL unset" in message
    assert "\n" not in message
    with transaction(session_factory) as session:
        assert export_record(session) == before


def test_closed_groups_alone_are_a_played_workshop(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with transaction(session_factory) as session:
        session.execute(update(Group).values(is_open=False))
    with pytest.raises(DemoError, match=r"\(4 groups linked, appointed or closed\)"):
        prepare_database(database_url, tmp_path)


def test_the_password_is_not_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.demo import database

    monkeypatch.setattr(database, "_played", lambda session: ["1 votes"])
    monkeypatch.setattr(database, "create_engine", _sqlite_engine(tmp_path))
    with pytest.raises(DemoError) as refused:
        prepare_database("postgresql+psycopg://demo:s3cret@db.example/rapporteur", tmp_path)
    assert "s3cret" not in str(refused.value)
    assert "demo:***@db.example" in str(refused.value)


def _sqlite_engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    return lambda url, connect_args: create_engine(f"sqlite:///{tmp_path / 'any.db'}")
