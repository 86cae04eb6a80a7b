"""The App Home tab: the person's role, delegation and groups."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from bot.slack.clients import attempt
from bot.ui.home import home_view
from storage import groups
from storage.countries import country_name
from storage.models import Person


def home_opened(event: dict[str, Any], context: BoltContext, *, client: WebClient) -> None:
    """Publish the person's Home tab when they open it."""
    user_id = event.get("user")
    if not isinstance(user_id, str) or event.get("tab", "home") != "home":
        return
    session = context["session"]
    person = session.get(Person, user_id)
    statuses = groups.status(session)
    mine = {g.key for g in statuses if g.rapporteur_user_id == user_id}
    done = groups.involvement(session, user_id)
    actor = context.get("actor")
    role = "organizer" if actor and actor.is_organizer else ("rapporteur" if mine else "delegate")
    view = home_view(
        name=(person.name if person and person.name else user_id),
        role=role,
        country=country_name(person.country_code) if person and person.country_code else None,
        groups=[_line(g, g.key in mine, done.get(g.key)) for g in statuses],
    )
    context["followups"].on_commit(
        "publish home",
        lambda: attempt(
            "home not published", lambda: client.views_publish(user_id=user_id, view=view)
        ),
    )


def register(app: Any, *, client: WebClient) -> None:
    """Register app_home_opened."""
    app.event("app_home_opened")(partial(home_opened, client=client))


def _line(
    group: groups.GroupStatus, is_rapporteur: bool, done: groups.Involvement | None
) -> dict[str, Any]:
    """A group as the Home tab lists it: the person's own part in it first."""
    return {
        **vars(group),
        "mine": is_rapporteur,
        "submitted": done.submitted if done else 0,
        "voted": done.voted if done else 0,
        "involved": is_rapporteur or done is not None,
    }
