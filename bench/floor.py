"""The floor under the vote path: what 80 % of bare Bolt leaves a click, and what it needs.

    python -m bench.floor [--quick] [--db sqlite|postgres|both] [--json FILE]

Issue 6 asks the vote path for 80 % of the throughput of a bare Bolt app that only acks.
Everything shares the machine's two cores, so that is a budget of CPU: a click may cost the
machine at most 1/0.8 of what a bare click costs, which leaves a quarter of a bare click for
all Rapporteur adds. This benchmark measures both sides of that sum.

1. **Ablations** through the real HTTP server, each against the bare-Bolt ceiling in the
   same run (bench.vote_path, 32 clients): `rapporteur serve` as in production; then with
   the voter's confirmation and the card update switched off ("write only"); then with the
   vote's write switched off too ("dispatch only": Bolt, Rapporteur's middleware, unit of
   work and listener). bench.ablated_app applies the switches; production has none.
2. **Least costs**, each alone in one thread with nothing else running, so with no
   contention at all:
   * the vote batch write (`storage.votes.cast_many` in its own transaction, as the ballot
     box runs it; known voters changing their votes, as in bench.vote_path) at batch sizes
     up to 32 (two workers of 16 threads never batch more than
     16), CPU per vote in this process and, on a local PostgreSQL, in the database server;
   * one confirmation (its wording rendered, `chat.postEphemeral` through the client the
     app uses for it), CPU per call here and in the emulator. Multiplied by the calls per
     click the full app made in part 1.

The budget is computed from part 1's bare runs: (bare server CPU + load generator CPU per
click) × (1/0.8 − 1).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from bench import vote_path
from bench.common import backends as backends_for
from bench.common import workspace
from bench.floor_costs import confirmation_cost, write_costs
from bench.reporting import command_line, machine, table, write_json

TARGET = 0.8
VARIANTS = (None, "write-only", "dispatch-only")


def plan_for(quick: bool) -> dict[str, Any]:
    """How long and how often to measure."""
    if quick:
        return {
            "clients": [32],
            "repeats": 1,
            "warmup": 0.5,
            "duration": 1.5,
            "batches": 30,
            "calls": 100,
        }
    return {
        "clients": [32],
        "repeats": 3,
        "warmup": 1.0,
        "duration": 5.0,
        "batches": 400,
        "calls": 2000,
    }


# -- part 1: ablations ----------------------------------------------------------------------


def ablations(
    backend: str, databases: Any, workdir: Path, plan: dict[str, Any]
) -> list[dict[str, Any]]:
    """The vote path with less and less of a click's work, each against the bare ceiling."""
    rows = []
    for index, variant in enumerate(VARIANTS):
        url = databases.fresh(backend, f"bench_floor_{index}")
        print(f"  {variant or 'full'} …", file=sys.stderr, flush=True)
        result = vote_path.measure_backend(backend, url, workdir, plan, variant)
        level = result["levels"][0]
        bare_runs = level["bare"]["runs"]
        loadgen_ms = (
            1000
            * sum(r["loadgen_cpu_s"] for r in bare_runs)
            / max(1, sum(r["sent"] for r in bare_runs))
        )
        cpu = result["server_cpu_ms_per_request"]
        rows.append(
            {
                "variant": variant or "full",
                "clients": level["clients"],
                "bare_rps": level["bare"]["rps"],
                "app_rps": level["app"]["rps"],
                "ratio": level["ratio"],
                "app_p99_ms": level["app"]["p99_ms"],
                "errors": level["app"]["errors"] + level["bare"]["errors"],
                "non_200": level["app"]["non_200"] + level["bare"]["non_200"],
                "bare_server_cpu_ms": cpu["bare"],
                "app_server_cpu_ms": cpu["app"],
                "loadgen_cpu_ms": loadgen_ms,
                "emulator_cpu_ms": result["emulator_cpu_ms_per_vote"],
                "web_api_calls_per_vote": result["web_api_calls_per_vote"],
            }
        )
    return rows


# -- part 2: least costs --------------------------------------------------------------------


