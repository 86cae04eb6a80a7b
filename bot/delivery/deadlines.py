"""At a deadline and before it: the automatic close, the channel's notice, the reminders.

Three scheduler handlers (bot.delivery.scheduler), one per kind of job storage.deadlines
schedules. Each job names its group (the key) and its deadline (the payload): a job whose
deadline is no longer the group's (moved, cleared, already served) does nothing. The close
commits the closed group together with its channel notice, a job of its own that is retried
until Slack takes it. Reminders are claimed person by person before each message
(storage.reminders), so nobody is reminded twice of one deadline, whichever instance runs
the job and however often; a message Slack refused is tried again with the job's retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.cards import CardUpdates
from bot.delivery.scheduler import Handler
from bot.slack.clients import attempt
from bot.ui import deadline as wording
from storage import deadlines, reminders
from storage.cards import group_card_ids
from storage.models import Procedure, as_utc, utcnow
from storage.reminders import OpenRecommendation
from storage.schedule import ScheduledJob
from storage.sessions import transaction

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class SlackRefused(Exception):
    """Slack did not take a message a job must deliver: the scheduler retries the job."""


@dataclass(frozen=True)
class DeadlineRules:
    """What the workshop's settings say about deadlines (and the clock they are read by)."""

    zone: str  # WORKSHOP_TIMEZONE
    remind_before: timedelta  # REMINDER_MINUTES_BEFORE; zero: no reminders
    default_procedure: str = Procedure.VOTE.value  # DECISION_PROCEDURE
    clock: Clock = field(default=utcnow)


def tell_channel(client: WebClient, channel_id: str, text: str) -> bool:
    """Post `text` in a group's channel; False (logged) if Slack refused it."""
    sent = attempt(
        "channel message failed",
        lambda: client.chat_postMessage(channel=channel_id, text=text),
        channel=channel_id,
    )
    return sent.ok


@dataclass(frozen=True)
class DeadlineJobs:
    """The handlers of the deadline jobs: close, tell the channel, remind."""

    session_factory: sessionmaker[Session]
    client: WebClient
    cards: CardUpdates
    rules: DeadlineRules
    closed: Callable[[str], None] | None = None  # the group's key, once its deadline closed it

    def handlers(self) -> dict[str, Handler]:
        """The scheduler's handlers, by kind of job."""
        return {
            deadlines.CLOSE_KIND: self.close,
            deadlines.NOTICE_KIND: self.notice,
            deadlines.REMIND_KIND: self.remind,
        }

    def close(self, job: ScheduledJob) -> None:
        """Close the group at its deadline, as `/wg close` would; re-render its cards."""
        card_ids: list[int] = []
        changed = False
        with transaction(self.session_factory) as session:
            closed = deadlines.close_at_deadline(
                session,
                group_key=job.key,
                deadline_at=_deadline(job),
                set_by=job.payload.get("set_by"),
            )
            changed = closed is not None and closed.changed
            if changed:
                card_ids = group_card_ids(session, job.key)
        for recommendation_id in card_ids:
            self.cards.refresh(recommendation_id)
        if changed and self.closed is not None:
            self.closed(job.key)  # e.g. the Homes of the group's people

    def notice(self, job: ScheduledJob) -> None:
        """Tell the group's channel that its deadline closed it; raises SlackRefused."""
        with transaction(self.session_factory) as session:
            group = deadlines.group_deadline(session, job.key)
        if group is None or group.channel_id is None:
            return
        zone = job.payload.get("zone") or self.rules.zone
        text = wording.closed_notice(group.name, _deadline(job), zone, self.rules.clock())
        if not tell_channel(self.client, group.channel_id, text):
            raise SlackRefused(f"the deadline notice in {group.channel_id}")

    def remind(self, job: ScheduledJob) -> None:
        """Remind each person who has not voted on every open recommendation, once.

        Nothing is sent once the deadline has passed (a reminder that fell due while no
        instance ran), or if the deadline was moved or cleared, or the group closed.
        Raises SlackRefused if some messages were refused (those people are tried again).
        """
        deadline_at, now = _deadline(job), self.rules.clock()
        if as_utc(now) >= deadline_at:
            return
        with transaction(self.session_factory) as session:
            group = deadlines.group_deadline(session, job.key)
            if group is None or not group.is_open or group.deadline_at != deadline_at:
                return
            procedure = group.procedure or self.rules.default_procedure
            due = reminders.due(
                session,
                group_key=job.key,
                deadline_at=deadline_at,
                default_procedure=procedure,
            )
        zone = group.zone or self.rules.zone
        links = _Permalinks(self.client)
        refused = 0
        for person in due:
            with transaction(self.session_factory) as session:
                if not reminders.claim(
                    session, group_key=job.key, deadline_at=deadline_at, user_id=person.user_id
                ):
                    continue  # another run reminded them
            text = wording.reminder(
                group.name,
                deadline_at,
                zone,
                now,
                person.recommendations,
                links.of(person.recommendations[: wording.REMINDER_ITEMS_MAX]),
                delegation=procedure == Procedure.DELEGATION,
            )
            if not self._direct(person.user_id, text):
                refused += 1
                with transaction(self.session_factory) as session:
                    reminders.release(
                        session, group_key=job.key, deadline_at=deadline_at, user_id=person.user_id
                    )
        if refused:
            raise SlackRefused(f"{refused} of {len(due)} reminders in {job.key}")

    def _direct(self, user_id: str, text: str) -> bool:
        sent = attempt(
            "reminder failed",
            lambda: self.client.chat_postMessage(channel=user_id, text=text),
            user=user_id,
        )
        return sent.ok


class _Permalinks:
    """Links to cards from chat.getPermalink, each asked for once per run."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self.known: dict[str, str | None] = {}

    def of(self, recs: Iterable[OpenRecommendation]) -> dict[str, str]:
        """The links of those recommendations whose card Slack could link to."""
        found = {}
        for rec in recs:
            if rec.number not in self.known:
                self.known[rec.number] = self._ask(rec)
            link = self.known[rec.number]
            if link:
                found[rec.number] = link
        return found

    def _ask(self, rec: OpenRecommendation) -> str | None:
        if not rec.channel_id or not rec.message_ts:
            return None
        channel, ts = rec.channel_id, rec.message_ts
        answer = attempt(
            "permalink failed",
            lambda: self.client.chat_getPermalink(channel=channel, message_ts=ts),
            channel=channel,
        )
        return wording.safe_link(answer.value.get("permalink")) if answer.value else None


def _deadline(job: ScheduledJob) -> datetime:
    return as_utc(datetime.fromisoformat(job.payload["deadline_at"]))
