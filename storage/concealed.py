"""Secret ballots in the JSON export: its votes and audit entries, unlinked from the voters.

`rapporteur export --format json` is the record's backup, every row of every table. For a
group whose ballots are secret (storage.visibility) it must not link a voter to a choice, so
its votes are exported without anything that says whose they are: each gets a pseudonym of
its own (`secret-<recommendation id>-<n>`), no delegation, the same time (the latest of the
recommendation's votes), no click order, and new ids in the order of their choices. Its
audit entries keep who voted and when, never the choice (storage.audit.shown_detail).

`rapporteur import` of such an export restores every count exactly (a pseudonym counts as a
voter); what is lost is who cast which of those votes: after an import, a person who voted
in a secret group that is still open is asked to vote again (App Home, reminders), and a
new click of theirs adds a vote instead of replacing their earlier one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.audit import shown_detail
from storage.models import Group, Recommendation
from storage.visibility import secret_keys

PSEUDONYM = "secret-{rec}-{n}"


def conceal(session: Session, tables: dict[str, list[dict[str, Any]]]) -> None:
    """Rewrite, in place, the exported votes and audit entries of secret groups."""
    secret = secret_keys(session)
    if not secret:
        return
    hidden = set(
        session.scalars(select(Recommendation.id).join(Group).where(Group.key.in_(sorted(secret))))
    )
    votes = tables.get("votes", [])
    named = [v for v in votes if v["recommendation_id"] not in hidden]
    cast = sorted(
        (v for v in votes if v["recommendation_id"] in hidden),
        key=lambda v: (v["recommendation_id"], v["choice"]),
    )
    latest: dict[int, str] = {}
    for vote in cast:
        rec = vote["recommendation_id"]
        latest[rec] = max(latest.get(rec, vote["updated_at"]), vote["updated_at"])
    next_id = max((v["id"] for v in named), default=0) + 1
    counter: dict[int, int] = {}
    unlinked = []
    for vote in cast:
        rec = vote["recommendation_id"]
        counter[rec] = counter.get(rec, 0) + 1
        unlinked.append(
            {
                **vote,
                "id": next_id + len(unlinked),
                "voter_user_id": PSEUDONYM.format(rec=rec, n=counter[rec]),
                "country_code": None,
                "delegation": None,
                "seq": 0,
                "updated_at": latest[rec],
            }
        )
    tables["votes"] = named + unlinked
    for entry in tables.get("audit_log", []):
        if entry.get("group_key") in secret:
            entry["detail"] = shown_detail(
                entry["action"], entry["group_key"], entry.get("detail"), secret
            )
