"""Deadlines: who has been reminded of which deadline (the deadline itself is on its group)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class ReminderSent(Base):
    """One person reminded of one deadline of one group: at most once, across instances.

    The row is written before the direct message is sent (and removed again if Slack
    refuses it), so two runs of a reminder never message the same person twice. A moved
    deadline is another deadline: its people are reminded again.
    """

    __tablename__ = "reminders_sent"
    __table_args__ = (
        UniqueConstraint(
            "group_key", "deadline_at", "user_id", name="uq_reminders_sent_group_deadline_user"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_key: Mapped[str] = mapped_column(String(64))
    deadline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
