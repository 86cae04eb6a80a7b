"""`rapporteur import` refuses a malformed export, saying what and where, and changes nothing."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from storage import votes
from storage.engines import make_engine
from storage.models import Choice, ProcessedRequest
from storage.sessions import make_session_factory
from storage.transfer import export_record
from tests.cli.shell import run
from tests.factories import delegate, linked_group, submitted

Mutation = Callable[[dict[str, Any]], None]


@pytest.fixture
def export(tmp_path: Path, sqlite_template: Path) -> dict[str, Any]:
    """A valid export of a small record (from a database of its own)."""
    path = tmp_path / "source.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}", pool_size=1)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        linked_group(session)
        rec = submitted(session)
        votes.cast(session, actor=delegate("UV1"), recommendation_id=rec.id, choice=Choice.SUPPORT)
    with factory() as session:
        data = json.loads(json.dumps(export_record(session)))
    engine.dispose()
    return data


@pytest.fixture
def run_import(cli_env: None, tmp_path: Path) -> Callable[[Any], int]:
    """Import data through the CLI, in this process, into the test's database."""

    def run(data: Any) -> int:
        path = tmp_path / "record.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        return main(["import", str(path)])

    return run


def table(name: str, index: int = 0) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda data: data["tables"][name][index]


def _set(name: str, key: str, value: Any, index: int = 0) -> Mutation:
    return lambda data: table(name, index)(data).__setitem__(key, value)


def _drop(name: str, key: str) -> Mutation:
    return lambda data: table(name)(data).pop(key)


CASES: list[tuple[str, Mutation, str]] = [
    (
        "row-not-object",
        lambda d: d["tables"].__setitem__("groups", [1]),
        "tables.groups[0]: expected an object",
    ),
    ("tables-missing", lambda d: d.pop("tables"), "tables: expected an object of tables"),
    ("tables-not-object", lambda d: d.__setitem__("tables", []), "tables: expected an object"),
    (
        "rows-not-list",
        lambda d: d["tables"].__setitem__("votes", {}),
        "tables.votes: expected a list",
    ),
    (
        "unknown-table",
        lambda d: d["tables"].__setitem__("recomendations", []),
        "tables.recomendations: not a table",
    ),
    (
        "vote-for-nothing",
        _set("votes", "recommendation_id", 999),
        "tables.votes[0].recommendation_id: no recommendations row with id 999",
    ),
    (
        "rec-in-no-group",
        _set("recommendations", "group_id", 77),
        "tables.recommendations[0].group_id: no groups row",
    ),
    (
        "missing-key",
        _drop("recommendations", "text"),
        "tables.recommendations[0]: missing key 'text'",
    ),
    ("unknown-key", _set("people", "age", 3), "tables.people[0]: unknown key 'age'"),
    (
        "null",
        _set("recommendations", "text", None),
        "tables.recommendations[0].text: must not be null",
    ),
    (
        "int-as-string",
        _set("recommendations", "seq", "one"),
        "tables.recommendations[0].seq: expected an integer, got a string",
    ),
    (
        "bool-as-int",
        _set("groups", "is_open", 1),
        "tables.groups[0].is_open: expected true or false",
    ),
    ("int-too-big", _set("groups", "position", 2**40), "tables.groups[0].position: integer"),
    (
        "bad-time",
        _set("votes", "updated_at", "yesterday"),
        "tables.votes[0].updated_at: not an ISO date and time",
    ),
    (
        "time-as-number",
        _set("people", "updated_at", 5),
        "tables.people[0].updated_at: expected an ISO date",
    ),
    (
        "bad-choice",
        _set("votes", "choice", "maybe"),
        "tables.votes[0].choice: 'maybe' is not one of",
    ),
    ("too-long", _set("groups", "code", "X" * 9), "tables.groups[0].code: longer than 8"),
    (
        "detail-not-object",
        _set("audit_log", "detail", []),
        "tables.audit_log[0].detail: expected an object",
    ),
    ("duplicate-id", _set("groups", "id", 1, index=1), "tables.groups[1]: id=1 repeats row 0"),
    ("duplicate-key", _set("groups", "key", "e-evidence", index=1), "key='e-evidence' repeats"),
]


@pytest.mark.parametrize(("mutate", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_export_is_refused_and_nothing_changes(
    export, run_import, session_factory: sessionmaker[Session], capsys, mutate, message
):
    with session_factory() as session:
        before = export_record(session)
    data = copy.deepcopy(export)
    mutate(data)
    assert run_import(data) == 2
    err = capsys.readouterr().err
    assert err.startswith("rapporteur: import refused: ") and message in err, err
    with session_factory() as session:
        assert export_record(session) == before
    assert run_import(export) == 0  # the valid file still goes in: nothing was left behind


def test_what_only_the_database_refuses_is_refused_and_rolled_back(
    export, run_import, session_factory: sessionmaker[Session], capsys
):
    with session_factory.begin() as session:
        session.add(ProcessedRequest(key="event:Ev1"))
    with session_factory() as session:
        before = export_record(session)
    data = copy.deepcopy(export)
    data["tables"]["processed_requests"] = [
        {"key": "event:Ev1", "created_at": "2026-11-24T09:00:00+00:00"}
    ]
    assert run_import(data) == 2
    assert "tables.processed_requests: the database refused the rows" in capsys.readouterr().err
    with session_factory() as session:
        assert export_record(session) == before


def test_refusal_from_the_shell_is_one_line(export, tmp_path, database_url):
    data = dict(export, tables={"groups": [1]})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("import", str(path), database_url=database_url, cwd=tmp_path)
    assert result.returncode == 2
    assert "tables.groups[0]" in result.stderr and "Traceback" not in result.stderr
