"""`rapporteur serve`: the production server, start-up checks, and a burst of clicks."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.demo.app_process import free_port
from bot.emulator import Emulator
from bot.emulator.sender import SlackSender
from tests.e2e.servers import serve_env, wait_healthy
from tests.harness import BOT_TOKEN, ORGANIZER, SIGNING_SECRET, modal_values, rec_value

pytestmark = pytest.mark.slow


@pytest.fixture
def served(emulator: Emulator, database_url: str, tmp_path: Path) -> Iterator[tuple[int, Emulator]]:
    emulator.reset()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=serve_env(database_url, emulator.api_url),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_healthy(port, process)
        yield port, emulator
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
        assert process.returncode == 0, err.decode()[-2000:]
        log = err.decode()
        assert SIGNING_SECRET not in log and BOT_TOKEN not in log
        lines = [line for line in log.splitlines() if line.strip()]
        assert lines, "the server logged nothing"
        for line in lines:  # LOG_FORMAT=json: one JSON object per line
            assert isinstance(json.loads(line), dict), line


def test_fifty_simultaneous_clicks_are_all_answered(served):
    port, emulator = served
    slack = SlackSender(
        f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, emulator_url=emulator.url
    )
    assert slack.command(ORGANIZER, "CEE", "/wg", "link e-evidence").status == 200
    assert slack.command("UDEL1", "CEE", "/recommend", "").status == 200
    view = list(emulator.views().values())[-1]
    values = modal_values("Share subscriber data fast", "e-evidence")
    assert slack.view_submission("UDEL1", view=view, values=values).status == 200
    emulator.wait_for("chat.postMessage", timeout=10)
    card = emulator.messages("CEE")[-1]
    rec_id = rec_value(card)

    def click(index: int) -> int:
        voter = index % 50  # everyone clicks twice, the same choice: counted once
        choice = ["support", "oppose", "abstain"][voter % 3]
        return slack.block_action(
            f"UV{voter}",
            channel_id="CEE",
            message_ts=card["ts"],
            action_id=f"vote_{choice}",
            value=rec_id,
            block_id="vote_buttons",
        ).status

    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(click, range(100)))
    assert statuses == [200] * 100

    def final(call: dict) -> bool:
        return "Support: 17 · Oppose: 17 · Abstain: 16" in call["params"].get("text", "")

    emulator.wait_for("chat.update", predicate=final, timeout=15)


def test_start_up_refuses_missing_or_malformed_settings(emulator: Emulator, tmp_path: Path):
    def serve(
        *flags: str, drop: str | None = None, **extra: str
    ) -> subprocess.CompletedProcess[str]:
        env = serve_env("sqlite:///x.db", emulator.api_url, **extra)
        if drop:
            del env[drop]
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", "serve", "--port", "1", *flags],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )

    for result, named in (
        (serve(drop="SLACK_SIGNING_SECRET"), "SLACK_SIGNING_SECRET"),
        (serve(ADOPTION_QUORUM="many"), "ADOPTION_QUORUM"),
        (serve("--insecure-skip-verification"), "development"),
    ):
        assert result.returncode != 0 and named in result.stderr


def test_graceful_shutdown_finishes_card_updates_and_restart_loses_nothing(
    emulator: Emulator, database_url: str, tmp_path: Path
):
    emulator.reset()

    def start() -> tuple[int, subprocess.Popen[bytes]]:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=serve_env(database_url, emulator.api_url, CARD_UPDATE_INTERVAL="1.0"),
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_healthy(port, process)
        return port, process

    port, process = start()
    slack = SlackSender(
        f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, emulator_url=emulator.url
    )
    slack.command(ORGANIZER, "CVP", "/wg", "link victim-protection")
    slack.command("UDEL1", "CVP", "/recommend", "")
    view = list(emulator.views().values())[-1]
    values = modal_values("Apply the non-punishment principle", "victim-protection")
    slack.view_submission("UDEL1", view=view, values=values)
    emulator.wait_for("chat.postMessage", timeout=10)
    card = emulator.messages("CVP")[-1]
    rec = rec_value(card)
    for i in range(12):
        assert (
            slack.block_action(
                f"UV{i}",
                channel_id="CVP",
                message_ts=card["ts"],
                action_id="vote_support",
                value=rec,
                block_id="vote_buttons",
            ).status
            == 200
        )
    process.terminate()  # SIGTERM while the coalesced card update is still pending
    process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Support: 12 · Oppose: 0" in emulator.calls("chat.update")[-1]["params"]["text"]

    port, process = start()  # a restart: the record is all there
    try:
        slack = SlackSender(
            f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET, emulator_url=emulator.url
        )
        status = slack.command("UDEL1", "CVP", "/wg", "status").json()["text"]
        assert "1 recommendation, 12 votes" in status
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_documented_gunicorn_command_line_serves(
    emulator: Emulator, database_url: str, tmp_path: Path
):
    emulator.reset()
    env = serve_env(database_url, emulator.api_url)
    assert (
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "db", "upgrade"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            timeout=60,
        ).returncode
        == 0
    )
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bot.wsgi:application",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=Path(__file__).parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_healthy(port, process)
        slack = SlackSender(f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET)
        reply = slack.command(ORGANIZER, "CEE", "/wg", "link e-evidence")
        assert reply.status == 200 and "Electronic evidence" in reply.json()["text"]
    finally:
        process.terminate()
        process.communicate(timeout=30)
