"""Benchmark 6, clicks during a compile: what an organizer's compile costs the people voting.

``python -m bench.during_compile [--quick] [--db sqlite|postgres|both] [--json FILE]``

The database holds a workshop of the compile benchmark's base size (4 groups × 150
recommendations, 200 voters, 120,000 votes) and `rapporteur serve` runs on it as in
production. 200 voters then click 5 fresh cards once each within 10 s (the burst of
benchmark 2), and 3 s in, an organizer sends `/wg compile all`. Reported: the acks of the
clicks sent while the compile ran against those sent before it, the time from the command
to the uploaded file, and the workers' resident memory before and after.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import ORGANIZER, SIGNING_SECRET, backends, emulator_process, serve_app, workspace
from bench.compile import fill
from bench.measure import latency_summary, rss_mb
from bench.reporting import command_line, machine, table, write_json
from bench.scenario import CHANNEL, post_cards, run_loadgen, settle
from bot.emulator import EmulatorClient, SlackSender

UPLOADED = "files.completeUploadExternal"


def reopen_groups(url: str) -> None:
    """The compile benchmark's filler closes every group; voting needs them open."""
    from sqlalchemy import update

    from storage.engines import make_engine
    from storage.models import Group

    engine = make_engine(url, pool_size=1)
    with engine.begin() as conn:
        conn.execute(update(Group.__table__).values(is_open=True))
    engine.dispose()


def measure_backend(url: str, workdir: Path, plan: dict[str, Any]) -> dict[str, Any]:
    """Fill, serve, start the burst, compile in the middle of it; split the acks."""
    filled = fill(url, plan["per_group"], plan["voters"])
    reopen_groups(url)
    with emulator_process() as emulator:
        app = serve_app(url, emulator.api_url, workdir)
        try:
            cards = post_cards(app.url, emulator.url, 5)
            settle(app)
            control = EmulatorClient(emulator.url)
            rss_before = [round(rss_mb(p), 1) for p in app.workers()]
            spec = {
                "mode": "burst",
                "url": app.url,
                "secret": SIGNING_SECRET,
                "cards": cards,
                "voters": plan["voters"],
                "window": plan["window"],
                "seed": 11,
                "samples": True,
            }
            outcome: dict[str, Any] = {}
            load = threading.Thread(target=lambda: outcome.update(run_loadgen(spec)))
            load.start()
            time.sleep(plan["compile_at"])
            slack = SlackSender(app.url, SIGNING_SECRET, emulator_url=emulator.url)
            asked = time.time()
            ack = slack.command(ORGANIZER, CHANNEL, "/wg", "compile all")
            acked = time.time()
            (upload,) = control.wait_for(UPLOADED, count=1, timeout=600)
            load.join()
            settle(app, quiet=2.5)
            rss_after = [round(rss_mb(p), 1) for p in app.workers()]
        finally:
            app.stop()
    done = upload["time"]
    during, before, after = [], [], []
    for sent, latency in outcome["samples"]:
        at = outcome["started_at"] + sent
        (during if asked <= at <= done else before if at < asked else after).append(latency)
    return {
        **filled,
        "compile_status": ack.status,
        "compile_ack_ms": 1000 * (acked - asked),
        "compile_s": done - asked,
        "clicks": outcome["clicks"],
        "answered": outcome["answered"],
        "over_3s": outcome["over_3s"],
        "errors": outcome["errors"],
        "acks_before": {"n": len(before), **latency_summary(before)},
        "acks_during": {"n": len(during), **latency_summary(during)},
        "acks_after": {"n": len(after), **latency_summary(after)},
        "worker_rss_before_mb": rss_before,
        "worker_rss_after_mb": rss_after,
    }


def report(results: dict[str, Any]) -> str:
    """Markdown: one row per database."""

    def acks(summary: dict[str, float]) -> str:
        n, p50, p99, top = (summary[k] for k in ("n", "p50_ms", "p99_ms", "max_ms"))
        return f"{n}: {p50:.0f} / {p99:.0f} / {top:.0f}"

    rows = [
        [
            name,
            f"{r['recommendations']:,} / {r['votes']:,}",
            f"{r['compile_s']:.2f}",
            acks(r["acks_before"]),
            acks(r["acks_during"]),
            r["over_3s"],
            " ".join(f"{m:.0f}" for m in r["worker_rss_before_mb"]),
            " ".join(f"{m:.0f}" for m in r["worker_rss_after_mb"]),
        ]
        for name, r in results["backends"].items()
    ]
    return (
        table(
            [
                "database",
                "recommendations / votes",
                "/wg compile all → file uploaded, s",
                "clicks before it: n: p50 / p99 / max ms",
                "clicks during it: n: p50 / p99 / max ms",
                "acks ≥ 3 s",
                "worker RSS before, MB",
                "worker RSS after, MB",
            ],
            rows,
        )
        + "\n"
    )


def plan_for(quick: bool) -> dict[str, Any]:
    """The workshop's size, the burst and when the compile starts."""
    if quick:
        return {"per_group": 10, "voters": 20, "window": 3.0, "compile_at": 1.0}
    return {"per_group": 150, "voters": 200, "window": 10.0, "compile_at": 3.0}


def run(quick: bool = False, db: str = "auto", json_path: Path | None = None) -> dict[str, Any]:
    """Once per backend on a fresh database; print and return the results."""
    plan = plan_for(quick)
    results: dict[str, Any] = {"machine": machine(), "plan": plan, "backends": {}}
    with workspace() as (workdir, databases):
        for backend in backends(db, quick):
            print(f"during_compile on {backend} …", file=sys.stderr, flush=True)
            url = databases.fresh(backend, "bench_during_compile")
            results["backends"][backend] = measure_backend(url, workdir, plan)
    write_json(json_path, results)
    print(report(results))
    return results


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    command_line(__doc__ or "", "a tiny workshop, SQLite only", run, argv)


if __name__ == "__main__":
    main()
