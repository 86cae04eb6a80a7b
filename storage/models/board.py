"""The plenary board: the secret links that show it (only their hashes are stored)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class BoardLink(Base):
    """One link to the board made by `/wg board`, until `/wg board revoke`.

    The token itself is shown once, to the organizer who asked; the database keeps its
    SHA-256 (hex), so a copy of the database opens no board.
    """

    __tablename__ = "board_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
