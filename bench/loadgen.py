"""The load generator: signed vote clicks from N concurrent keep-alive clients, in its own process.

``python -m bench.loadgen SPEC.json`` prints one JSON result. Requests are built and signed
before the clock starts, exactly as Slack sends them (``payload=`` form body with the card
message, v0 signature), so the same bytes go to every server measured. Each client is a
thread with one persistent HTTP/1.1 connection and a minimal parser: the generator shares the
machine's cores with the server, so it should cost as little CPU as possible.

Two modes:
* ``steady``: every client sends back to back for ``warmup + duration`` seconds; only
  requests started inside the measured window count.
* ``burst``: ``voters`` people each click each card once at a random moment within
  ``window`` seconds; reports every ack's latency and the expected final tallies.
"""

from __future__ import annotations

import json
import random
import socket
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from itertools import count
from typing import Any

from bench.measure import cpu_seconds, latency_summary
from bot.emulator.payloads import block_actions_payload
from bot.emulator.sender import signature_headers

CHOICES = ("support", "oppose", "abstain")


@dataclass(frozen=True)
class Click:
    """One prepared request: who clicked what, and the raw HTTP bytes."""

    voter: int
    card: int
    choice: str
    data: bytes


def build_click(spec: dict[str, Any], voter: int, card_index: int, choice: str) -> Click:
    """Sign a block_actions click on a card as Slack would send it."""
    card = spec["cards"][card_index]
    payload = block_actions_payload(
        user_id=f"UB{voter:05d}",
        user_name=f"voter{voter}",
        channel_id=card["channel"],
        message=card["message"],
        action_id=f"vote_{choice}",
        value=card["value"],
        block_id="vote_buttons",
        response_url=spec.get("response_url") or "",
    )
    body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
    url = urllib.parse.urlsplit(spec["url"])
    headers = {
        "Host": url.netloc,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        "Accept": "application/json,*/*",
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(body)),
        **signature_headers(spec["secret"], body),
    }
    head = f"POST {url.path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return Click(voter, card_index, choice, head.encode() + b"\r\n" + body)


