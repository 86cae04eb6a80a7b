"""Nothing acknowledged is lost: `rapporteur serve` killed with SIGKILL, restarted, converges.

The whole process group (gunicorn master and workers) is killed right after the last
acknowledged request; the restarted server, with no new request, brings every card to the
stored record and posts every missing card exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from bot.demo.app_process import free_port
from bot.emulator import Emulator
from bot.emulator.sender import SlackSender
from bot.slack.ids import CARD_METADATA
from bot.slack.values import CardRef
from storage.engines import make_engine
from storage.models import Recommendation
from storage.sessions import make_session_factory
from tests.e2e.servers import serve_env, wait_healthy
from tests.harness import ORGANIZER, SIGNING_SECRET, card_text, modal_values, rec_value

pytestmark = pytest.mark.slow

CHANNEL = "CDURABLE"
CONVERGED_WITHIN = 30.0  # seconds after a restart, as the issue asks
CHOICES = ("support", "oppose", "abstain")


class Server:
    """One `rapporteur serve` in its own process group, so that it can be killed whole."""

    def __init__(self, database_url: str, emulator: Emulator, workdir: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env=serve_env(database_url, emulator.api_url, CARD_UPDATE_INTERVAL="1.0"),
            cwd=workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        wait_healthy(self.port, self.process)
        self.slack = SlackSender(
            f"http://127.0.0.1:{self.port}/slack/events", SIGNING_SECRET, emulator_url=emulator.url
        )

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: nothing runs its shutdown."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def servers(
    emulator: Emulator, database_url: str, tmp_path: Path
) -> Iterator[Callable[[], Server]]:
    emulator.reset()
    started: list[Server] = []

    def start() -> Server:
        server = Server(database_url, emulator, tmp_path)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            with suppress(ProcessLookupError, subprocess.TimeoutExpired):
                server.kill()


def submit(slack: SlackSender, emulator: Emulator, author: str, text: str) -> None:
    assert slack.command(author, CHANNEL, "/recommend", "").status == 200
    view = list(emulator.views().values())[-1]
    response = slack.view_submission(author, view=view, values=modal_values(text, "e-evidence"))
    assert response.status == 200  # acknowledged: the recommendation is stored


def cards(emulator: Emulator) -> list[dict[str, Any]]:
    """The card messages in the group's channel."""
    return [
        m
        for m in emulator.messages(CHANNEL)
        if (m.get("metadata") or {}).get("event_type") == CARD_METADATA
    ]


def expected_tally(clicks: dict[tuple[str, str], str], value: str) -> str:
    counts = {choice: 0 for choice in CHOICES}
    for (_, card), choice in clicks.items():
        if card == value:
            counts[choice] += 1
    return (
        f"Support: {counts['support']} · Oppose: {counts['oppose']} · Abstain: {counts['abstain']}"
    )


def wait_until(check: Callable[[], str | None], timeout: float) -> None:
    """Poll until check() returns None (no problem left); fail with its last problem."""
    deadline = time.monotonic() + timeout
    problem = check()
    while problem is not None:
        if time.monotonic() > deadline:
            raise AssertionError(problem)
        time.sleep(0.25)
        problem = check()


def burst(
    server: Server, posted: list[dict[str, Any]], voters: int, who: str = "UV"
) -> dict[tuple[str, str], str]:
    """Every voter clicks once on every card, all at once; the acknowledged clicks."""
    plan = [
        (f"{who}{v}", card["ts"], rec_value(card), CHOICES[(v + i) % 3])
        for v in range(voters)
        for i, card in enumerate(posted)
    ]

    def click(item: tuple[str, str, str, str]) -> tuple[tuple[str, str], str] | None:
        user, ts, value, choice = item
        status = server.slack.block_action(
            user,
            channel_id=CHANNEL,
            message_ts=ts,
            action_id=f"vote_{choice}",
            value=value,
            block_id="vote_buttons",
        ).status
        return ((user, value), choice) if status == 200 else None

    with ThreadPoolExecutor(max_workers=32) as pool:
        done = [result for result in pool.map(click, plan) if result is not None]
    return dict(done)


def converged(
    emulator: Emulator, clicks: dict[tuple[str, str], str], values: list[str]
) -> Callable[[], str | None]:
    def check() -> str | None:
        shown = {rec_value(card): card_text(card) for card in cards(emulator)}
        for value in values:
            want = expected_tally(clicks, value)
            if want not in shown.get(value, ""):
                return f"card {value} shows {shown.get(value, '(no card)')!r}, not {want!r}"
        return None

    return check


