"""Test data: `stored` writes through storage's operations, `records` builds in-memory records."""

from tests.factories.stored import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted

__all__ = ["ORGANIZER", "RAPPORTEUR", "delegate", "linked_group", "submitted"]
