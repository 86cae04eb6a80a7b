"""The demo's closing summary: a table of the groups and where the document is."""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table

from bot.demo.result import DemoResult

SLACK_EMOJI = re.compile(r":[a-z0-9_+-]+:\s*")


def summary_table(result: DemoResult) -> Table:
    """One row per group (how it decides, rapporteur, submitted, adopted, votes) and a total."""
    table = Table(
        title=f"Workshop outcome (seed {result.seed}, {result.delegates} delegates)",
        show_footer=True,
    )
    table.add_column("Group", footer="All groups")
    table.add_column("Decides by")
    table.add_column("Rapporteur")
    table.add_column("Submitted", justify="right", footer=str(result.submitted))
    table.add_column("Adopted", justify="right", footer=str(result.adopted))
    table.add_column("Votes", justify="right", footer=str(result.votes))
    for group in result.groups:
        table.add_row(
            group.name,
            group.procedure.value,
            f"@{group.rapporteur}",
            str(group.submitted),
            str(group.adopted),
            str(group.votes),
        )
    return table


def print_summary(console: Console, result: DemoResult) -> None:
    """The table, the app's own count, and the document's path."""
    console.print(summary_table(result))
    reported = SLACK_EMOJI.sub("", result.comment).replace("*", "").strip()
    console.print(
        f"{result.clicks} clicks. The app agrees: {reported}",
        markup=False,
        emoji=False,
        highlight=False,
    )
    console.print(f"Outcome document: [bold]{result.document}[/bold]", highlight=False)
    if result.pdf is not None:
        console.print(f"PDF: [bold]{result.pdf}[/bold]", highlight=False)
    console.print(f"Done in {result.seconds:.1f} s.", highlight=False)
