"""`/wg roster`: a group's participant list as one private message, within Slack's limits."""

from __future__ import annotations

from itertools import groupby

from bot.ui.render import render
from storage.countries import country_name
from storage.participants import Listed

# Slack shows a message's text up to 40,000 characters but advises staying under 4,000.
ROSTER_TEXT_MAX = 3900
NOT_JOINED_MAX = 40  # names listed in the "not joined yet" line; the rest are counted


def roster_text(group: str, listed: list[Listed]) -> str:
    """The group's participants by delegation, observers apart, and who has not joined yet.

    Past ROSTER_TEXT_MAX characters the list is cut after a whole line, and ends with
    "… and N more" (N people).
    """
    if not listed:
        return render("roster/empty.j2", group=group)
    states = [p for p in listed if not p.is_observer]
    observers = [p for p in listed if p.is_observer]
    waiting = [p for p in listed if not p.matched]
    lines = [
        render(
            "roster/heading.j2",
            group=group,
            total=len(listed),
            delegations=len({p.delegation for p in states}),
            observers=len(observers),
            waiting=len(waiting),
        )
    ]
    if waiting:
        shown = waiting[:NOT_JOINED_MAX]
        lines.append(
            render(
                "roster/not_joined.j2",
                people=[(_name(p), p.delegation) for p in shown],
                more=len(waiting) - len(shown),
            )
        )
    # (heading or None, person line) in display order; a heading is shown with its first person.
    entries: list[tuple[str | None, str]] = []
    by_country = sorted(states, key=lambda p: (country_name(p.delegation), _order(p)))
    for code, members in groupby(by_country, key=lambda p: p.delegation):
        heading: str | None = render("roster/delegation.j2", name=country_name(code), code=code)
        for person in members:
            entries.append((heading, _line(person)))
            heading = None
    heading = render("roster/observers.j2")
    for person in sorted(observers, key=lambda p: (p.delegation.casefold(), _order(p))):
        entries.append((heading, _line(person)))
        heading = None
    return _cut(lines, entries)


def _cut(lines: list[str], entries: list[tuple[str | None, str]]) -> str:
    size = sum(len(line) + 1 for line in lines)
    for index, (heading, line) in enumerate(entries):
        more = render("roster/more.j2", count=len(entries) - index)
        extra = len(line) + 1 + (len(heading) + 1 if heading else 0)
        # Room is kept for the "… and N more" line unless this is the last person.
        reserve = 0 if index == len(entries) - 1 else len(more) + 1
        if size + extra + reserve > ROSTER_TEXT_MAX:
            lines.append(more)
            break
        if heading:
            lines.append(heading)
        lines.append(line)
        size += extra
    return "\n".join(lines)


def _line(person: Listed) -> str:
    organisation = person.organisation
    if person.is_observer and (organisation or "").casefold() == person.delegation.casefold():
        organisation = None  # an observer's organisation is their delegation: not said twice
    return render(
        "roster/person.j2",
        name=_name(person),
        organisation=organisation,
        observer=person.is_observer,
        delegation=person.delegation,
        role=person.role.value,
        user_id=person.user_id,
    )


def _name(person: Listed) -> str:
    return person.name or person.email or "?"


def _order(person: Listed) -> tuple[int, str]:
    """Rapporteurs first, then by name."""
    return (0 if person.role.value == "rapporteur" else 1, _name(person).casefold())