def budget(rows: list[dict[str, Any]]) -> dict[str, float]:
    """What 80 % of the ceiling leaves a click, from the bare runs (medians over variants)."""
    bare = sorted(r["bare_server_cpu_ms"] + r["loadgen_cpu_ms"] for r in rows)
    per_click = bare[len(bare) // 2]
    return {"bare_machine_cpu_ms": per_click, "budget_ms": per_click * (1 / TARGET - 1)}


def least(
    rows: list[dict[str, Any]], writes: list[dict[str, Any]], confirmation: dict[str, float]
) -> dict[str, float]:
    """The least a click must add: its write at batch 16 and its share of a confirmation."""
    full = next(r for r in rows if r["variant"] == "full")
    dispatch = next(r for r in rows if r["variant"] == "dispatch-only")
    write = next(w for w in writes if w["batch"] == 16)
    per_click = full["web_api_calls_per_vote"].get("chat.postEphemeral", 0.0)
    return {
        "dispatch_ms": max(0.0, dispatch["app_server_cpu_ms"] - dispatch["bare_server_cpu_ms"]),
        "write_ms": write["client_cpu_ms"] + (write["database_cpu_ms"] or 0.0),
        "confirmation_ms": per_click * confirmation["client_cpu_ms"],
        "confirmation_emulator_ms": per_click * confirmation["emulator_cpu_ms"],
    }


def measure(backend: str, databases: Any, workdir: Path, plan: dict[str, Any]) -> dict[str, Any]:
    """Both parts on one database, and the sum."""
    rows = ablations(backend, databases, workdir, plan)
    print("  least costs …", file=sys.stderr, flush=True)
    writes = write_costs(backend, databases.fresh(backend, "bench_floor_write"), plan["batches"])
    confirmation = confirmation_cost(plan["calls"])
    needed = least(rows, writes, confirmation)
    return {
        "backend": backend,
        "ablations": rows,
        "writes": writes,
        "confirmation": confirmation,
        **budget(rows),
        "least": needed,
        "least_total_ms": sum(needed.values()),
    }


def report(results: dict[str, Any]) -> str:
    """Markdown tables."""
    parts = []
    for item in results["backends"]:
        parts.append(f"Floor on {item['backend']}, 32 clients (medians of {results['repeats']})\n")
        parts.append(
            table(
                [
                    "app serves",
                    "bare req/s",
                    "app req/s",
                    "app / bare",
                    "app p99 ms",
                    "server CPU ms per click, bare / app",
                ],
                [
                    [
                        r["variant"],
                        r["bare_rps"],
                        r["app_rps"],
                        f"{100 * r['ratio']:.0f}%",
                        r["app_p99_ms"],
                        f"{r['bare_server_cpu_ms']:.2f} / {r['app_server_cpu_ms']:.2f}",
                    ]
                    for r in item["ablations"]
                ],
            )
        )
        parts.append("")
        parts.append(
            table(
                ["votes per batch", "CPU ms per vote, here", "CPU ms per vote, database server"],
                [
                    [
                        w["batch"],
                        f"{w['client_cpu_ms']:.3f}",
                        "—" if w["database_cpu_ms"] is None else f"{w['database_cpu_ms']:.3f}",
                    ]
                    for w in item["writes"]
                ],
            )
        )
        conf = item["confirmation"]
        needed = item["least"]
        parts.append(
            f"\none confirmation: {conf['client_cpu_ms']:.3f} ms here, "
            f"{conf['emulator_cpu_ms']:.3f} ms in the emulator\n"
            f"a bare click costs the machine {item['bare_machine_cpu_ms']:.3f} ms; at "
            f"{100 * TARGET:.0f} % a click may add {item['budget_ms']:.3f} ms\n"
            f"the least a click adds: dispatch {needed['dispatch_ms']:.3f} + write (batch 16) "
            f"{needed['write_ms']:.3f} + confirmation {needed['confirmation_ms']:.3f} "
            f"(+ {needed['confirmation_emulator_ms']:.3f} in the emulator) = "
            f"{item['least_total_ms']:.3f} ms\n"
        )
    return "\n".join(parts)


def run(quick: bool = False, db: str = "auto", json_path: Path | None = None) -> dict[str, Any]:
    """Run both parts on each backend; print and return the results."""
    plan = plan_for(quick)
    results: dict[str, Any] = {"machine": machine(), "repeats": plan["repeats"], "backends": []}
    with workspace() as (workdir, databases):
        for backend in backends_for(db, quick):
            print(f"floor on {backend} …", file=sys.stderr, flush=True)
            results["backends"].append(measure(backend, databases, workdir, plan))
    write_json(json_path, results)
    print(report(results))
    return results


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    command_line(__doc__ or "", "one short run, SQLite only", run, argv)


if __name__ == "__main__":
    main()
