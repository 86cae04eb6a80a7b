"""The audit log: every state change, who made it and from which request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.actors import Actor
from storage.models import AuditEntry


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    group_key: str | None = None,
    target: str | None = None,
    **detail: Any,
) -> None:
    """Add one audit entry to the session (flushed with the change it records)."""
    session.add(
        AuditEntry(
            actor_user_id=actor.user_id,
            action=action,
            group_key=group_key,
            target=target,
            detail=detail,
            request_id=actor.request_id,
        )
    )


def entries(
    session: Session, *, group_key: str | None = None, since: datetime | None = None
) -> Sequence[AuditEntry]:
    """Audit entries, oldest first, optionally for one group and from a moment on."""
    query = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if group_key is not None:
        query = query.where(AuditEntry.group_key == group_key)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    return session.scalars(query).all()


VOTE_CHOICES = ("choice", "previous")  # what a vote's entry may say of its choices


def shown_detail(
    action: str,
    group_key: str | None,
    detail: dict[str, Any] | None,
    secret: frozenset[str],
    withheld: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """An entry's detail as it may be shown or exported: a vote in a group whose ballots are
    secret (`secret`: their keys, storage.visibility) says that it was cast, not its choice;
    in a group whose results are withheld now (`withheld`), its choice reads `withheld`.

    Votes cast while a group was secret were recorded without one; this also covers those
    cast before it became secret.
    """
    found = dict(detail or {})
    if action == "vote" and group_key in secret:
        for key in VOTE_CHOICES:
            found.pop(key, None)
        found["ballot"] = "secret"
    elif action == "vote" and group_key in withheld:
        for key in VOTE_CHOICES:
            if found.get(key) is not None:
                found[key] = "withheld"
    return found
