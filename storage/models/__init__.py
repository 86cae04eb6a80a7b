"""SQLAlchemy models: the record of a workshop, and the work around it.

Every model is importable from here; each submodule holds one part of the schema.
"""

from storage.models.base import NAMING, Base, as_utc, utcnow
from storage.models.board import BoardLink
from storage.models.deadlines import ReminderSent
from storage.models.delegations import Objection, Participant, Procedure, Reservation, Role
from storage.models.discussion import Comment
from storage.models.record import (
    AuditEntry,
    Choice,
    Group,
    Person,
    ProcessedRequest,
    Recommendation,
    Vote,
)
from storage.models.texts import Amendment, AmendmentState, Cause, Revision, TextStatus
from storage.models.work import CompileRequestRow, Instance, ScheduledJobRow, WorkState

__all__ = [
    "NAMING",
    "Amendment",
    "AmendmentState",
    "AuditEntry",
    "Base",
    "BoardLink",
    "Cause",
    "Choice",
    "Comment",
    "CompileRequestRow",
    "Group",
    "Instance",
    "Objection",
    "Participant",
    "Person",
    "Procedure",
    "ProcessedRequest",
    "Recommendation",
    "ReminderSent",
    "Reservation",
    "Revision",
    "Role",
    "ScheduledJobRow",
    "TextStatus",
    "Vote",
    "WorkState",
    "as_utc",
    "utcnow",
]
