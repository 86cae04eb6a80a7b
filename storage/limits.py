"""Length limits of every text field, in Unicode code points; enforced by the operations."""

from __future__ import annotations

from storage.errors import InvalidInput

TEXT_MAX = 3000
TITLE_MAX = 150
RATIONALE_MAX = 3000
NAME_MAX = 200


def clean_required(field: str, value: str | None, limit: int) -> str:
    """Return the value verbatim, or raise InvalidInput if blank or too long."""
    if value is None or not value.strip():
        raise InvalidInput(field, "empty", limit=limit)
    if len(value) > limit:
        raise InvalidInput(field, "too_long", limit=limit, length=len(value))
    return value


def clean_optional(field: str, value: str | None, limit: int) -> str | None:
    """Return None for blank input, the value verbatim otherwise; raise if too long."""
    if value is None or not value.strip():
        return None
    if len(value) > limit:
        raise InvalidInput(field, "too_long", limit=limit, length=len(value))
    return value
