"""The benchmarks' quick modes run end to end and produce results (timings are not asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_quick_benchmarks_produce_results(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--json", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    names = ("vote_path", "burst", "submission", "compile", "during_compile", "startup", "floor")
    for name in names:
        assert f"## {name}" in result.stdout

    def read(name: str) -> dict:
        return json.loads((tmp_path / f"{name}.json").read_text())

    level = read("vote_path")["backends"][0]["levels"][0]
    for side in ("bare", "app"):
        assert level[side]["rps"] > 0
        assert level[side]["errors"] == level[side]["non_200"] == 0

    bursts = read("burst")
    burst = bursts["backends"]["sqlite"][0]
    assert burst["acks"]["answered"] == burst["clicks"]
    assert burst["acks"]["statuses"] == {"200": burst["clicks"]}
    assert burst["database_exact"]
    assert all(card["exact"] and card["updates"] >= 1 for card in burst["cards"])
    # Confirmations are coalesced per voter, but every vote is confirmed as stored.
    assert burst["confirmed_all"]
    assert 0 < burst["confirmations"] <= burst["clicks"]

    limited = bursts["rate_limited"]["sqlite"]
    assert limited["database_exact"] and limited["confirmed_all"]
    assert limited["limit"]["refused"] >= 1  # Slack's 429s were met, and ridden out
    assert all(card["exact"] for card in limited["cards"])

    submitted = read("submission")["backends"]["sqlite"][0]
    assert submitted["non_200"] == 0
    assert submitted["views_open"]["n"] == submitted["card_posted"]["n"] == 8

    compiled = read("compile")["backends"]["sqlite"]
    assert [row["votes"] for row in compiled] == [4 * 10 * 20, 4 * 40 * 20]
    assert all(row["docx_mb"] > 0 and row["peak_mb"] > 0 for row in compiled)

    during = read("during_compile")["backends"]["sqlite"]
    assert during["compile_status"] == 200 and during["compile_s"] > 0
    assert during["answered"] == during["clicks"] and during["errors"] == {}
    assert (
        during["acks_before"]["n"] + during["acks_during"]["n"] + during["acks_after"]["n"]
        == (during["clicks"])
    )
    assert len(during["worker_rss_after_mb"]) == 2

    started = read("startup")["backends"]["sqlite"]
    assert started["first"]["seconds"] > 0 and started["restarts"]

    floor = read("floor")["backends"][0]
    ablations = {row["variant"]: row for row in floor["ablations"]}
    assert list(ablations) == ["full", "write-only", "dispatch-only"]
    for row in ablations.values():
        assert row["bare_rps"] > 0 and row["app_rps"] > 0
        assert row["errors"] == row["non_200"] == 0
    # The switches took: only the full app confirms votes and updates cards.
    assert ablations["full"]["web_api_calls_per_vote"]["chat.postEphemeral"] > 0
    for name in ("write-only", "dispatch-only"):
        assert set(ablations[name]["web_api_calls_per_vote"].values()) == {0.0}
    assert [w["batch"] for w in floor["writes"]] == [1, 8, 16, 32]
    assert all(w["client_cpu_ms"] > 0 and w["database_cpu_ms"] is None for w in floor["writes"])
    assert floor["confirmation"]["client_cpu_ms"] > 0
    assert floor["budget_ms"] > 0
    assert floor["least_total_ms"] == pytest.approx(sum(floor["least"].values()))


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--clients", "0"], "argument --clients: must be above 0"),
        (["--repeats", "two"], "argument --repeats: not a number: 'two'"),
        (["--seconds", "-5"], "argument --seconds: must be above 0"),
        (["--warmup", "-1"], "argument --warmup: must be 0 or more"),
    ],
)
def test_vote_path_refuses_a_plan_it_cannot_run(flags, message, capsys):
    from bench import vote_path

    with pytest.raises(SystemExit) as exit_info:
        vote_path.main(flags)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
