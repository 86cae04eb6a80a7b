"""Benchmark 2, the burst: 200 voters × 5 cards, every click within 10 seconds.

``python -m bench.burst [--quick] [--db sqlite|postgres|both] [--json FILE]``

Against `rapporteur serve` in its production set-up (CARD_UPDATE_INTERVAL=1 s). Checks what
a session's end needs: every ack well inside Slack's 3 s, the exact final tally on every
card and in the database, and how many chat.update calls each card cost (at most about one
per card per second is the goal; the emulator records when each arrived).
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench.common import SIGNING_SECRET, backends, emulator_process, serve_app, workspace
from bench.reporting import command_line, machine, table, write_json
from bench.scenario import post_cards, run_loadgen, settle
from bot.emulator import EmulatorClient
from bot.slack.values import CardRef

TALLY = re.compile(r"Support: (\d+) · Oppose: (\d+) · Abstain: (\d+)")


def measure_backend(
    url: str,
    workdir: Path,
    voters: int,
    window: float,
    limit: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """One burst on a fresh database; the acks, the tallies and the card updates.

    With `limit` = (start, seconds), the emulator answers chat.postEphemeral with 429s for
    `seconds` from about `start` seconds into the burst, as Slack does under load.
    """
    with emulator_process() as emulator:
        app = serve_app(url, emulator.api_url, workdir, CARD_UPDATE_INTERVAL="1.0")
        try:
            cards = post_cards(app.url, emulator.url, 5)
            settle(app)
            control = EmulatorClient(emulator.url)
            before = len(control.calls("chat.update"))
            confirmed_before = len(control.calls("chat.postEphemeral"))
            spec = {
                "mode": "burst",
                "url": app.url,
                "secret": SIGNING_SECRET,
                "cards": cards,
                "voters": voters,
                "window": window,
                "seed": 7,
            }
            limited: dict[str, float] = {}
            if limit is not None:
                timer = threading.Timer(
                    LOADGEN_START + limit[0], _rate_limit, (control, limit, limited)
                )
                timer.start()
            result = run_loadgen(spec)
            settle(app, quiet=2.5)
            updates = control.calls("chat.update")[before:]
            messages = {m["ts"]: m for m in control.messages(cards[0]["channel"])}
            calls = control.calls("chat.postEphemeral")[confirmed_before:]
            ephemerals = [c for c in calls if "fault" not in c]  # the ones Slack showed
        finally:
            app.stop()
    per_card = []
    for index, card in enumerate(cards):
        mine = sorted(c["time"] for c in updates if c["params"].get("ts") == card["ts"])
        gaps = [b - a for a, b in pairwise(mine)]
        per_second = Counter(int(t - result["started_at"]) for t in mine)
        expected = result["expected"][index]
        shown = TALLY.search(messages[card["ts"]].get("text", ""))
        shown_counts = (
            dict(zip(("support", "oppose", "abstain"), map(int, shown.groups()), strict=True))
            if shown
            else {}
        )
        per_card.append(
            {
                "card": index + 1,
                "updates": len(mine),
                "span_s": (mine[-1] - mine[0]) if mine else 0.0,
                "max_per_second": max(per_second.values(), default=0),
                "min_gap_s": min(gaps, default=0.0),
                "expected": expected,
                "shown": shown_counts,
                "exact": shown_counts == expected,
            }
        )
    if limit is not None:
        per_card_limited = _while_limited(cards, updates, limited.get("from", 0.0), limit[1])
    database = _database_counts(url, [CardRef.parse(c["value"]).rec for c in cards])
    final = _final_votes(url, [CardRef.parse(c["value"]).rec for c in cards])
    return {
        "acks": {k: result[k] for k in ("answered", "statuses", "errors", "over_3s")}
        | {k: result[k] for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms", "last_click_s")},
        "clicks": result["clicks"],
        "cards": per_card,
        "database_exact": database == result["expected"],
        "confirmations": len(ephemerals),
        "confirmed_all": _confirmed_all(ephemerals, final),
        **(
            {
                "limit": {
                    "from_s": limited["from"] - result["started_at"],
                    "seconds": limit[1],
                    "refused": len(calls) - len(ephemerals),
                    "last_confirmation_s": max(c["time"] for c in ephemerals)
                    - result["started_at"],
                    "cards": per_card_limited,
                }
            }
            if limit is not None
            else {}
        ),
    }


LOADGEN_START = 0.5  # about how long the load generator takes to build its clicks


def _rate_limit(control: EmulatorClient, limit: tuple[float, float], out: dict[str, float]) -> None:
    out["from"] = time.time()
    control.rate_limit("chat.postEphemeral", limit[1])


def _while_limited(
    cards: list[dict[str, Any]], updates: list[dict[str, Any]], start: float, seconds: float
) -> list[int]:
    """Per card, how many chat.update calls arrived while confirmations were refused."""
    return [
        sum(
            1
            for c in updates
            if c["params"].get("ts") == card["ts"] and start <= c["time"] <= start + seconds
        )
        for card in cards
    ]


CONFIRMED = re.compile(r"\*([A-Z]+-\d+)\*[^*]*\*(Support|Oppose|Abstain)\*")


def _confirmed_all(ephemerals: list[dict[str, Any]], final: dict[tuple[str, str], str]) -> bool:
    """Whether every voter was told, last, the choice the database holds for each card."""
    told: dict[tuple[str, str], str] = {}
    for call in ephemerals:
        for number, choice in CONFIRMED.findall(call["params"].get("text", "")):
            told[(number, call["params"]["user"])] = choice.lower()
    return told == final


def _final_votes(url: str, recommendation_ids: list[int]) -> dict[tuple[str, str], str]:
    """(card number, voter) → choice, as stored."""
    from sqlalchemy import select

    from storage.engines import make_engine
    from storage.models import Group, Recommendation, Vote
    from storage.sessions import make_session_factory, transaction

    engine = make_engine(url, pool_size=1)
    try:
        with transaction(make_session_factory(engine)) as session:
            rows = session.execute(
                select(Group.code, Recommendation.seq, Vote.voter_user_id, Vote.choice)
                .join(Recommendation, Recommendation.id == Vote.recommendation_id)
                .join(Group, Group.id == Recommendation.group_id)
                .where(Recommendation.id.in_(recommendation_ids))
            ).all()
    finally:
        engine.dispose()
    return {(f"{code}-{seq}", voter): str(choice) for code, seq, voter, choice in rows}


def _database_counts(url: str, recommendation_ids: list[int]) -> list[dict[str, int]]:
    from storage import votes
    from storage.engines import make_engine
    from storage.sessions import make_session_factory, transaction

    engine = make_engine(url, pool_size=1)
    try:
        with transaction(make_session_factory(engine)) as session:
            tallies = [votes.counts(session, rid) for rid in recommendation_ids]
    finally:
        engine.dispose()
    return [{"support": t.support, "oppose": t.oppose, "abstain": t.abstain} for t in tallies]


def report(results: dict[str, Any]) -> str:
    """Markdown: one row per run, then the cards of the last run."""
    out = []
    for name, runs in results["backends"].items():
        rows = []
        for number, data in enumerate(runs, start=1):
            acks = data["acks"]
            rows.append(
                [
                    number,
                    data["clicks"],
                    f"{acks['p50_ms']:.0f} / {acks['p99_ms']:.0f} / {acks['max_ms']:.0f}",
                    acks["over_3s"],
                    sum(acks["errors"].values()) + data["clicks"] - acks["statuses"].get("200", 0),
                    "yes"
                    if data["database_exact"] and all(c["exact"] for c in data["cards"])
                    else "NO",
                    " ".join(str(c["updates"]) for c in data["cards"]),
                    max(c["max_per_second"] for c in data["cards"]),
                    min(c["min_gap_s"] for c in data["cards"]),
                    f"{data['confirmations']} ({'all' if data['confirmed_all'] else 'NOT all'} "
                    "votes confirmed)",
                ]
            )
        out.append(
            f"Burst on {name}: {runs[0]['clicks'] // 5} voters × 5 cards within "
            f"{results['window']:.0f} s, CARD_UPDATE_INTERVAL=1 s\n"
        )
        out.append(
            table(
                [
                    "run",
                    "clicks",
                    "ack p50 / p99 / max ms",
                    "acks ≥ 3 s",
                    "errors",
                    "final counts exact (cards and database)",
                    "chat.update per card",
                    "max updates of a card in one second",
                    "min gap s",
                    "confirmations",
                ],
                rows,
            )
            + "\n"
        )
    limited = results.get("rate_limited") or {}
    if limited:
        out.append(
            "The same burst while Slack answers chat.postEphemeral with 429 (Retry-After) for a "
            "while, as it may under load\n"
        )
        rows = []
        for name, data in limited.items():
            acks, lim = data["acks"], data["limit"]
            rows.append(
                [
                    name,
                    f"{lim['from_s']:.1f}–{lim['from_s'] + lim['seconds']:.1f} s",
                    f"{acks['p50_ms']:.0f} / {acks['p99_ms']:.0f} / {acks['max_ms']:.0f}",
                    "yes"
                    if data["database_exact"] and all(c["exact"] for c in data["cards"])
                    else "NO",
                    " ".join(str(n) for n in lim["cards"]),
                    max(c["max_per_second"] for c in data["cards"]),
                    lim["refused"],
                    f"{data['confirmations']} ({'all' if data['confirmed_all'] else 'NOT all'} "
                    "votes confirmed)",
                    f"{lim['last_confirmation_s']:.1f} s",
                ]
            )
        out.append(
            table(
                [
                    "database",
                    "429s for confirmations",
                    "ack p50 / p99 / max ms",
                    "final counts exact",
                    "chat.update per card during the 429s",
                    "max updates of a card in one second",
                    "confirmations refused",
                    "confirmations",
                    "last confirmation",
                ],
                rows,
            )
            + "\n"
        )
    return "\n".join(out)


def run(quick: bool = False, db: str = "auto", json_path: Path | None = None) -> dict[str, Any]:
    """Run the burst on each backend (three times, fresh database each); print the results."""
    voters, window, repeats = (40, 3.0, 1) if quick else (200, 10.0, 3)
    limit = (1.0, 1.5) if quick else (2.0, 5.0)
    results: dict[str, Any] = {
        "machine": machine(),
        "window": window,
        "backends": {},
        "rate_limited": {},
    }
    with workspace() as (workdir, databases):
        for backend in backends(db, quick):
            print(f"burst on {backend} …", file=sys.stderr, flush=True)
            runs = []
            for index in range(repeats):
                url = databases.fresh(backend, f"bench_burst_{index}")
                runs.append(measure_backend(url, workdir, voters, window))
            results["backends"][backend] = runs
            url = databases.fresh(backend, "bench_burst_limited")
            results["rate_limited"][backend] = measure_backend(url, workdir, voters, window, limit)
    write_json(json_path, results)
    print(report(results))
    return results


def main(argv: list[str] | None = None) -> None:
    """Command line."""
    command_line(__doc__ or "", "40 voters within 3 s, SQLite only", run, argv)


if __name__ == "__main__":
    main()
