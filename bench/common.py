"""What every benchmark needs: processes, databases, the emulator, statistics and reporting."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import cpu_seconds, process_tree
from bot.demo import app_process
from bot.demo.app_process import free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-bench-token"
ORGANIZER = "UORG1"


# -- statistics ---------------------------------------------------------------------------


# -- processes ------------------------------------------------------------------------------


@dataclass
class Served:
    """A server subprocess on a local port (gunicorn master plus workers)."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        """The Slack request URL."""
        return f"http://127.0.0.1:{self.port}/slack/events"

    def pids(self) -> list[int]:
        """Master and workers."""
        return process_tree(self.process.pid)

    def workers(self) -> list[int]:
        """The worker processes only."""
        return [p for p in self.pids() if p != self.process.pid]

    def cpu(self) -> float:
        """CPU seconds of master and live workers so far."""
        return sum(cpu_seconds(p) for p in self.pids())

    def stop(self) -> None:
        """SIGTERM, then wait (gunicorn finishes queued work first)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's output, for error messages."""
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-chars:]
        return ""


def wait_healthy(served: Served, timeout: float = 30.0) -> float:
    """Poll /healthz until it answers 200; return the seconds it took from now."""
    base_url = f"http://127.0.0.1:{served.port}"
    try:
        return app_process.wait_healthy(base_url, served.process, timeout, poll=0.01)
    except app_process.NotHealthy as error:
        raise RuntimeError(f"{served.name} {error}:\n{served.log_tail()}") from None


def app_env(database_url: str, api_url: str, **extra: str) -> dict[str, str]:
    """The environment `rapporteur serve` gets: production settings against the emulator."""
    config = app_process.AppConfig(
        api_url=api_url,
        signing_secret=SIGNING_SECRET,
        bot_token=BOT_TOKEN,
        organizer_ids=(ORGANIZER,),
        database_url=database_url,
        card_update_interval=1.0,  # the production default
    )
    # The Word build alone, as every earlier round measured it (REPORT_PDF adds LibreOffice).
    extra = {"REPORT_PDF": "never", **extra}
    return app_process.child_environment(config, LOG_FORMAT="json", LOG_LEVEL="WARNING", **extra)


def start_server(
    name: str, argv: list[str], env: dict[str, str], workdir: Path, *, wait: bool = True
) -> Served:
    """Start a server subprocess on a free port (`{port}` in argv is replaced)."""
    port = free_port()
    log_path = workdir / f"{name}-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [a.replace("{port}", str(port)) for a in argv],
        env=env,
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    served = Served(name, process, port, log_path)
    if wait:
        wait_healthy(served)
    return served


def serve_app(
    database_url: str, api_url: str, workdir: Path, ablation: str | None = None, **extra: str
) -> Served:
    """`rapporteur serve`, exactly as in production (gunicorn gthread, verification on).

    With `ablation` (bench.ablated_app), part of a vote's work is switched off: bench.floor.
    """
    command = ["bench.ablated_app", ablation] if ablation else ["bot.cli"]
    argv = [PYTHON, "-m", *command, "serve", "--host", "127.0.0.1", "--port", "{port}"]
    return start_server("rapporteur", argv, app_env(database_url, api_url, **extra), workdir)


def serve_bare(api_url: str, workdir: Path, **extra: str) -> Served:
    """The ceiling: a Bolt app that verifies and acks, under the same gunicorn set-up."""
    argv = [PYTHON, "-m", "bench.bare_app", "--host", "127.0.0.1", "--port", "{port}"]
    env = app_env("sqlite:///unused.db", api_url, **extra)
    return start_server("bare-bolt", argv, env, workdir)


@dataclass
class EmulatorProcess:
    """The Slack emulator in its own process (its CPU is accounted for separately)."""

    process: subprocess.Popen[str]
    api_url: str

    @property
    def url(self) -> str:
        """The base URL (control API lives under /_emulator/)."""
        return self.api_url[: -len("/api/")]

    def cpu(self) -> float:
        """CPU seconds used so far."""
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        """Stop the emulator."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def emulator_process() -> Iterator[EmulatorProcess]:
    """`python -m bot.emulator` on a free port."""
    process = subprocess.Popen(
        [PYTHON, "-m", "bot.emulator", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    api_url = process.stdout.readline().strip()
    emulator = EmulatorProcess(process, api_url)
    try:
        if not api_url.startswith("http"):
            raise RuntimeError("the emulator did not start")
        yield emulator
    finally:
        emulator.stop()


# -- databases ------------------------------------------------------------------------------


@dataclass
class Databases:
    """Fresh databases on demand: SQLite files, and PostgreSQL if one is available."""

    workdir: Path
    pg_server_url: str | None = None
    _cluster: Path | None = None
    _created: list[str] = field(default_factory=list)

    def fresh(self, backend: str, name: str) -> str:
        """A new, empty database URL for `backend` ("sqlite" or "postgres")."""
        if backend == "sqlite":
            path = self.workdir / f"{name}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return f"sqlite:///{path}"
        server = self.postgres()
        import psycopg

        plain = server.replace("postgresql+psycopg://", "postgresql://")
        base, _, _ = plain.rpartition("/")
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return server.rpartition("/")[0] + "/" + name

    def postgres(self) -> str:
        """The PostgreSQL server URL (BENCH_DATABASE_URL, or a throwaway cluster)."""
        if self.pg_server_url is None:
            url = os.environ.get("BENCH_DATABASE_URL")
            if not url:
                self._cluster = Path(tempfile.mkdtemp(prefix="rapporteur-bench-pg."))
                result = subprocess.run(
                    [str(ROOT / "scripts" / "pg-cluster.sh"), "start", str(self._cluster)],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode != 0:
                    raise RuntimeError("cannot start PostgreSQL: " + result.stderr[-500:])
                url = result.stdout.strip().splitlines()[-1]
            self.pg_server_url = url
        return self.pg_server_url

    def close(self) -> None:
        """Stop the throwaway cluster, if one was started."""
        if self._cluster is not None:
            subprocess.run(
                [str(ROOT / "scripts" / "pg-cluster.sh"), "stop", str(self._cluster)],
                capture_output=True,
                check=False,
            )
            self._cluster = None


def postgres_available() -> bool:
    """Whether a PostgreSQL can be used (BENCH_DATABASE_URL, or initdb to start one)."""
    return bool(
        os.environ.get("BENCH_DATABASE_URL")
        or shutil.which("initdb")
        or Path("/usr/lib/postgresql/15/bin/initdb").exists()
    )


@contextlib.contextmanager
def workspace(keep: bool = False) -> Iterator[tuple[Path, Databases]]:
    """A scratch directory and the databases created in it."""
    workdir = Path(tempfile.mkdtemp(prefix="rapporteur-bench."))
    databases = Databases(workdir)
    try:
        yield workdir, databases
    finally:
        databases.close()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def backends(choice: str, quick: bool) -> list[str]:
    """The backends to run: "sqlite", "postgres", "both" (quick default: sqlite)."""
    if choice == "auto":
        choice = "sqlite" if quick else "both"
    wanted = ["sqlite", "postgres"] if choice == "both" else [choice]
    if "postgres" in wanted and not postgres_available():
        print("PostgreSQL not available: skipping it", file=sys.stderr)
        wanted.remove("postgres")
    return wanted


# -- reporting ------------------------------------------------------------------------------
