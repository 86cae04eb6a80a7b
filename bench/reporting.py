"""How benchmark results are shown and saved: the machine, tables, JSON, command lines."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


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
