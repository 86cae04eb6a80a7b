"""Idempotency: each Slack delivery (event_id, action) is processed once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models import ProcessedRequest


def first_delivery(session: Session, key: str) -> bool:
    """Claim the key; False if it was already processed (by any instance)."""
    try:
        with session.begin_nested():
            session.add(ProcessedRequest(key=key[:200]))
            session.flush()
    except IntegrityError:
        return False
    return True
