"""Benchmark 1, the vote path: Rapporteur against the bare-Bolt ceiling, same server set-up.

``python -m bench.vote_path [--quick] [--db sqlite|postgres|both] [--json FILE]``

Both servers run side by side under `rapporteur serve`'s gunicorn options (gthread,
WEB_CONCURRENCY × WEB_THREADS); the load generator (bench.loadgen, its own process) sends the
same signed clicks to each in turn, alternating bare/app for every repeat so drift hits both.
Server CPU is counted until the server is idle again, so the work a vote queues after its ack
(the confirmation, the card update) is part of its cost.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import (
    SIGNING_SECRET,
    backends,
    emulator_process,
    serve_app,
    serve_bare,
    workspace,
)
from bench.measure import median_of, rss_mb
from bench.reporting import bench_arguments, machine, table, write_json
from bench.scenario import post_cards, run_loadgen, settle
from bot.emulator import EmulatorClient

CARDS = 5
VOTERS = 200


def measure_backend(
    backend: str, url: str, workdir: Path, plan: dict[str, Any], ablation: str | None = None
) -> dict[str, Any]:
    """All concurrency levels on one database: medians for both servers, plus costs.

    `ablation` serves the app with part of a vote's work switched off (bench.floor).
    """
    with emulator_process() as emulator:
        app = serve_app(url, emulator.api_url, workdir, ablation)
        bare = serve_bare(emulator.api_url, workdir)
        try:
            cards = post_cards(app.url, emulator.url, CARDS)
            settle(app)
            control = EmulatorClient(emulator.url)
            calls_before = {m: len(control.calls(m)) for m in ("chat.postEphemeral", "chat.update")}
            offset, app_sent, levels = 0, 0, []
            cost = {"app": {"cpu": 0.0, "sent": 0, "emu": 0.0}, "bare": {"cpu": 0.0, "sent": 0}}
            for clients in plan["clients"]:
                runs: dict[str, list[dict[str, Any]]] = {"bare": [], "app": []}
                for _ in range(plan["repeats"]):
                    for name, served in (("bare", bare), ("app", app)):
                        spec = {
                            "url": served.url,
                            "secret": SIGNING_SECRET,
                            "cards": cards,
                            "voters": VOTERS,
                            "concurrency": clients,
                            "warmup": plan["warmup"],
                            "duration": plan["duration"],
                            "offset": offset,
                            "response_url": f"{emulator.url}/response/bench-unused",
                        }
                        cpu, emu_cpu = served.cpu(), emulator.cpu()
                        result = run_loadgen(spec)
                        settle(served)
                        cost[name]["cpu"] += served.cpu() - cpu
                        cost[name]["sent"] += result["sent"]
                        if name == "app":
                            cost["app"]["emu"] += emulator.cpu() - emu_cpu
                            app_sent += result["sent"]
                        runs[name].append(result)
                    offset += runs["app"][-1]["sent"]
                levels.append(_level(clients, runs))
            calls = {
                m: (len(control.calls(m)) - n) / max(1, app_sent) for m, n in calls_before.items()
            }
            memory = {"app_worker_rss_mb": [round(rss_mb(p), 1) for p in app.workers()]}
            memory["bare_worker_rss_mb"] = [round(rss_mb(p), 1) for p in bare.workers()]
        finally:
            app.stop()
            bare.stop()
    return {
        "backend": backend,
        "levels": levels,
        "web_api_calls_per_vote": calls,
        "server_cpu_ms_per_request": {
            name: 1000 * c["cpu"] / max(1, c["sent"]) for name, c in cost.items()
        },
        "emulator_cpu_ms_per_vote": 1000 * cost["app"]["emu"] / max(1, cost["app"]["sent"]),
        **memory,
    }


def _level(clients: int, runs: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    level: dict[str, Any] = {"clients": clients}
    for name, items in runs.items():
        level[name] = {
            key: median_of(items, key) for key in ("rps", "p50_ms", "p95_ms", "p99_ms", "max_ms")
        }
        level[name]["errors"] = sum(sum(r["errors"].values()) for r in items)
        level[name]["non_200"] = sum(
            n for r in items for status, n in r["statuses"].items() if status != "200"
        )
        level[name]["runs"] = items
    level["ratio"] = level["app"]["rps"] / level["bare"]["rps"] if level["bare"]["rps"] else 0.0
    return level


def report(results: dict[str, Any]) -> str:
    """Markdown tables of the medians."""
    out = []
    for backend in results["backends"]:
        rows = []
        for level in backend["levels"]:
            bare, app = level["bare"], level["app"]
            rows.append(
                [
                    level["clients"],
                    bare["rps"],
                    app["rps"],
                    f"{100 * level['ratio']:.0f}%",
                    f"{bare['p50_ms']:.1f} / {bare['p95_ms']:.1f} / {bare['p99_ms']:.1f}",
                    f"{app['p50_ms']:.1f} / {app['p95_ms']:.1f} / {app['p99_ms']:.1f}",
                    app["errors"] + app["non_200"] + bare["errors"] + bare["non_200"],
                ]
            )
        out.append(f"Vote path on {backend['backend']} (medians of {results['repeats']} runs)\n")
        out.append(
            table(
                [
                    "clients",
                    "bare req/s",
                    "app req/s",
                    "app/bare",
                    "bare p50/p95/p99 ms",
                    "app p50/p95/p99 ms",
                    "errors",
                ],
                rows,
            )
        )
        cpu = backend["server_cpu_ms_per_request"]
        calls = backend["web_api_calls_per_vote"]
        out.append(
            f"\nserver CPU per request: bare {cpu['bare']:.2f} ms, app {cpu['app']:.2f} ms; "
            f"emulator CPU per vote {backend['emulator_cpu_ms_per_vote']:.2f} ms; Web API calls "
            f"per vote: " + ", ".join(f"{m} {n:.3f}" for m, n in calls.items()) + "; "
            f"app worker RSS {backend['app_worker_rss_mb']} MB, "
            f"bare {backend['bare_worker_rss_mb']} MB\n"
        )
    return "\n".join(out)


def plan_for(quick: bool) -> dict[str, Any]:
    """How long and how often to measure."""
    if quick:
        return {"clients": [32], "repeats": 1, "warmup": 0.5, "duration": 1.5}
    return {"clients": [8, 32, 128], "repeats": 3, "warmup": 2.0, "duration": 8.0}


def run(
    quick: bool = False,
    db: str = "auto",
    json_path: Path | None = None,
    plan: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Run the benchmark on each backend; print and return the results."""
    plan = plan or plan_for(quick)
    results: dict[str, Any] = {"machine": machine(), "repeats": plan["repeats"], "backends": []}
    with workspace() as (workdir, databases):
        for backend in backends(db, quick):
            url = databases.fresh(backend, "bench_votes")
            print(f"vote path on {backend} …", file=sys.stderr, flush=True)
            results["backends"].append(measure_backend(backend, url, workdir, plan))
    write_json(json_path, results)
    print(report(results))
    return results


