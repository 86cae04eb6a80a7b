"""`/wg help` names every `/wg` sub-command the app answers, and the README's roles table
has a row for each; through a signed request against the emulator."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

from bot.listeners import wg
from tests.harness import Harness

README = Path(__file__).resolve().parents[2] / "README.md"


def sub_commands(harness: Harness) -> set[str]:
    """The sub-commands of the /wg listener the served app registered."""
    for listener in harness.app._listeners:  # Bolt keeps its listeners in registration order
        function = listener.ack_function
        if isinstance(function, partial) and function.func is wg.wg:
            return set(function.keywords["handlers"])
    raise AssertionError("no /wg listener registered")


def test_help_names_every_sub_command(harness: Harness):
    subs = sub_commands(harness)
    assert {"seat", "roster", "procedure", "deadline", "compile", "help"} <= subs
    shown = harness.wg("UANY", "CANY", "help")
    missing = sorted(sub for sub in subs if not re.search(rf"`/wg {sub}\b", shown))
    assert missing == []
    assert "*Object…*" in shown and "*Enter a reservation…*" in shown


def test_the_readmes_roles_table_has_a_row_for_each_sub_command(harness: Harness):
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| who | does | with |") :]
    table = table[: table.index("\n\n")]
    missing = sorted(sub for sub in sub_commands(harness) if not re.search(rf"`/wg {sub}\b", table))
    assert missing == []
