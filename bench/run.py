"""Run every benchmark: ``python -m bench.run [--quick] [--db ...] [--only NAME ...]``.

Each prints Markdown tables (the numbers in docs/performance.md come from here); with
``--json DIR`` the raw results are written as DIR/<name>.json too. The full run takes about
half an hour on the 2-core reference machine; ``--quick`` about a minute and a half.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import board, burst, compile, during_compile, floor, startup, submission, vote_path
from bench.reporting import machine

BENCHMARKS: dict[str, Callable[..., dict[str, Any]]] = {
    "vote_path": vote_path.run,
    "burst": burst.run,
    "submission": submission.run,
    "compile": compile.run,
    "during_compile": during_compile.run,
    "startup": startup.run,
    "floor": floor.run,
    "board": board.run,
}


def run_all(
    quick: bool = False,
    db: str = "auto",
    only: list[str] | None = None,
    json_dir: Path | None = None,
) -> dict[str, Any]:
    """Run the chosen benchmarks in order; return their results by name."""
    info = machine()
    print(
        f"# Rapporteur benchmarks ({'quick' if quick else 'full'}) — {info['cpus']} CPUs, "
        f"{info['cpu_model']}, Python {info['python']}, {info['when']}\n"
    )
    results = {}
    for name, bench in BENCHMARKS.items():
        if only and name not in only:
            continue
        print(f"## {name}\n", flush=True)
        started = time.perf_counter()
        path = json_dir / f"{name}.json" if json_dir else None
        results[name] = bench(quick=quick, db=db, json_path=path)
        print(f"({time.perf_counter() - started:.0f} s)\n", flush=True)
    return results


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs that prove it works")
    parser.add_argument("--db", default="auto", choices=["auto", "sqlite", "postgres", "both"])
    parser.add_argument("--only", nargs="*", choices=list(BENCHMARKS), help="run only these")
    parser.add_argument("--json", type=Path, metavar="DIR", help="write raw results here")
    args = parser.parse_args(argv)
    run_all(args.quick, args.db, args.only, args.json)


if __name__ == "__main__":
    main()
