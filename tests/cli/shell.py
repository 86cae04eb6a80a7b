"""Running the `rapporteur` command line in a process of its own, as a shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(*args: str, database_url: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot.cli ARGS` with DATABASE_URL set and no other Slack or database setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
