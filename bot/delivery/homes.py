"""Publishing people's App Home, coalesced: at most one views.publish per person per interval.

A Home is refreshed when it is opened and when a change concerns the person: their vote, a
group of theirs closing, reopening or getting a deadline or a procedure, their compile done.
Whoever asks (`touch`) pays a dictionary update; the Home is read from the record and
published later on the job pool, after the change's commit, at most once per person per
REFRESH_INTERVAL (a burst of clicks costs one publish per voter). Each publish reads the
record afresh, so the last one shows the latest state. A 429 puts every Home of this process
back until Slack's Retry-After has passed, without holding a thread (bot.slack.ratelimits).

A vote refreshes the voter's Home when it was cast there, or when this process showed them
their Home lately (RECENT): the two hundred clicks that end a session, made on cards by
people not looking at their Home, cost no publish at all; whoever opens the tab later gets
it afresh then (Slack says so: app_home_opened).

Which page of the waiting list a person sees travels with their view (its private_metadata,
sent back with every click and with app_home_opened), and is remembered here for refreshes
that come without it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.coalescer import Coalescer, DeliverLater
from bot.delivery.jobs import Jobs
from bot.slack.clients import failure_reason
from bot.slack.outbound import Outbound
from bot.slack.ratelimits import retry_after
from bot.slack.values import HomePage
from bot.ui.home import home_view
from storage.groups import group_for_channel
from storage.home import home_state
from storage.home_groups import people_of_group
from storage.models import utcnow
from storage.rules import AdoptionRule
from storage.sessions import snapshot

log = logging.getLogger(__name__)

PUBLISH = "views.publish"
REFRESH_INTERVAL = 3.0  # seconds between two publishes of one person's Home
PAGES_REMEMBERED = 4096
RECENT = 600.0  # seconds after a publish during which the person's card votes refresh it


class Homes:
    """Keeps people's Home tabs up to date."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        slack: Outbound,
        jobs: Jobs,
        *,
        organizers: frozenset[str],
        rule: AdoptionRule,
        zone: str,
        interval: float = REFRESH_INTERVAL,
    ) -> None:
        self._session_factory = session_factory
        self._slack = slack
        self._jobs = jobs
        self._organizers = organizers
        self._rule = rule
        self._zone = zone
        self._coalescer: Coalescer[str, int | None] = Coalescer(jobs, interval, "home")
        self._lock = threading.Lock()
        self._pages: OrderedDict[str, tuple[int, float]] = OrderedDict()  # page, shown at
        self._files_base: str | None = None  # https://TEAM.slack.com/files/BOT_USER_ID/

    def touch(self, user_id: str, view: object = None) -> None:
        """Refresh the person's Home soon; `view` is the one they clicked in, if any (its page
        is kept). Cheap: no database read, no Web API call on the caller's thread."""
        page = _page_of(view)
        self._coalescer.add(user_id, page, self._publish)

    def voted(self, user_id: str, view: object = None) -> None:
        """After the person's vote (from `view`, when cast in a view): refresh their Home if
        they voted in it or were shown it lately. Cheap: a dictionary lookup."""
        if isinstance(view, dict) and view.get("type") == "home":
            self.touch(user_id, view)
            return
        with self._lock:
            shown = self._pages.get(user_id)
        if shown is not None and time.monotonic() - shown[1] < RECENT:
            self.touch(user_id)

    def show_page(self, user_id: str, page: int) -> None:
        """Show the person this page of their waiting list."""
        self._coalescer.add(user_id, page, self._publish)

    def touch_group(self, group_key: str) -> None:
        """Refresh the Home of everyone the group concerns, and of the organizers (on the
        job pool: it reads who they are)."""
        self._jobs.submit(lambda: self._touch_people(lambda s: people_of_group(s, group_key)))

    def touch_channel(self, channel_id: str) -> None:
        """`touch_group` for the group linked to this channel, if any."""

        def people(session: Session) -> set[str]:
            group = group_for_channel(session, channel_id)
            return people_of_group(session, group.key) if group else set()

        self._jobs.submit(lambda: self._touch_people(people))

    def _touch_people(self, read: Callable[[Session], Iterable[str]]) -> None:
        with snapshot(self._session_factory) as session:
            people = set(read(session))
        for user_id in sorted(people | self._organizers):
            self.touch(user_id)

    def _publish(self, user_id: str, pages: list[int | None]) -> None:
        wait = self._slack.rate_limits.wait(PUBLISH)
        if wait > 0:
            raise DeliverLater(wait)
        page = self._page(user_id, pages)
        with snapshot(self._session_factory) as session:
            state = home_state(
                session,
                user_id=user_id,
                is_organizer=user_id in self._organizers,
                rule=self._rule,
            )
        links = self._links([doc.file_id for _, doc in state.documents])
        view = home_view(state, page=page, now=utcnow(), zone=self._zone, links=links)
        try:
            self._slack.paced.views_publish(user_id=user_id, view=view)
        except SlackApiError as error:
            after = retry_after(error)
            if after is None:
                log.warning("home not published", extra={"error": failure_reason(error)})
                return
            self._slack.rate_limits.note(PUBLISH, after)
            raise DeliverLater(after) from error
        except OSError as error:
            log.warning("home not published", extra={"error": failure_reason(error)})

    def _page(self, user_id: str, pages: list[int | None]) -> int:
        """The page asked for last, else the one the person saw last, else the first."""
        asked = [page for page in pages if page is not None]
        with self._lock:
            page = asked[-1] if asked else self._pages.get(user_id, (1, 0.0))[0]
            self._pages[user_id] = (page, time.monotonic())
            self._pages.move_to_end(user_id)
            while len(self._pages) > PAGES_REMEMBERED:
                self._pages.popitem(last=False)
        return page

    def _links(self, file_ids: list[str]) -> dict[str, str]:
        """Each document's permalink, as Slack forms it for a file the app uploaded:
        https://TEAM.slack.com/files/BOT_USER_ID/FILE_ID (auth.test, asked once)."""
        if not file_ids:
            return {}
        if self._files_base is None:
            try:
                identity = self._slack.client.auth_test()
            except (SlackApiError, OSError) as error:
                log.warning("no file links", extra={"error": failure_reason(error)})
                return {}
            url, bot_user = identity.get("url"), identity.get("user_id")
            if not isinstance(url, str) or not isinstance(bot_user, str):
                return {}
            self._files_base = f"{url.rstrip('/')}/files/{bot_user}/"
        return {file_id: self._files_base + file_id for file_id in file_ids}


def _page_of(view: object) -> int | None:
    """The page a published Home view shows (its private_metadata), if it is one of ours."""
    if not isinstance(view, dict) or view.get("type") != "home":
        return None
    found = HomePage.parse(view.get("private_metadata"))
    return found.page if found else None
