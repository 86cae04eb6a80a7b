"""Run the emulator in the foreground: ``python -m bot.emulator --port 8765``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from bot.emulator.server import Emulator


def main(argv: list[str] | None = None) -> int:
    """Start the emulator, print its Web API URL and serve until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m bot.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind (default: any free port)")
    args = parser.parse_args(argv)

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    emulator = Emulator(args.host, args.port).start()
    print(emulator.api_url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
