"""What every benchmark needs: processes, databases, the emulator, statistics and reporting."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.demo import app_process
from bot.demo.app_process import free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
BOT_TOKEN = "xoxb-bench-token"
ORGANIZER = "UORG1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- statistics ---------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latency_summary(seconds: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/max in milliseconds."""
    return {
        "p50_ms": percentile(seconds, 50) * 1000,
        "p95_ms": percentile(seconds, 95) * 1000,
        "p99_ms": percentile(seconds, 99) * 1000,
        "max_ms": max(seconds, default=0.0) * 1000,
    }


def median_of(runs: Sequence[dict[str, Any]], key: str) -> float:
    """The median of one numeric field over several runs."""
    return statistics.median(float(r[key]) for r in runs) if runs else 0.0


# -- processes ------------------------------------------------------------------------------


def process_tree(pid: int) -> list[int]:
    """The pid and every live descendant of it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (its finished children not included)."""
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return 0.0


def rss_mb(pid: int) -> float:
    """Resident memory of one process in MB."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


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


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "python": sys.version.split()[0],
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:,.1f}" if abs(value) >= 10 else f"{value:.2f}"
        return str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def write_json(path: Path | None, data: Any) -> None:
    """Write results as JSON if a path was given."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1, default=str) + "\n")


def bench_arguments(doc: str, quick_help: str) -> argparse.ArgumentParser:
    """The flags every benchmark takes: --quick, --db and --json."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--db", default="auto", choices=["auto", "sqlite", "postgres", "both"])
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    return parser


def command_line(
    doc: str,
    quick_help: str,
    run: Callable[[bool, str, Path | None], object],
    argv: list[str] | None,
) -> None:
    """Parse the common flags and run the benchmark."""
    args = bench_arguments(doc, quick_help).parse_args(argv)
    run(args.quick, args.db, args.json)
