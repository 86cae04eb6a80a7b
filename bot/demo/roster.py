"""The demo's participant list: written as an organizer would write the CSV file, and imported
by the same code as `rapporteur roster import`, into the database of the running app.

Everyone on it is matched to their Slack account by email at import (`users.lookupByEmail`,
answered by the emulator, whose users carry these emails), so delegations are confirmed
before anyone acts, and each group's rapporteur is appointed by the list.
"""

from __future__ import annotations

import csv
import io
import re

from bot.cli_roster import import_roster
from bot.demo.errors import DemoError
from bot.demo.script import Script
from storage.engines import make_engine
from storage.sessions import make_session_factory

SOURCE = "participants.csv"
NOT_MATCHED = re.compile(r"not matched yet: (\d+)")


def participant_list(script: Script) -> bytes:
    """The CSV file: each delegate (their group's rapporteurs as such), then the observers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Name", "Email", "Delegation", "Role", "Group", "Organisation"])
    rapporteurs = {p.user_id for p in script.rapporteurs.values()}
    for person in script.delegates:
        role = "rapporteur" if person.user_id in rapporteurs else "delegate"
        row = [person.real_name, person.email, person.country, role, person.group_key, ""]
        writer.writerow(row)
    for observer in script.observers:
        writer.writerow(
            [observer.real_name, observer.email, observer.organisation, "observer", "", ""]
        )
    return out.getvalue().encode("utf-8")


def import_participants(script: Script, *, database_url: str, token: str, api_url: str) -> str:
    """Import the list into the app's database; its report. Raises DemoError unless every
    row is imported and matched to a Slack account."""
    engine = make_engine(database_url, pool_size=1)
    try:
        outcome = import_roster(
            participant_list(script),
            source=SOURCE,
            session_factory=make_session_factory(engine),
            token=token,
            api_url=api_url,
        )
    finally:
        engine.dispose()
    if outcome.status != 0:
        raise DemoError(f"the participant list was refused:\n{outcome.err}")
    unmatched = NOT_MATCHED.search(outcome.out)
    if unmatched is None or unmatched.group(1) != "0":
        raise DemoError(f"not everyone on the participant list was matched:\n{outcome.out}")
    return outcome.out
