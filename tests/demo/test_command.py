"""`rapporteur demo`'s arguments, and the settings it takes from the environment and .env."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.demo.command import add_demo_command, database_url
from bot.demo.script import MAX_DELEGATES
from bot.settings import load_settings


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rapporteur")
    add_demo_command(parser.add_subparsers())
    return parser.parse_args(["demo", *argv])


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with no DATABASE_URL anywhere yet."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return tmp_path


def test_database_url_unset_means_a_temporary_database(folder: Path) -> None:
    assert database_url(load_settings()) is None


def test_database_url_in_env_file_is_used(folder: Path) -> None:
    (folder / ".env").write_text("DATABASE_URL=sqlite:///from-env-file.db\n", encoding="utf-8")
    assert database_url(load_settings()) == "sqlite:///from-env-file.db"


def test_the_environment_comes_before_env_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / ".env").write_text("DATABASE_URL=sqlite:///from-env-file.db\n", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-environment.db")
    assert database_url(load_settings()) == "sqlite:///from-environment.db"


@pytest.mark.parametrize("count", [6, 24, 61, 100, MAX_DELEGATES])
def test_large_rooms_are_accepted(count: int) -> None:
    assert parse("--delegates", str(count)).delegates == count


def test_too_few_delegates_are_refused_with_the_reason(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        parse("--delegates", "5")
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "must be at least 6: each of the 6 delegations (VN, TH, KH, LA, PH, KR)" in error
    assert "needs a delegate" in error


def test_too_many_delegates_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse("--delegates", str(MAX_DELEGATES + 1))
    assert f"must be at most {MAX_DELEGATES}" in capsys.readouterr().err
