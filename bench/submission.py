"""Benchmark 3, submitting: `/recommend` → modal opened, and view_submission → card posted.

``python -m bench.submission [--quick] [--db sqlite|postgres|both] [--json FILE]``

Against `rapporteur serve` in its production set-up. The clock starts when a signed request
leaves the client and stops when the emulator receives the Web API call it causes (both
processes share the machine's clock): views.open for a slash command (the trigger_id lives
3 s, so the form must open before any database work), chat.postMessage for a submission.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import ORGANIZER, SIGNING_SECRET, backends, emulator_process, serve_app, workspace
from bench.measure import latency_summary
from bench.reporting import command_line, machine, table, write_json
from bench.scenario import CHANNEL, GROUP, settle, submission_values
from bot.emulator import EmulatorClient, SlackSender
from bot.emulator.payloads import new_trigger_id


def measure_backend(url: str, workdir: Path, count: int, clients: int) -> dict[str, Any]:
    """`count` people open the form and submit it, `clients` at a time."""
    with emulator_process() as emulator:
        app = serve_app(url, emulator.api_url, workdir)
        try:
            control = EmulatorClient(emulator.url)
            slack = SlackSender(app.url, SIGNING_SECRET)  # no emulator: no response_url calls
            assert slack.command(ORGANIZER, CHANNEL, "/wg", f"link {GROUP}").status == 200
            people = [f"USUB{i:04d}" for i in range(count)]
            triggers = {user: new_trigger_id() for user in people}

            def open_form(user: str) -> tuple[str, float, float, int]:
                sent = time.time()
                reply = slack.command(user, CHANNEL, "/recommend", "", trigger_id=triggers[user])
                return user, sent, reply.elapsed, reply.status

            with ThreadPoolExecutor(clients) as pool:
                opened = list(pool.map(open_form, people))
            settle(app, quiet=1.0)
            calls = {c["params"]["trigger_id"]: c for c in control.calls("views.open")}
            views, to_open = {}, []
            for user, sent, _, _ in opened:
                call = calls.get(triggers[user])
                if call is not None:
                    to_open.append(call["time"] - sent)
                    views[user] = call["response"]["view"]

            def submit(user: str) -> tuple[str, float, float, int]:
                values = submission_values(f"Submitted by {user}", f"Title {user}")
                sent = time.time()
                reply = slack.view_submission(user, view=views[user], values=values)
                return user, sent, reply.elapsed, reply.status

            before = len(control.calls("chat.postMessage"))
            with ThreadPoolExecutor(clients) as pool:
                submitted = list(pool.map(submit, [u for u in people if u in views]))
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                posts = control.calls("chat.postMessage")[before:]
                if len(posts) >= len(submitted):
                    break
                time.sleep(0.5)
            posted = {}
            for call in posts:
                text = call["params"].get("text", "")
                for user in views:
                    if f"Title {user}" in text:
                        posted[user] = call["time"]
            to_card = [posted[u] - sent for u, sent, _, _ in submitted if u in posted]
        finally:
            app.stop()
    return {
        "submissions": count,
        "clients": clients,
        "command_ack": latency_summary([o[2] for o in opened]),
        "views_open": latency_summary(to_open) | {"n": len(to_open)},
        "submission_ack": latency_summary([s[2] for s in submitted]),
        "card_posted": latency_summary(to_card) | {"n": len(to_card)},
        "non_200": sum(1 for r in opened + submitted if r[3] != 200),
    }


def report(results: dict[str, Any]) -> str:
    """Markdown table: p50/p95/p99/max per step."""
    out = []
    for name, runs in results["backends"].items():
        rows = []
        for data in runs:
            for step, label in (
                ("command_ack", "/recommend ack"),
                ("views_open", "/recommend → views.open"),
                ("submission_ack", "view_submission ack"),
                ("card_posted", "view_submission → chat.postMessage"),
            ):
                s = data[step]
                rows.append(
                    [
                        data["clients"],
                        label,
                        s["p50_ms"],
                        s["p95_ms"],
                        s["p99_ms"],
                        s["max_ms"],
                    ]
                )
        total = sum(d["submissions"] for d in runs)
        bad = sum(d["non_200"] for d in runs)
        out.append(f"Submission on {name} ({total} submissions, {bad} non-200 answers)\n")
        out.append(table(["clients", "step", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows))
    return "\n\n".join(out) + "\n"


def run(quick: bool = False, db: str = "auto", json_path: Path | None = None) -> dict[str, Any]:
    """Sequential and concurrent submitters on each backend; print and return the results."""
    plan = [(8, 4)] if quick else [(40, 1), (120, 8)]
    results: dict[str, Any] = {"machine": machine(), "backends": {}}
    with workspace() as (workdir, databases):
        for backend in backends(db, quick):
            print(f"submission on {backend} …", file=sys.stderr, flush=True)
            runs = []
            for index, (count, clients) in enumerate(plan):
                url = databases.fresh(backend, f"bench_submit_{index}")
                runs.append(measure_backend(url, workdir, count, clients))
            results["backends"][backend] = runs
    write_json(json_path, results)
    print(report(results))
    return results


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    command_line(__doc__ or "", "8 submissions, SQLite only", run, argv)


if __name__ == "__main__":
    main()
