"""One progress bar per phase of the demo."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)


class Step:
    """The bar of the phase under way."""

    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress = progress
        self._task = task

    def advance(self, amount: int = 1) -> None:
        """Count `amount` more units done (safe from worker threads)."""
        self._progress.advance(self._task, amount)

    def done(self, completed: int) -> None:
        """Set how many units are done."""
        self._progress.update(self._task, completed=completed)


class Phases:
    """A rich Progress showing each phase as it runs, kept on screen when done."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            SpinnerColumn(finished_text="[green]✓"),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )

    @contextmanager
    def phase(self, description: str, total: int) -> Iterator[Step]:
        """A bar for one phase; it shows complete when the block ends without error."""
        task = self.progress.add_task(description, total=total)
        yield Step(self.progress, task)
        self.progress.update(task, completed=total)

    def __enter__(self) -> Phases:
        """Start drawing."""
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        """Stop drawing."""
        self.progress.stop()
