"""Texts that evolve: every version of a recommendation, and the amendments proposed to it.

A recommendation's current text stays on its row (storage.models.record); `version` there
counts its versions (1: as submitted). Once its text first changes, `revisions` holds every
version, the submitted one included, so nothing typed is ever lost. Its `status` says
whether it is open, withdrawn or merged into another recommendation of its group.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class TextStatus(StrEnum):
    """Where a recommendation stands (Recommendation.status)."""

    OPEN = "open"
    WITHDRAWN = "withdrawn"  # by its author, the group's rapporteur or an organizer
    MERGED = "merged"  # into another recommendation of its group (merged_into_id)


class Cause(StrEnum):
    """Why a version exists."""

    SUBMITTED = "submitted"
    EDIT = "edit"  # its author edited it
    AMENDMENT = "amendment"  # an amendment was accepted


class AmendmentState(StrEnum):
    """What became of an amendment."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # its recommendation was withdrawn or merged before a decision


class Revision(Base):
    """One version of a recommendation's text, as it stood from `created_at` on."""

    __tablename__ = "revisions"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "version", name="uq_revisions_rec_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(32))  # who made it (the submitter for v1)
    # The delegation it is attributed to (tracked changes in the document): an ISO code, an
    # organisation's name, or None when the person had none.
    delegation: Mapped[str | None] = mapped_column(String(200))
    cause: Mapped[str] = mapped_column(String(16))
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendments.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Amendment(Base):
    """A proposed new text for a recommendation, numbered in it (EE-3/A1)."""

    __tablename__ = "amendments"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "number", name="uq_amendments_rec_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)  # the full proposed text
    reason: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[str] = mapped_column(String(32))
    delegation: Mapped[str | None] = mapped_column(String(200))
    # The version it amends, and that version's text (what its thread message compares with).
    base_version: Mapped[int] = mapped_column(Integer)
    base_text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default=AmendmentState.PROPOSED.value)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Its message in the card's thread (posted after the commit that stored it).
    channel_id: Mapped[str | None] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
