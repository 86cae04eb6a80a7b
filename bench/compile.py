"""Benchmark 4, compiling: wall time and peak memory of the outcome document from a database.

``python -m bench.compile [--quick] [--db sqlite|postgres|both] [--json FILE]``

The base size is 4 groups × 150 recommendations × 200 voters (120,000 votes), then 4× and
16× the recommendations. The database is filled with bulk inserts; each build then runs in a
fresh process (so its peak resident memory is its own): `storage.reports.workshop_record`
reads the record, `bot.report.build_outcome_document` writes the .docx.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import PYTHON, ROOT, backends, workspace
from bench.reporting import bench_arguments, machine, table, write_json

VOTERS = 200
CHOICES = ("support", "oppose", "abstain")
PARAGRAPH = (
    "Member States should designate a 24/7 point of contact for urgent requests to preserve "
    "electronic evidence and answer such requests within 72 hours. "
)


def fill(url: str, per_group: int, voters: int) -> dict[str, Any]:
    """Migrate, then bulk-insert people, recommendations and every voter's vote on each."""
    from sqlalchemy import update

    from bot.report.sample import DELEGATIONS
    from storage.engines import make_engine
    from storage.models import Group, Person, Recommendation, Vote
    from storage.schema import upgrade
    from tests.factories.records import SAMPLES

    started = time.perf_counter()
    engine = make_engine(url, pool_size=1)
    upgrade(engine)
    samples = list(SAMPLES.values())
    codes = [d.country_code for d in DELEGATIONS]
    at = datetime(2026, 11, 24, 9, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            Person.__table__.insert(),
            [
                {
                    "user_id": f"U{i:05d}",
                    "name": f"Delegate {i} {samples[i % len(samples)]}",
                    "country_code": codes[i % len(codes)],
                    "updated_at": at,
                }
                for i in range(voters)
            ],
        )
        groups = conn.execute(Group.__table__.select().order_by(Group.position)).all()
        conn.execute(update(Group.__table__).values(is_open=False, next_seq=per_group + 1))
        rec_rows = []
        for group in groups:
            for seq in range(1, per_group + 1):
                author = (seq * 7) % voters
                text = PARAGRAPH + " ".join(samples[(seq + k) % len(samples)] for k in range(4))
                rec_rows.append(
                    {
                        "group_id": group.id,
                        "seq": seq,
                        "title": f"{samples[seq % len(samples)]} {seq}",
                        "text": text,
                        "rationale": samples[(seq + 1) % len(samples)] * 3,
                        "author_user_id": f"U{author:05d}",
                        "country_code": codes[author % len(codes)],
                        "created_at": at + timedelta(seconds=seq),
                        "tally_version": voters,
                        "card_version": voters,
                    }
                )
        for chunk in _chunks(rec_rows, 5000):
            conn.execute(Recommendation.__table__.insert(), chunk)
        rec_ids = [r.id for r in conn.execute(Recommendation.__table__.select())]
    votes = 0
    with engine.begin() as conn:
        batch: list[dict[str, Any]] = []
        for rec_id in rec_ids:
            for voter in range(voters):
                batch.append(
                    {
                        "recommendation_id": rec_id,
                        "voter_user_id": f"U{voter:05d}",
                        "choice": CHOICES[(rec_id * 7 + voter * voter) % 5 % 3],
                        "country_code": codes[voter % len(codes)],
                        "updated_at": at,
                    }
                )
                if len(batch) >= 20_000:
                    conn.execute(Vote.__table__.insert(), batch)
                    votes += len(batch)
                    batch = []
        if batch:
            conn.execute(Vote.__table__.insert(), batch)
            votes += len(batch)
    engine.dispose()
    return {
        "recommendations": len(rec_ids),
        "votes": votes,
        "fill_s": time.perf_counter() - started,
    }


def _chunks(rows: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def build(url: str) -> dict[str, Any]:
    """Read the record and write the document; times and peak memory (run in a fresh process)."""
    from bot.report import build_outcome_document
    from bot.report.sample import sample_options
    from storage.engines import make_engine
    from storage.reports import workshop_record
    from storage.sessions import make_session_factory, transaction

    engine = make_engine(url, pool_size=1)
    rss_start = _peak_mb()
    started = time.perf_counter()
    with transaction(make_session_factory(engine)) as session:
        record = workshop_record(session)
    read_s = time.perf_counter() - started
    rss_read = _peak_mb()
    started = time.perf_counter()
    document = build_outcome_document(record, sample_options())
    write_s = time.perf_counter() - started
    return {
        "read_s": read_s,
        "write_s": write_s,
        "total_s": read_s + write_s,
        "docx_mb": len(document) / 1e6,
        "rss_before_mb": rss_start,
        "peak_after_read_mb": rss_read,
        "peak_mb": _peak_mb(),
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure(url: str, per_group: int, voters: int) -> dict[str, Any]:
    """Fill a fresh database, then build in a child process."""
    filled = fill(url, per_group, voters)
    child = subprocess.run(
        [PYTHON, "-m", "bench.compile", "--child", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if child.returncode != 0:
        raise RuntimeError("compile failed:\n" + child.stderr[-3000:])
    return {"per_group": per_group, "voters": voters, **filled, **json.loads(child.stdout)}


def report(results: dict[str, Any]) -> str:
    """Markdown table per backend."""
    out = []
    for name, rows in results["backends"].items():
        base = rows[0]
        out.append(f"Compile on {name}\n")
        out.append(
            table(
                [
                    "size",
                    "recommendations",
                    "votes",
                    "read s",
                    "write s",
                    "total s",
                    "× base time",
                    "peak RSS MB",
                    ".docx MB",
                ],
                [
                    [
                        f"{r['per_group'] // base['per_group']}×",
                        r["recommendations"],
                        r["votes"],
                        r["read_s"],
                        r["write_s"],
                        r["total_s"],
                        r["total_s"] / base["total_s"],
                        r["peak_mb"],
                        r["docx_mb"],
                    ]
                    for r in rows
                ],
            )
        )
    return "\n\n".join(out) + "\n"


def run(quick: bool = False, db: str = "auto", json_path: Path | None = None) -> dict[str, Any]:
    """Every size on each backend; print and return the results."""
    sizes, voters = ([10, 40], 20) if quick else ([150, 600, 2400], VOTERS)
    results: dict[str, Any] = {"machine": machine(), "backends": {}}
    with workspace() as (_, databases):
        for backend in backends(db, quick):
            rows = []
            for per_group in sizes:
                print(f"compile on {backend}: {per_group} per group …", file=sys.stderr, flush=True)
                url = databases.fresh(backend, f"bench_compile_{per_group}")
                rows.append(measure(url, per_group, voters))
            results["backends"][backend] = rows
    write_json(json_path, results)
    print(report(results))
    return results


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    parser = bench_arguments(__doc__ or "", "tiny sizes, SQLite only")
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(build(args.child)))
        return
    run(args.quick, args.db, args.json)


if __name__ == "__main__":
    main()
