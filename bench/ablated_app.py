"""`rapporteur serve` with part of a vote's work switched off, for bench.floor only.

    python -m bench.ablated_app write-only serve --host 127.0.0.1 --port 3000
    python -m bench.ablated_app dispatch-only serve --host 127.0.0.1 --port 3000

* ``write-only``: a click is verified, dispatched and written as in production, but the
  voter is not confirmed and the card is not updated.
* ``dispatch-only``: not written either. The listener acks and hands back the result a
  first vote would have (every click "changed"), so Bolt, Rapporteur's middleware and its
  unit of work run as in production and nothing after them does.

The patches are applied here, in the master process, before gunicorn forks its workers.
The production code has no such switches: these servers exist to measure what each part
of a click costs (docs/performance.md, "The floor").
"""

from __future__ import annotations

import sys
from typing import Any

ABLATIONS = ("write-only", "dispatch-only")


def ablate(what: str) -> None:
    """Switch off the named part of the vote's work in this process (and its forks)."""
    if what not in ABLATIONS:
        raise SystemExit(f"unknown ablation {what!r}; expected one of {', '.join(ABLATIONS)}")
    from bot.delivery.background import Background
    from bot.delivery.cards import CardUpdates
    from bot.delivery.coalescer import Coalescer

    def nothing(self: Any, *args: Any, **kwargs: Any) -> None:
        return None

    CardUpdates.refresh = nothing  # type: ignore[method-assign]
    Background.start = nothing  # type: ignore[method-assign]  # no sweep: it would update cards
    Coalescer.add = nothing  # type: ignore[method-assign]  # confirmations (and Home refreshes)
    if what == "dispatch-only":
        from bot.runtime.ballot_box import BallotBox
        from storage.votes import Ballot, VoteResult

        def not_written(self: Any, ballot: Ballot) -> VoteResult:
            return VoteResult(ballot.recommendation_id, "EE-1", ballot.choice, None, True)

        BallotBox.cast = not_written  # type: ignore[method-assign]


def main(argv: list[str]) -> int:
    """Apply the ablation named first, then run the rest as `rapporteur` would."""
    if not argv:
        raise SystemExit(f"usage: python -m bench.ablated_app {{{'|'.join(ABLATIONS)}}} serve …")
    ablate(argv[0])
    from bot.cli import main as rapporteur

    return rapporteur(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
