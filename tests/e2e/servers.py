"""Starting `rapporteur serve` subprocesses for tests (the demo's environment and health poll)."""

from __future__ import annotations

import subprocess

from bot.demo.app_process import AppConfig, NotHealthy, child_environment
from bot.demo.app_process import wait_healthy as poll_healthy
from tests.harness import BOT_TOKEN, ORGANIZER, SIGNING_SECRET


def serve_env(database_url: str, api_url: str, **extra: str) -> dict[str, str]:
    config = AppConfig(
        api_url=api_url,
        signing_secret=SIGNING_SECRET,
        bot_token=BOT_TOKEN,
        organizer_ids=(ORGANIZER,),
        database_url=database_url,
    )
    extra = {"REPORT_PDF": "never", **extra}  # the PDF is tested in tests/delivery/test_compile.py
    return child_environment(config, LOG_FORMAT="json", LOG_LEVEL="INFO", **extra)


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    try:
        poll_healthy(f"http://127.0.0.1:{port}", process, timeout, poll=0.1)
    except NotHealthy as error:
        detail = process.stderr.read().decode() if process.stderr and process.poll() else ""
        raise AssertionError(f"server {error}\n{detail}") from None
