"""A malformed setting stops every command with one line naming it: no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import SettingsError, load_settings
from tests.cli.shell import run

EXPECTED = "sqlite:///path/to/file.db or postgresql+psycopg://user:pass@host/db"
COMMANDS = [
    ["serve", "--port", "1"],
    ["serve", "--socket"],
    ["audit"],
    ["export"],
    ["import", "record.json"],
    ["compile", "--out", "out.docx"],
    ["db", "upgrade"],
    ["db", "current"],
]
BAD_URLS = [
    "notaurl",
    "mysql://x/y",
    "postgresql+psycopg2://user:s3cret-pw@db/rapporteur",
    "postgresql://user:s3cret-pw@db:port/rapporteur",
    "sqlite://",
    "sqlite:///:memory:",
]


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """An environment with no settings but the test's (and no .env to read)."""
    for name in os.environ:
        if name.startswith(("SLACK_", "DATABASE_URL", "LOG_", "ENVIRONMENT")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("url", BAD_URLS)
def test_malformed_database_url_is_named_by_every_command(environ, capsys, command, url):
    environ.setenv("DATABASE_URL", url)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "DATABASE_URL" in err and EXPECTED in err
    assert "s3cret-pw" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:///storage/rapporteur.db",
        "sqlite+pysqlite:////var/lib/rapporteur.db",
        "postgresql+psycopg://user:pw@db:5432/rapporteur",
        "postgresql+psycopg://user@/rapporteur?host=/run/postgresql",
    ],
)
def test_usable_database_urls_are_accepted(environ, url):
    assert load_settings(database_url=url).database_url == url


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_the_short_postgres_schemes_mean_psycopg_3(environ, scheme):
    settings = load_settings(database_url=f"{scheme}://user:pw@db:5432/rapporteur")
    assert settings.database_url == "postgresql+psycopg://user:pw@db:5432/rapporteur"


def test_malformed_database_url_from_the_shell_is_one_line(tmp_path):
    for url in ("notaurl", "mysql://x/y"):
        result = run("serve", "--port", "1", database_url=url, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LOG_LEVEL", "loud", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("LOG_FORMAT", "xml", "json or text"),
    ],
)
def test_malformed_log_settings_are_named(environ, capsys, name, value, expected):
    environ.setenv(name, value)
    environ.setenv("DATABASE_URL", "sqlite:///never-opened.db")
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert name in err and expected in err
    with pytest.raises(SettingsError, match=name):
        load_settings()


def test_log_settings_are_case_insensitive(environ):
    environ.setenv("LOG_LEVEL", "debug")
    environ.setenv("LOG_FORMAT", "TEXT")
    settings = load_settings()
    assert (settings.log_level, settings.log_format) == ("DEBUG", "text")