def test_a_burst_killed_at_its_last_ack_reaches_every_card_after_a_restart(servers, emulator):
    first = servers()
    assert first.slack.command(ORGANIZER, CHANNEL, "/wg", "link e-evidence").status == 200
    for index in range(3):
        submit(first.slack, emulator, f"UAUTH{index}", f"Recommendation number {index + 1}")
    emulator.wait_for("chat.postMessage", count=3, timeout=15)
    posted = cards(emulator)
    values = [rec_value(card) for card in posted]

    clicks = burst(first, posted, voters=40)
    first.kill()  # right after the last acknowledged click
    assert len(clicks) == 40 * 3

    servers()  # the same database; nobody clicks again
    wait_until(converged(emulator, clicks, values), CONVERGED_WITHIN)
    assert len(cards(emulator)) == 3  # nothing posted twice


def test_a_submission_killed_before_its_card_is_posted_gets_exactly_one_card(
    servers, emulator, database_url
):
    first = servers()
    assert first.slack.command(ORGANIZER, CHANNEL, "/wg", "link e-evidence").status == 200
    # Slack takes its time with this post: the server dies while it is under way.
    emulator.fail("chat.postMessage", delay=3.0, times=1)
    submit(first.slack, emulator, "UAUTHOR", "Freeze the proceeds of online fraud at once")
    first.kill()
    time.sleep(3.5)  # the slow post lands (or not) after the server is gone

    servers()

    def one_card() -> str | None:
        found = cards(emulator)
        if len(found) != 1:
            return f"{len(found)} cards in the channel"
        with make_session_factory(make_engine(database_url, pool_size=1))() as session:
            stored = session.get(Recommendation, CardRef.parse(rec_value(found[0])).rec)
            if stored is None or stored.message_ts != found[0]["ts"]:
                return "the record does not know where its card is"
        return None

    wait_until(one_card, CONVERGED_WITHIN)
    time.sleep(6)  # another sweep or two: still one card
    assert len(cards(emulator)) == 1


def test_a_post_that_reached_slack_but_lost_its_answer_is_not_posted_again(
    servers, emulator, database_url
):
    server = servers()
    assert server.slack.command(ORGANIZER, CHANNEL, "/wg", "link e-evidence").status == 200
    # Slack stores the card, then the answer is lost (a 500): the app must find it, not repost.
    emulator.fail("chat.postMessage", status=500, after_effect=True, times=1)
    submit(server.slack, emulator, "UAUTHOR", "Designate a 24/7 contact point for preservation")
    emulator.wait_for("conversations.history", timeout=15)  # it looked before trying again
    wait_until(lambda: None if len(cards(emulator)) == 1 else "no card", 10)
    time.sleep(3)
    assert len(cards(emulator)) == 1
    posts = [c for c in emulator.calls("chat.postMessage") if "metadata" in c["params"]]
    assert len(posts) == 1  # the one whose answer was lost; none after it


def test_a_compile_killed_mid_upload_is_finished_after_the_restart(servers, emulator):
    first = servers()
    assert first.slack.command(ORGANIZER, CHANNEL, "/wg", "link e-evidence").status == 200
    submit(first.slack, emulator, "UAUTHOR", "Seize crypto-assets held by fraud centres")
    emulator.wait_for("chat.postMessage", timeout=15)
    emulator.fail("files.getUploadURLExternal", delay=4.0, times=1)
    assert first.slack.command(ORGANIZER, CHANNEL, "/wg", "compile").status == 200
    emulator.wait_for("files.getUploadURLExternal", timeout=60)  # the build is done, uploading
    first.kill()
    assert emulator.calls("files.completeUploadExternal") == []

    servers()
    emulator.wait_for("files.completeUploadExternal", timeout=CONVERGED_WITHIN + 30)
    docx = [u for u in emulator.uploads() if u["filename"].endswith(".docx")]
    (upload,) = docx  # exactly one document reached the channel (its PDF may go beside)
    assert upload["channel_id"] == CHANNEL
    assert "1 recommendation" in upload["initial_comment"]


@pytest.mark.postgres
def test_two_instances_one_killed_mid_burst_the_other_finishes_its_work(
    servers, emulator, database_url
):
    if not database_url.startswith("postgresql"):
        pytest.skip("several instances share one PostgreSQL")
    first, second = servers(), servers()
    assert first.slack.command(ORGANIZER, CHANNEL, "/wg", "link e-evidence").status == 200
    for index in range(2):
        submit(first.slack, emulator, f"UAUTH{index}", f"Shared recommendation {index + 1}")
    emulator.wait_for("chat.postMessage", count=2, timeout=15)
    posted = cards(emulator)
    values = [rec_value(card) for card in posted]

    clicks = burst(first, posted, voters=30)  # all through the first instance
    first.kill()  # its card updates were in hand
    clicks.update(burst(second, posted, voters=5, who="ULATE"))  # a few more, through the survivor

    wait_until(converged(emulator, clicks, values), CONVERGED_WITHIN)
    assert len(cards(emulator)) == 2
