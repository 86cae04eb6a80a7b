"""Benchmark 7, the plenary board: do a hundred open boards take the server away from clicks?

``python -m bench.board [--quick] [--db sqlite|postgres|both] [--json FILE]``

`rapporteur serve` runs as in production (gunicorn gthread, WEB_CONCURRENCY × WEB_THREADS)
on a workshop of four groups. The load generator sends steady vote clicks (bench.loadgen),
once alone and once while 100 boards poll `/board/<token>` every 2 s with `If-None-Match`,
as the page's script does (each board its own keep-alive connection, started at a random
moment of the interval); the two alternate for every repeat so drift hits both. Reported:
the clicks' throughput and latency with and without the boards, what the boards got (304 or
a new page) and how long they waited, and the server's CPU per request.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any

from bench.board_pollers import Boards
from bench.common import (
    ORGANIZER,
    SIGNING_SECRET,
    Served,
    backends,
    emulator_process,
    serve_app,
    workspace,
)
from bench.measure import median_of
from bench.reporting import command_line, machine, table, write_json
from bench.scenario import CHANNEL, post_cards, run_loadgen, settle
from bot.emulator import SlackSender

PUBLIC_URL = "https://board.bench.invalid"
CARDS = 5
VOTERS = 200
OTHER_GROUPS = ("financial-investigation", "asset-confiscation", "victim-protection")
TEXTS = (
    "Tăng cường hợp tác tư pháp trong thu thập chứng cứ điện tử",
    "ការដកហូតទ្រព្យសម្បត្តិ ពីការឆបោកតាមអ៊ីនធឺណិត",
    "ການສືບສວນທາງການເງິນ ຂອງ ສູນ ສໍ້ໂກງ",
    "หลักฐานอิเล็กทรอนิกส์ ต้องได้รับการเก็บรักษาข้ามพรมแดน",
    "전자 증거의 국경 간 보존",
    "Freeze the proceeds held in crypto-asset wallets without delay",
)


def board_path(app: Served, emulator_url: str) -> str:
    """`/wg board` as an organizer, through Slack's signed request: the link's path."""
    slack = SlackSender(app.url, SIGNING_SECRET, emulator_url=emulator_url)
    answer = slack.command(ORGANIZER, CHANNEL, "/wg", "board").json()["text"]
    found = re.search(re.escape(PUBLIC_URL) + r"(/board/[A-Za-z0-9_-]+)", answer)
    if not found:
        raise RuntimeError(f"no board link in {answer!r}")
    return found[1]


def fill_other_groups(url: str, per_group: int) -> None:
    """Recommendations in the other three groups, so each board page shows a workshop."""
    from storage import recommendations
    from storage.actors import Actor
    from storage.engines import make_engine
    from storage.recommendations import Draft
    from storage.sessions import make_session_factory, transaction

    engine = make_engine(url, pool_size=1)
    with transaction(make_session_factory(engine)) as session:
        for key in OTHER_GROUPS:
            for index in range(per_group):
                text = f"{TEXTS[index % len(TEXTS)]} ({index + 1})"
                draft = Draft(group_key=key, text=text)
                author = Actor(f"UFILL{index}", name=f"Author {index}")
                recommendations.submit(
                    session, actor=author, draft=draft, submission_key=f"bench-{key}-{index}"
                )
    engine.dispose()


def measure_backend(url: str, workdir: Path, plan: dict[str, Any]) -> dict[str, Any]:
    """Clicks alone and clicks beside the open boards, alternating."""
    with emulator_process() as emulator:
        app = serve_app(url, emulator.api_url, workdir, PUBLIC_URL=PUBLIC_URL)
        try:
            cards = post_cards(app.url, emulator.url, CARDS)
            fill_other_groups(url, plan["per_group"])
            path = board_path(app, emulator.url)
            settle(app)
            idle = _idle_boards(app, path, plan)
            runs: dict[str, list[dict[str, Any]]] = {"alone": [], "boards": []}
            offset = 0
            for _ in range(plan["repeats"]):
                for name in ("alone", "boards"):
                    spec = {
                        "url": app.url,
                        "secret": SIGNING_SECRET,
                        "cards": cards,
                        "voters": VOTERS,
                        "concurrency": plan["clients"],
                        "warmup": plan["warmup"],
                        "duration": plan["duration"],
                        "offset": offset,
                        "response_url": f"{emulator.url}/response/bench-unused",
                    }
                    runs[name].append(_run(app, path, spec, plan, with_boards=name == "boards"))
                    offset += runs[name][-1]["sent"]
                    settle(app)
        finally:
            app.stop()
    return {"idle_boards": idle, **{name: _medians(items) for name, items in runs.items()}}


def _run(
    app: Served, path: str, spec: dict[str, Any], plan: dict[str, Any], *, with_boards: bool
) -> dict[str, Any]:
    """One loadgen run, with the boards open around it or not; its result and the CPU."""
    boards = Boards(app.port, path, plan["boards"], plan["interval"]) if with_boards else None
    if boards is not None:
        boards.start()
        time.sleep(plan["interval"] + 0.5)  # every board has loaded its page once
        boards.reset()
    cpu = app.cpu()
    started = time.perf_counter()
    result = run_loadgen(spec)
    result["server_cpu_s"] = app.cpu() - cpu
    if boards is not None:
        result["boards"] = boards.summary(time.perf_counter() - started)
        boards.stop()
    return result


def _idle_boards(app: Served, path: str, plan: dict[str, Any]) -> dict[str, Any]:
    """The boards alone while nothing changes: what 304s cost the server."""
    boards = Boards(app.port, path, plan["boards"], plan["interval"])
    boards.start()
    time.sleep(plan["interval"] + 0.5)
    boards.reset()
    cpu, started = app.cpu(), time.perf_counter()
    time.sleep(plan["idle"])
    seconds = time.perf_counter() - started
    result = boards.summary(seconds)
    result["server_cpu_ms_per_poll"] = 1000 * (app.cpu() - cpu) / max(1, result["polls"])
    result["server_cpu_share"] = (app.cpu() - cpu) / seconds
    boards.stop()
    return result


def _medians(items: list[dict[str, Any]]) -> dict[str, Any]:
    summary = {key: median_of(items, key) for key in ("rps", "p50_ms", "p95_ms", "p99_ms")}
    summary["max_ms"] = max(r["max_ms"] for r in items)
    summary["errors"] = sum(sum(r["errors"].values()) for r in items)
    summary["non_200"] = sum(n for r in items for s, n in r["statuses"].items() if s != "200")
    summary["server_cpu_ms_per_click"] = (
        1000 * sum(r["server_cpu_s"] for r in items) / max(1, sum(r["sent"] for r in items))
    )
    if "boards" in items[0]:
        boards = [r["boards"] for r in items]
        summary["boards"] = {
            "polls_per_s": median_of(boards, "polls_per_s"),
            "p50_ms": median_of(boards, "p50_ms"),
            "p99_ms": median_of(boards, "p99_ms"),
            "max_ms": max(b["max_ms"] for b in boards),
            "statuses": {
                s: sum(b["statuses"].get(s, 0) for b in boards)
                for s in sorted({s for b in boards for s in b["statuses"]})
            },
            "errors": sum(b["errors"] for b in boards),
        }
    summary["runs"] = items
    return summary


def report(results: dict[str, Any]) -> str:
    """Markdown: clicks with and without the boards, and what the boards got."""
    out = []
    plan = results["plan"]
    for name, backend in results["backends"].items():
        rows = []
        for label, key in (
            ("clicks alone", "alone"),
            (f"beside {plan['boards']} boards", "boards"),
        ):
            r = backend[key]
            rows.append(
                [
                    label,
                    r["rps"],
                    f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} / {r['p99_ms']:.1f}",
                    f"{r['max_ms']:.0f}",
                    f"{r['server_cpu_ms_per_click']:.2f}",
                    r["errors"] + r["non_200"],
                ]
            )
        out.append(
            f"Board on {name} ({plan['clients']} clicking clients, medians of "
            f"{plan['repeats']} runs of {plan['duration']:.0f} s)\n"
        )
        out.append(
            table(
                [
                    "clicks",
                    "req/s",
                    "p50 / p95 / p99 ms",
                    "max ms",
                    "server CPU ms/click",
                    "errors",
                ],
                rows,
            )
        )
        b, idle = backend["boards"]["boards"], backend["idle_boards"]
        out.append(
            f"\nboards during the clicks: {b['polls_per_s']:.1f} polls/s, answers "
            f"{b['statuses']}, p50 {b['p50_ms']:.1f} ms, p99 {b['p99_ms']:.1f} ms, max "
            f"{b['max_ms']:.0f} ms, errors {b['errors']}; boards alone while nothing changes: "
            f"{idle['polls_per_s']:.1f} polls/s, answers {idle['statuses']}, p50 "
            f"{idle['p50_ms']:.1f} ms, server CPU {idle['server_cpu_ms_per_poll']:.2f} ms per "
            f"poll ({100 * idle['server_cpu_share']:.1f} % of one core)\n"
        )
    return "\n".join(out)


def plan_for(quick: bool) -> dict[str, Any]:
    """How many boards and clicks, and for how long."""
    if quick:
        return {
            "boards": 100,
            "interval": 2.0,
            "clients": 16,
            "repeats": 1,
            "warmup": 0.5,
            "duration": 2.0,
            "idle": 2.0,
            "per_group": 5,
        }
    return {
        "boards": 100,
        "interval": 2.0,
        "clients": 32,
        "repeats": 3,
        "warmup": 2.0,
        "duration": 10.0,
        "idle": 10.0,
        "per_group": 20,
    }


def run(quick: bool = False, db: str = "auto", json_path: Path | None = None) -> dict[str, Any]:
    """Once per backend on a fresh database; print and return the results."""
    plan = plan_for(quick)
    results: dict[str, Any] = {"machine": machine(), "plan": plan, "backends": {}}
    with workspace() as (workdir, databases):
        for backend in backends(db, quick):
            print(f"board on {backend} …", file=sys.stderr, flush=True)
            url = databases.fresh(backend, "bench_board")
            results["backends"][backend] = measure_backend(url, workdir, plan)
    write_json(json_path, results)
    print(report(results))
    return results


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    command_line(__doc__ or "", "short runs, SQLite only", run, argv)


if __name__ == "__main__":
    main()
