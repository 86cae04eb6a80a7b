"""The discussion of each recommendation: the replies in its card's thread."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow
from storage.models.record import Recommendation


class Comment(Base):
    """One person's reply in a card's thread, as it stands now (edits followed).

    A deleted reply keeps its row, with `deleted_at` set and its text erased: it no longer
    counts, and a late or repeated delivery of the original message cannot bring it back.
    The text is stored as the person typed it (Slack's mention and link syntax decoded).
    """

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("channel_id", "ts", name="uq_comments_channel_ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))  # the reply's message ts in the channel
    user_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# Every thread reply in a linked channel looks its card up by where it was posted.
Index("ix_recommendations_channel_message", Recommendation.channel_id, Recommendation.message_ts)
