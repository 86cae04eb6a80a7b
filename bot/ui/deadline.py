"""How a deadline reads: its wall time in the workshop's zone, the time left, the reminder."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.ui.render import render
from storage.models import as_utc
from storage.reminders import OpenRecommendation

REMINDER_ITEMS_MAX = 30  # recommendations listed in one reminder; the rest are counted
SUMMARY_WORDS = 12
SUMMARY_CHARS = 90


def when(deadline_at: datetime, zone: str, now: datetime | None = None) -> dict[str, Any]:
    """`time`, `zone`, and `day` (YYYY-MM-DD) unless `now` is the same day in `zone`.

    Without `now` the day is always given (a card may be read on another day).
    """
    local = as_utc(deadline_at).astimezone(ZoneInfo(zone))
    today = None if now is None else as_utc(now).astimezone(ZoneInfo(zone)).date()
    day = None if local.date() == today else local.date().isoformat()
    return {"time": local.strftime("%H:%M"), "day": day, "zone": zone}


def left(deadline_at: datetime, now: datetime) -> dict[str, int]:
    """The time left as `days`, `hours`, `minutes` (to the nearest minute, at least one).

    Under an hour: minutes. Under two days: hours and minutes. Beyond: days and hours.
    """
    minutes = max(1, round((as_utc(deadline_at) - as_utc(now)) / timedelta(minutes=1)))
    if minutes < 60:
        return {"days": 0, "hours": 0, "minutes": minutes}
    if minutes < 48 * 60:
        return {"days": 0, "hours": minutes // 60, "minutes": minutes % 60}
    hours = round(minutes / 60)
    return {"days": hours // 24, "hours": hours % 24, "minutes": 0}


def announcement(group: str, deadline_at: datetime, zone: str, now: datetime) -> str:
    """What the channel is told: `Voting in X closes at 16:00 (Zone), in 45 minutes.`"""
    return render(
        "deadline/announced.j2",
        group=group,
        **when(deadline_at, zone, now),
        **left(deadline_at, now),
    )


def card_line(deadline_at: datetime, zone: str) -> str:
    """The context line a card shows while its group has a deadline (always with the day)."""
    return render("deadline/card.j2", **when(deadline_at, zone))


def closed_notice(group: str, deadline_at: datetime, zone: str, now: datetime) -> str:
    """What the channel is told when the deadline has closed the group."""
    return render("deadline/closed.j2", group=group, **when(deadline_at, zone, now))


def reminder(
    group: str,
    deadline_at: datetime,
    zone: str,
    now: datetime,
    recommendations: Sequence[OpenRecommendation],
    links: Mapping[str, str],
    *,
    delegation: bool,
) -> str:
    """The direct message listing the recommendations not voted on, each linked to its card."""
    shown = recommendations[:REMINDER_ITEMS_MAX]
    items = [
        {"number": rec.number, "summary": summary(rec), "link": links.get(rec.number)}
        for rec in shown
    ]
    return render(
        "deadline/reminder.j2",
        group=group,
        items=items,
        more=len(recommendations) - len(shown),
        delegation=delegation,
        **when(deadline_at, zone, now),
        **left(deadline_at, now),
    )


def summary(rec: OpenRecommendation) -> str:
    """Its title, or its first words (cut with `…`)."""
    if rec.title and rec.title.strip():
        return " ".join(rec.title.split())
    words = rec.text.split()
    text = " ".join(words[:SUMMARY_WORDS])
    if len(text) > SUMMARY_CHARS:
        text = text[: SUMMARY_CHARS - 1].rstrip()
    return text + ("…" if text != " ".join(words) else "")


def safe_link(url: object) -> str | None:
    """A permalink fit to put in `<url|label>`, or None (anything odd is left out)."""
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return None
    if any(char in url for char in "<>| \n\t"):
        return None
    return url.replace("&", "&amp;")  # as Slack escapes it in message text
