"""The least a click adds, each part alone: the vote batch write and one confirmation."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

from bench.common import emulator_process
from bench.measure import cpu_seconds
from bench.vote_path import CARDS, VOTERS
from bot.slack.clients import paced_client
from bot.ui.render import render
from storage import groups, recommendations, votes
from storage.actors import Actor
from storage.engines import make_engine
from storage.models import Choice
from storage.recommendations import Draft
from storage.schema import upgrade
from storage.sessions import make_session_factory, transaction

BATCH_SIZES = (1, 8, 16, 32)
ORGANIZER = Actor("UFLOORORG", is_organizer=True, name="Organizer")
CHOICES = (Choice.SUPPORT, Choice.OPPOSE, Choice.ABSTAIN)


def postgres_server_cpu() -> float | None:
    """CPU seconds of every local `postgres` process (None if there is none to read)."""
    pids = []
    for path in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError):
            if path.read_text().strip() == "postgres":
                pids.append(int(path.parent.name))
    return sum(cpu_seconds(pid) for pid in pids) if pids else None


def _stage(url: str) -> tuple[Any, list[int]]:
    """A fresh schema with one linked group and its cards; the session factory and card ids."""
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        groups.link_channel(session, actor=ORGANIZER, channel_id="CFLOOR", group_key="e-evidence")
    ids = []
    for index in range(CARDS):
        with transaction(factory) as session:
            author = Actor(f"UFLOORAUTHOR{index}", name=f"Author {index}")
            rec, _ = recommendations.submit(
                session,
                actor=author,
                draft=Draft(group_key="e-evidence", text=f"Floor recommendation {index + 1}"),
                submission_key=None,
            )
            ids.append(rec.id)
    return factory, ids


def write_costs(backend: str, url: str, batches: int) -> list[dict[str, Any]]:
    """CPU per vote of the batch write, one thread, nothing else running."""
    factory, ids = _stage(url)
    serial = [0]

    def batch(size: int) -> None:
        ballots = []
        for _ in range(size):
            n = serial[0]
            serial[0] += 1
            ballots.append(
                votes.Ballot(
                    user_id=f"UFLOOR{n % VOTERS:04d}",
                    name=f"Voter {n % VOTERS}",
                    recommendation_id=ids[(n // VOTERS) % CARDS],
                    # A voter's next click on a card comes a round later, with the next
                    # choice: every click is written (a first vote, or a change).
                    choice=CHOICES[(n // (VOTERS * CARDS)) % 3],
                    request_id="floor",
                )
            )
        with transaction(factory) as session:
            votes.cast_many(session, ballots)

    for _ in range(VOTERS * CARDS // 32):  # every voter known, with a vote on every card
        batch(32)
    rows = []
    for size in BATCH_SIZES:
        for _ in range(max(5, batches // 10)):  # warm: statements compiled
            batch(size)
        server_before = postgres_server_cpu() if backend == "postgres" else None
        before = time.process_time()
        for _ in range(batches):
            batch(size)
        client_ms = 1000 * (time.process_time() - before) / (batches * size)
        server_ms = None
        if server_before is not None:
            server_after = postgres_server_cpu()
            if server_after is not None:
                server_ms = 1000 * (server_after - server_before) / (batches * size)
        rows.append({"batch": size, "client_cpu_ms": client_ms, "database_cpu_ms": server_ms})
    return rows


def confirmation_cost(calls: int) -> dict[str, float]:
    """CPU per confirmation: rendering and chat.postEphemeral here, and in the emulator."""
    with emulator_process() as emulator:
        client = paced_client("xoxb-floor", emulator.api_url)

        def confirm() -> None:
            text = render(
                "vote/confirmed.j2", number="EE-1", choice="support", previous=None, changed=True
            )
            client.chat_postEphemeral(channel="CFLOOR", user="UFLOOR0001", text=text)

        for _ in range(max(10, calls // 10)):
            confirm()
        before, emulator_before = time.process_time(), emulator.cpu()
        for _ in range(calls):
            confirm()
        return {
            "client_cpu_ms": 1000 * (time.process_time() - before) / calls,
            "emulator_cpu_ms": 1000 * (emulator.cpu() - emulator_before) / calls,
        }


# -- the sum --------------------------------------------------------------------------------