def steady_clicks(spec: dict[str, Any]) -> list[Click]:
    """A cycle in which every click changes its voter's choice on that card."""
    cards, voters = len(spec["cards"]), spec["voters"]
    clicks = []
    for k in range(cards * voters * len(CHOICES)):
        voter, card = (k // cards) % voters, k % cards
        choice = CHOICES[k // (cards * voters) % len(CHOICES)]
        clicks.append(build_click(spec, voter, card, choice))
    offset = spec.get("offset", 0) % len(clicks)
    return clicks[offset:] + clicks[:offset]


class Connection:
    """One keep-alive HTTP/1.1 connection with just enough parsing to read a response."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.address = (host, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buffer = b""

    def close(self) -> None:
        """Drop the connection."""
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""

    def request(self, data: bytes) -> int:
        """Send one request and return the status (reconnects once if a kept-alive one closed)."""
        for attempt in range(2):
            fresh = self.sock is None
            if self.sock is None:
                self.sock = socket.create_connection(self.address, timeout=self.timeout)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                self.sock.sendall(data)
                status, close = self._response()
            except (OSError, EOFError):
                self.close()
                if fresh or attempt:
                    raise
                continue
            if close:
                self.close()
            return status
        raise EOFError("unreachable")

    def _recv(self) -> bytes:
        assert self.sock is not None
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed")
        return chunk

    def _response(self) -> tuple[int, bool]:
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, close, chunked = 0, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection":
                close = value == b"close"
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
        if chunked:
            while not rest.endswith(b"0\r\n\r\n"):
                rest += self._recv()
            self.buffer = b""
            return status, close
        while len(rest) < length:
            rest += self._recv()
        self.buffer = rest[length:]
        return status, close


def run_steady(spec: dict[str, Any]) -> dict[str, Any]:
    """N clients back to back; results over the measured window."""
    clicks = steady_clicks(spec)
    url = urllib.parse.urlsplit(spec["url"])
    concurrency, warmup, duration = spec["concurrency"], spec["warmup"], spec["duration"]
    next_index = count()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    ready = threading.Barrier(concurrency + 1)
    window: dict[str, float] = {}
    sent = 0

    def client() -> None:
        nonlocal sent
        conn = Connection(url.hostname or "127.0.0.1", url.port or 80, timeout=30)
        mine: list[float] = []
        my_status: Counter[int] = Counter()
        my_errors: Counter[str] = Counter()
        my_sent = 0
        ready.wait()
        start, end = window["start"], window["end"]
        while True:
            started = time.perf_counter()
            if started >= end:
                break
            click = clicks[next(next_index) % len(clicks)]
            my_sent += 1
            try:
                status = conn.request(click.data)
            except (OSError, EOFError) as error:
                conn.close()
                if started >= start:
                    my_errors[type(error).__name__] += 1
                continue
            if started >= start:
                mine.append(time.perf_counter() - started)
                my_status[status] += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(my_status)
            errors.update(my_errors)
            sent += my_sent

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    cpu_before = cpu_seconds_self()
    window["start"] = time.perf_counter() + warmup
    window["end"] = window["start"] + duration
    ready.wait()
    for thread in threads:
        thread.join()
    ok = statuses.get(200, 0)
    return {
        "mode": "steady",
        "concurrency": concurrency,
        "duration_s": duration,
        "requests": len(latencies),
        "ok": ok,
        "sent": sent,
        "statuses": {str(k): v for k, v in statuses.items()},
        "errors": dict(errors),
        "rps": ok / duration,
        **latency_summary(latencies),
        "loadgen_cpu_s": cpu_seconds_self() - cpu_before,
    }


def run_burst(spec: dict[str, Any]) -> dict[str, Any]:
    """Every voter clicks every card once, at random moments within the window."""
    rng = random.Random(spec.get("seed", 1))
    cards, voters, window = len(spec["cards"]), spec["voters"], spec["window"]
    schedule: dict[int, list[tuple[float, Click]]] = {}
    expected = [Counter() for _ in range(cards)]
    for voter in range(voters):
        mine = []
        for card in range(cards):
            choice = rng.choice(CHOICES)
            expected[card][choice] += 1
            mine.append((rng.uniform(0, window), build_click(spec, voter, card, choice)))
        schedule[voter] = sorted(mine, key=lambda item: item[0])
    url = urllib.parse.urlsplit(spec["url"])
    results: list[tuple[float, float, int, int]] = []  # (sent at, latency, status, card)
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    ready = threading.Barrier(voters + 1)
    origin: dict[str, float] = {}

    def voter_thread(voter: int) -> None:
        conn = Connection(url.hostname or "127.0.0.1", url.port or 80, timeout=30)
        mine, my_errors = [], Counter()
        ready.wait()
        for at, click in schedule[voter]:
            delay = origin["t0"] + at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            started = time.perf_counter()
            try:
                status = conn.request(click.data)
            except (OSError, EOFError) as error:
                conn.close()
                my_errors[type(error).__name__] += 1
                continue
            mine.append((started - origin["t0"], time.perf_counter() - started, status, click.card))
        conn.close()
        with lock:
            results.extend(mine)
            errors.update(my_errors)

    threads = [threading.Thread(target=voter_thread, args=(v,), daemon=True) for v in schedule]
    for thread in threads:
        thread.start()
    origin["t0"] = time.perf_counter() + 0.2
    origin["wall_t0"] = time.time() + 0.2
    ready.wait()
    for thread in threads:
        thread.join()
    latencies = [r[1] for r in results]
    statuses = Counter(r[2] for r in results)
    last_sent = max((r[0] for r in results), default=0.0)
    return {
        "mode": "burst",
        "voters": voters,
        "cards": cards,
        "clicks": voters * cards,
        "answered": len(results),
        "statuses": {str(k): v for k, v in statuses.items()},
        "errors": dict(errors),
        "over_3s": sum(1 for x in latencies if x >= 3.0),
        "last_click_s": last_sent,
        "started_at": origin["wall_t0"],
        **latency_summary(latencies),
        "expected": [{c: e[c] for c in CHOICES} for e in expected],
        # (sent at, seconds after started_at; latency s) of every answered click, on request
        **({"samples": [[r[0], r[1]] for r in results]} if spec.get("samples") else {}),
    }


def cpu_seconds_self() -> float:
    """This process's CPU time."""
    import os

    return cpu_seconds(os.getpid())


def main(argv: list[str] | None = None) -> None:
    """Read a spec file, run it, print the result as JSON."""
    args = sys.argv[1:] if argv is None else argv
    with open(args[0]) as handle:
        spec = json.load(handle)
    result = run_burst(spec) if spec.get("mode") == "burst" else run_steady(spec)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
