"""Links to the plenary board: made by organizers, revoked all at once, checked on each view.

A link carries a long random token (256 bits); the database keeps only its SHA-256, so
neither a copy of the database nor the audit log opens a board. `/wg board revoke` ends
every link made so far: from then on they answer 404, like a token never issued.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage import audit
from storage.actors import Actor
from storage.groups import require_organizer
from storage.models import BoardLink, utcnow

TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 43 characters
TOKEN_CHARS_MAX = 128  # anything longer is no token of ours: refused before hashing


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(session: Session, *, actor: Actor) -> str:
    """A new board link's token (organizers; raises NotPermitted). Shown once, never stored."""
    require_organizer(actor, "board")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = BoardLink(token_hash=token_hash(token), created_by=actor.user_id)
    session.add(link)
    session.flush()
    audit.record(session, actor=actor, action="board_link", target=str(link.id))
    session.flush()
    return token


def revoke_all(session: Session, *, actor: Actor) -> int:
    """Revoke every link not yet revoked (organizers; raises NotPermitted); how many."""
    require_organizer(actor, "board revoke")
    revoked = session.execute(
        update(BoardLink).where(BoardLink.revoked_at.is_(None)).values(revoked_at=utcnow())
    ).rowcount
    audit.record(session, actor=actor, action="board_revoke", revoked=revoked)
    session.flush()
    return int(revoked or 0)


def is_valid(session: Session, token: str) -> bool:
    """Whether `token` opens the board: issued by `/wg board` and not revoked since."""
    if not token or len(token) > TOKEN_CHARS_MAX:
        return False
    found = session.scalar(
        select(BoardLink.id).where(
            BoardLink.token_hash == token_hash(token), BoardLink.revoked_at.is_(None)
        )
    )
    return found is not None
