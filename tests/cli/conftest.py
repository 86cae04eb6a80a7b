"""Fixtures for the command-line tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> None:
    """The CLI in this process, on the test's database, with no .env to read."""
    for name in os.environ:
        if name.startswith(("SLACK_", "DATABASE_URL")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
