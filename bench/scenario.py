"""Setting the stage through the app itself: a linked channel and posted recommendation cards."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ORGANIZER, PYTHON, ROOT, SIGNING_SECRET, Served
from bot.emulator import EmulatorClient, SlackSender

CHANNEL = "CBENCH"
GROUP = "e-evidence"


def submission_values(text: str, title: str | None = None) -> dict[str, Any]:
    """The modal's state.values for a recommendation in the benchmark group."""
    return {
        "text_block": {"text_input": {"type": "plain_text_input", "value": text}},
        "title_block": {"title_input": {"type": "plain_text_input", "value": title}},
        "group_block": {
            "group_select": {
                "type": "static_select",
                "selected_option": {"text": {"type": "plain_text", "text": GROUP}, "value": GROUP},
            }
        },
    }


def post_cards(app_url: str, emulator_url: str, count: int) -> list[dict[str, Any]]:
    """Link the channel, submit `count` recommendations, return their cards as clicks need them."""
    emulator = EmulatorClient(emulator_url)
    slack = SlackSender(app_url, SIGNING_SECRET, emulator_url=emulator_url)
    assert slack.command(ORGANIZER, CHANNEL, "/wg", f"link {GROUP}").status == 200
    posted_before = len(emulator.calls("chat.postMessage"))
    for index in range(count):
        before = set(emulator.views())
        assert slack.command(f"UAUTHOR{index}", CHANNEL, "/recommend", "").status == 200
        view = next(v for k, v in emulator.views().items() if k not in before)
        values = submission_values(f"Benchmark recommendation {index + 1}", f"Card {index + 1}")
        assert slack.view_submission(f"UAUTHOR{index}", view=view, values=values).status == 200
    emulator.wait_for("chat.postMessage", count=posted_before + count, timeout=30)
    cards = []
    for message in emulator.messages(CHANNEL)[-count:]:
        value = next(
            e["value"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
        )
        clean = {k: v for k, v in message.items() if k not in ("channel", "updates")}
        cards.append({"channel": CHANNEL, "ts": message["ts"], "value": value, "message": clean})
    return cards


def run_loadgen(spec: dict[str, Any], timeout: float = 600) -> dict[str, Any]:
    """Run the load generator in its own process and return its result."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
        path = Path(handle.name)
    try:
        result = subprocess.run(
            [PYTHON, "-m", "bench.loadgen", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    finally:
        path.unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError("load generator failed:\n" + result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def settle(served: Served, quiet: float = 1.5, timeout: float = 120) -> None:
    """Wait until the server has been idle for `quiet` seconds (queued Web API calls done)."""
    deadline = time.monotonic() + timeout
    idle_since = time.monotonic()
    cpu = served.cpu()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = served.cpu()
        if now - cpu > 0.25 * 0.05:  # busier than 5% of a core
            idle_since = time.monotonic()
        cpu = now
        if time.monotonic() - idle_since >= quiet:
            return
