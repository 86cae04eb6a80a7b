"""Deciding as States decide: the participant list, objections and reservations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class Role(StrEnum):
    """What a participant does at the workshop."""

    DELEGATE = "delegate"
    OBSERVER = "observer"
    RAPPORTEUR = "rapporteur"


class Procedure(StrEnum):
    """How a group decides."""

    VOTE = "vote"  # one vote per person
    DELEGATION = "delegation"  # one ballot per delegation
    CONSENSUS = "consensus"  # adopted unless a delegation objects


class Participant(Base):
    """A person on the participant list (imported, or seated by an organizer).

    `delegation` is an ISO 3166 alpha-2 code for a State's delegates and rapporteurs, the
    organisation's name for an observer. `user_id` is set once the person is matched to a
    Slack account (by email); until then the row waits, kept.
    """

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    delegation: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default=Role.DELEGATE.value)
    group_key: Mapped[str | None] = mapped_column(String(64))
    organisation: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    source: Mapped[str] = mapped_column(String(16), default="roster")  # roster | seat
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Objection(Base):
    """A delegation's standing objection to a recommendation (consensus groups)."""

    __tablename__ = "objections"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "delegation", name="uq_objections_rec_delegation"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    delegation: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Reservation(Base):
    """A delegation's reservation on a recommendation: recorded, never changes the outcome."""

    __tablename__ = "reservations"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "delegation", name="uq_reservations_rec_delegation"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    delegation: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))  # its message in the card's thread
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
