"""`rapporteur demo`: its arguments, and running it from the command line."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.demo.content import COUNTRIES
from bot.demo.script import MAX_DELEGATES, MIN_DELEGATES

if TYPE_CHECKING:
    from bot.settings import Settings


def add_demo_command(sub: Any) -> None:
    """Register `demo` on the CLI's subparsers."""
    demo = sub.add_parser(
        "demo",
        help="play the Da Nang workshop against a local Slack emulator and write its outcome "
        "document (.docx, and .pdf when LibreOffice is installed)",
        description=(
            "Start a local Slack emulator and the real app, play a workshop through signed "
            "requests (a participant list of six delegations and two observers, matched by "
            "email; groups deciding by vote, by delegation and by consensus; recommendations, "
            "votes, an objection, a reservation, closing, compiling) and save the outcome "
            "document, and its PDF beside it when LibreOffice is installed. Needs no "
            "network and no Slack account. Uses a temporary "
            "SQLite database unless DATABASE_URL is set (in the environment or .env); that "
            "database must hold no workshop yet."
        ),
    )
    demo.add_argument(
        "--out", type=Path, default=Path("outcome.docx"), help="FILE.docx (and FILE.pdf beside it)"
    )
    demo.add_argument("--seed", type=int, default=1, help="decides who votes what (default 1)")
    demo.add_argument(
        "--delegates",
        type=_delegates,
        default=24,
        help=f"how many delegates ({MIN_DELEGATES}–{MAX_DELEGATES}, default 24)",
    )
    demo.set_defaults(run=run_command)


def _delegates(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if count < MIN_DELEGATES:
        raise argparse.ArgumentTypeError(
            f"must be at least {MIN_DELEGATES}: each of the {len(COUNTRIES)} delegations "
            f"({', '.join(COUNTRIES)}) submits recommendations, so each needs a delegate"
        )
    if count > MAX_DELEGATES:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_DELEGATES}")
    return count


def database_url(settings: Settings) -> str | None:
    """DATABASE_URL as the app reads it (the environment, then .env); None if neither sets it."""
    return settings.database_url if "database_url" in settings.model_fields_set else None


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    """Run the demo; 0 on success, 1 with a message if the app misbehaved, 130 if interrupted."""
    from rich.console import Console

    from bot.demo.errors import DemoError
    from bot.demo.output import print_summary
    from bot.demo.runner import run_demo

    errors = Console(stderr=True)
    _stop_on_sigterm()
    try:
        result = run_demo(
            out=args.out,
            seed=args.seed,
            delegates=args.delegates,
            database_url=database_url(settings),
            console=errors,
        )
    except DemoError as error:
        errors.print("[bold red]rapporteur demo failed:[/bold red]", end=" ")
        errors.print(str(error), markup=False, highlight=False, emoji=False, soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        errors.print("rapporteur demo interrupted; the app and the emulator are stopped.")
        return 130
    print_summary(Console(), result)
    return 0


def _stop_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C, so the app and the emulator are stopped on the way out."""
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