def _positive(kind: type[int] | type[float], zero: bool = False) -> Callable[[str], float]:
    """An argparse type: a number above zero (or at least zero)."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < 0 or (value == 0 and not zero):
            raise argparse.ArgumentTypeError(f"must be {'0 or more' if zero else 'above 0'}")
        return value

    return parse


def main(argv: list[str] | None = None) -> None:
    """Command line: the full plan, --quick, or a plan of your own (for A/B runs)."""
    parser = bench_arguments(__doc__ or "", "one short run, SQLite only")
    parser.add_argument(
        "--clients", type=_positive(int), nargs="+", help="concurrency levels (8 32 128)"
    )
    parser.add_argument("--repeats", type=_positive(int), help="runs per level and server (3)")
    parser.add_argument("--seconds", type=_positive(float), help="measured seconds per run (8)")
    parser.add_argument("--warmup", type=_positive(float, zero=True), help="warm-up seconds (2)")
    args = parser.parse_args(argv)
    plan = plan_for(args.quick)
    for key, value in (
        ("clients", args.clients),
        ("repeats", args.repeats),
        ("duration", args.seconds),
        ("warmup", args.warmup),
    ):
        if value is not None:
            plan[key] = value
    run(args.quick, args.db, args.json, plan)


if __name__ == "__main__":
    main()
