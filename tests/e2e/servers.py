"""Starting `rapporteur serve` subprocesses for tests."""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request

from tests.e2e.harness import BOT_TOKEN, ORGANIZER, SIGNING_SECRET


def serve_env(database_url: str, api_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
        DATABASE_URL=database_url,
        ORGANIZER_USER_IDS=ORGANIZER,
        CARD_UPDATE_INTERVAL="0.2",
        WEB_CONCURRENCY="2",
        LOG_FORMAT="json",
    )
    env.update(extra)
    return env


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "exited")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server never became healthy")
