"""The record of a workshop: groups, people, recommendations, votes, requests, the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, utcnow


class Choice(StrEnum):
    SUPPORT = "support"
    OPPOSE = "oppose"
    ABSTAIN = "abstain"


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(8), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    channel_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    rapporteur_user_id: Mapped[str | None] = mapped_column(String(32))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    next_seq: Mapped[int] = mapped_column(Integer, default=1)
    # How it decides (storage.models.delegations.Procedure); None: DECISION_PROCEDURE.
    procedure: Mapped[str | None] = mapped_column(String(16))
    # When voting closes by itself (storage.deadlines), and the IANA time zone it was set in.
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deadline_zone: Mapped[str | None] = mapped_column(String(64))
    # What its tallies show (storage.visibility): live | hidden, named | secret; None: the
    # TALLIES / BALLOTS setting.
    tallies: Mapped[str | None] = mapped_column(String(16))
    ballots: Mapped[str | None] = mapped_column(String(16))

    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="group", order_by="Recommendation.seq"
    )


class Person(Base):
    """A Slack user the app has seen: delegation and a display name."""

    __tablename__ = "people"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    country_code: Mapped[str | None] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # From the participant list (or /wg seat): the delegation is confirmed, not declared.
    # An observer's `delegation` is their organisation; they never count in a tally.
    delegation: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(320))


class Recommendation(Base):
    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("group_id", "seq", name="uq_recommendations_group_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str | None] = mapped_column(Text)
    author_user_id: Mapped[str] = mapped_column(String(32))
    country_code: Mapped[str | None] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The view id of the modal that created it: a resubmitted modal is not a new submission.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Where its card is, once posted.
    channel_id: Mapped[str | None] = mapped_column(String(32))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    # Card refresh bookkeeping: each vote change bumps tally_version; the card shows
    # card_version; card_lease_until coalesces updates across threads and instances.
    tally_version: Mapped[int] = mapped_column(Integer, default=0)
    card_version: Mapped[int] = mapped_column(Integer, default=-1)
    card_lease_until: Mapped[float] = mapped_column(Float, default=0.0)
    # The instance holding that lease (storage.instances): a dead holder's lease is freed early.
    card_lease_owner: Mapped[str | None] = mapped_column(String(64))
    # Its text's life (storage.models.texts): the current version (1: as submitted), whether
    # it is open, withdrawn or merged (TextStatus), who did that and when, and into which.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    status_by: Mapped[str | None] = mapped_column(String(32))
    status_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    merged_into_id: Mapped[int | None] = mapped_column(Integer)  # a recommendation's id

    group: Mapped[Group] = relationship(back_populates="recommendations")

    @property
    def number(self) -> str:
        """The per-group number, e.g. EE-3."""
        return f"{self.group.code}-{self.seq}"


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "voter_user_id", name="uq_votes_rec_voter"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    voter_user_id: Mapped[str] = mapped_column(String(32))
    choice: Mapped[str] = mapped_column(String(16))
    country_code: Mapped[str | None] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The voter's confirmed delegation when they clicked (None: none confirmed), and the
    # order of clicks on the card (its tally_version then): in a delegation group the
    # delegation's latest click is its ballot.
    delegation: Mapped[str | None] = mapped_column(String(200))
    seq: Mapped[int] = mapped_column(Integer, default=0)


class ProcessedRequest(Base):
    """A Slack delivery already handled (event_id, or another idempotency key)."""

    __tablename__ = "processed_requests"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """One state change: who, when, what, from which request."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_user_id: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    group_key: Mapped[str | None] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))
