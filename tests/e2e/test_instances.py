"""Two app processes on one PostgreSQL database behind a 'load balancer' that alternates."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.demo.app_process import free_port
from bot.emulator import Emulator
from bot.emulator.sender import SlackSender
from tests.e2e.servers import serve_env, wait_healthy
from tests.harness import ORGANIZER, SIGNING_SECRET, modal_values, rec_value

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_alternating_instances_count_exactly(emulator: Emulator, pg_engine, tmp_path: Path):
    from tests.conftest import PG_URL, _truncate

    _truncate(pg_engine)
    emulator.reset()
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=serve_env(PG_URL, emulator.api_url, WEB_CONCURRENCY="1"),
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_healthy(port, process)
        senders = [
            SlackSender(
                f"http://127.0.0.1:{p}/slack/events", SIGNING_SECRET, emulator_url=emulator.url
            )
            for p in ports
        ]
        assert senders[0].command(ORGANIZER, "CAC", "/wg", "link asset-confiscation").status == 200
        assert senders[1].command("UDEL1", "CAC", "/recommend", "").status == 200
        view = list(emulator.views().values())[-1]
        values = modal_values("Non-conviction based confiscation", "asset-confiscation")
        # The same modal submitted to both instances: one recommendation.
        assert senders[0].view_submission("UDEL1", view=view, values=values).status == 200
        assert senders[1].view_submission("UDEL1", view=view, values=values).status == 200
        emulator.wait_for("chat.postMessage", timeout=10)
        card = emulator.messages("CAC")[-1]
        rec = rec_value(card)
        choices = ["support", "oppose", "abstain"]

        def click(i: int) -> int:
            sender = senders[i % 2]
            action = f"vote_{choices[(i // 2) % 3]}"
            return sender.block_action(
                f"UV{i // 2}",
                channel_id="CAC",
                message_ts=card["ts"],
                action_id=action,
                value=rec,
                block_id="vote_buttons",
            ).status

        with ThreadPoolExecutor(max_workers=16) as pool:
            assert set(pool.map(click, range(120))) == {200}  # 60 voters, each clicking twice
        # The same event delivered to both instances, and retried: processed once.
        event = {"type": "app_home_opened", "user": "UDEL1", "tab": "home", "channel": "D1"}
        for i, sender in enumerate(senders * 2):
            assert sender.event(event, event_id="EvDup", retry_num=i or None).status == 200

        def final(call: dict) -> bool:
            return "Support: 20 · Oppose: 20 · Abstain: 20" in call["params"].get("text", "")

        emulator.wait_for("chat.update", predicate=final, timeout=20)
        emulator.wait_for("views.publish", timeout=10)
        assert len(emulator.calls("views.publish")) == 1
        assert len([c for c in emulator.calls("chat.postMessage") if "fault" not in c]) == 1
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            _, err = process.communicate(timeout=30)
            print(err.decode()[-3000:])
