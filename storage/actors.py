"""Who is acting, as operations see it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """A person acting, with the roles that do not live in the database."""

    user_id: str
    is_organizer: bool = False
    name: str | None = None
    request_id: str | None = None
