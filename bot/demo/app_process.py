"""`rapporteur serve` as a child process on a free local port, started and stopped cleanly."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import bot
from bot.demo.errors import DemoError
from bot.settings import Settings

WORKSHOP = ("workshop_title", "workshop_venue", "workshop_dates", "workshop_organizers")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


@dataclass(frozen=True)
class AppConfig:
    """What the served app is told through its environment."""

    api_url: str
    signing_secret: str
    bot_token: str
    organizer_ids: tuple[str, ...]
    database_url: str
    card_update_interval: float = 0.2
    workers: int = 2


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def child_environment(config: AppConfig, **overrides: str) -> dict[str, str]:
    """The parent's environment with every setting the demo depends on pinned.

    The benchmarks and the tests serve the app with the same environment, plus `overrides`.
    """
    env = dict(os.environ)
    # An operator's own template or app token has no place in a self-contained demo.
    for name in ("REPORT_TEMPLATE", "SLACK_APP_TOKEN"):
        env.pop(name, None)
    package_root = str(Path(bot.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    env.update(
        SLACK_API_URL=config.api_url,
        SLACK_SIGNING_SECRET=config.signing_secret,
        SLACK_BOT_TOKEN=config.bot_token,
        ORGANIZER_USER_IDS=",".join(config.organizer_ids),
        DATABASE_URL=config.database_url,
        CARD_UPDATE_INTERVAL=str(config.card_update_interval),
        WEB_CONCURRENCY=str(config.workers),
        # The demo checks the outcome against the default adoption rule, and its groups that
        # choose no procedure decide by vote.
        ADOPTION_MAJORITY="simple",
        ADOPTION_QUORUM="0",
        DECISION_PROCEDURE="vote",
        ENVIRONMENT="production",
        LOG_FORMAT="text",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    # The workshop the demo plays is the one the app was built for: the built-in defaults.
    env.update({name.upper(): str(Settings.model_fields[name].default) for name in WORKSHOP})
    env.update(overrides)
    return env


class NotHealthy(RuntimeError):
    """A served app exited, or did not answer /healthz in time (the text says which)."""


def wait_healthy(
    base_url: str,
    process: subprocess.Popen[bytes],
    timeout: float = START_TIMEOUT,
    poll: float = 0.05,
) -> float:
    """Poll `base_url`/healthz until it answers 200; the seconds it took. Raises NotHealthy."""
    started = time.monotonic()
    while time.monotonic() < started + timeout:
        if process.poll() is not None:
            raise NotHealthy(f"exited with code {process.returncode} while starting")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:  # refused while starting (URLError is an OSError)
            pass
        time.sleep(poll)
    raise NotHealthy(f"did not answer /healthz within {timeout:.0f} s")


class AppProcess:
    """The production HTTP server (gunicorn) in a child process; a context manager."""

    def __init__(self, config: AppConfig, workdir: Path, host: str = "127.0.0.1") -> None:
        self.config = config
        self.workdir = workdir
        self.host = host
        self.port = free_port(host)
        self.log_path = workdir / "server.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        """e.g. http://127.0.0.1:PORT"""
        return f"http://{self.host}:{self.port}"

    @property
    def events_url(self) -> str:
        """Where Slack would send requests."""
        return f"{self.base_url}/slack/events"

    def start(self) -> Self:
        """Spawn the server and wait until /healthz answers; raises DemoError if it does not."""
        command = [sys.executable, "-m", "bot.cli", "serve", "--host", self.host]
        command += ["--port", str(self.port)]
        with self.log_path.open("wb") as log:
            # Its own session: Ctrl-C reaches the demo only, which then stops the server in order.
            # The working folder is the temporary one, so no stray .env changes the settings.
            self._process = subprocess.Popen(
                command,
                cwd=self.workdir,
                env=child_environment(self.config),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self) -> None:
        assert self._process is not None
        try:
            wait_healthy(self.base_url, self._process)
        except NotHealthy as error:
            raise DemoError(f"the app {error}\n" + self.log_tail()) from None

    def running(self) -> bool:
        """Whether the server process is still alive."""
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        """SIGTERM (gunicorn finishes in-flight work), then SIGKILL the group if it hangs."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            # Hung, or a second Ctrl-C while it shuts down: don't leave it running.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def log_tail(self, lines: int = 25) -> str:
        """The end of the server's output, for error messages."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        tail = text.strip().splitlines()[-lines:]
        return "server output:\n" + "\n".join("  " + line for line in tail) if tail else ""

    def __enter__(self) -> Self:
        """Start the server."""
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()
