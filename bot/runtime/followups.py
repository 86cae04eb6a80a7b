"""What a request wants done once its transaction has ended."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.delivery.jobs import Job


@dataclass
class Followups:
    """Jobs to run after commit, and replies to send whether or not it committed."""

    after_commit: list[tuple[str, Job]] = field(default_factory=list)
    always: list[tuple[str, Job]] = field(default_factory=list)
    failed: bool = False

    def on_commit(self, name: str, job: Job) -> None:
        """Run job after a successful commit (Web API calls that show the change)."""
        self.after_commit.append((name, job))

    def reply(self, name: str, job: Job) -> None:
        """Run job after the transaction, committed or not (telling the person)."""
        self.always.append((name, job))
