"""Benchmark 5, start-up: `rapporteur serve` launched → `/healthz` answers 200.

``python -m bench.startup [--quick] [--db sqlite|postgres|both] [--json FILE]``

Timed from the moment the process is spawned, for a first start on an empty database (the
schema is created) and for restarts on a migrated one; resident memory of each worker once
it is healthy.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import (
    PYTHON,
    Served,
    app_env,
    backends,
    emulator_process,
    free_port,
    wait_healthy,
    workspace,
)
from bench.measure import rss_mb
from bench.reporting import command_line, machine, table, write_json


def start_once(url: str, api_url: str, workdir: Path) -> dict[str, Any]:
    """Spawn the server, poll /healthz, note the time and worker memory, stop it."""
    port = free_port()
    log_path = workdir / f"startup-{port}.log"
    with log_path.open("wb") as log:
        spawned = time.perf_counter()
        process = subprocess.Popen(
            [PYTHON, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=app_env(url, api_url),
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served = Served("rapporteur", process, port, log_path)
    try:
        wait_healthy(served, timeout=60)
        seconds = time.perf_counter() - spawned
        time.sleep(0.5)  # the second worker may answer a moment after the first
        memory = [rss_mb(p) for p in served.workers()]
    finally:
        served.stop()
    return {"seconds": seconds, "worker_rss_mb": memory}


def run(quick: bool = False, db: str = "auto", json_path: Path | None = None) -> dict[str, Any]:
    """First start and restarts on each backend; print and return the results."""
    restarts = 1 if quick else 5
    results: dict[str, Any] = {"machine": machine(), "backends": {}}
    with workspace() as (workdir, databases), emulator_process() as emulator:
        for backend in backends(db, quick):
            print(f"start-up on {backend} …", file=sys.stderr, flush=True)
            url = databases.fresh(backend, "bench_startup")
            first = start_once(url, emulator.api_url, workdir)
            again = [start_once(url, emulator.api_url, workdir) for _ in range(restarts)]
            results["backends"][backend] = {"first": first, "restarts": again}
    write_json(json_path, results)
    print(report(results))
    return results


def report(results: dict[str, Any]) -> str:
    """Markdown table."""
    rows = []
    for name, data in results["backends"].items():
        again = [r["seconds"] for r in data["restarts"]]
        rows.append(
            [
                name,
                data["first"]["seconds"],
                statistics.median(again),
                max(again),
                max(m for r in data["restarts"] for m in r["worker_rss_mb"]),
            ]
        )
    return (
        table(
            [
                "database",
                "first start (creates schema) s",
                "restart median s",
                "restart max s",
                "idle worker RSS MB",
            ],
            rows,
        )
        + "\n"
    )


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    command_line(__doc__ or "", "one restart, SQLite only", run, argv)


if __name__ == "__main__":
    main()
