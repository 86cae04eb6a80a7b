"""The app factory: settings and a session factory in, a wired Bolt app out."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import sweep
from bot.delivery.background import Background, new_instance_id
from bot.delivery.card_post import CardPosts
from bot.delivery.cards import CardUpdates
from bot.delivery.compile import Compiles
from bot.delivery.confirmations import Confirmations
from bot.delivery.deadlines import DeadlineJobs, DeadlineRules, tell_channel
from bot.delivery.homes import Homes
from bot.delivery.jobs import Jobs
from bot.delivery.names import FirstUse, refresh_name
from bot.delivery.notices import Notices
from bot.delivery.report_options import report_options
from bot.delivery.text_changes import TextChanges
from bot.delivery.threads import ReservationPosts, ThreadPosts
from bot.listeners import amendments as amendment_listener
from bot.listeners import card_menu, discussion, home, recommend, reservations, shortcut, votes, wg
from bot.listeners import edit as edit_listener
from bot.listeners import merge as merge_listener
from bot.listeners import objections as objection_listener
from bot.listeners import withdraw as withdraw_listener
from bot.runtime import errors
from bot.runtime.ballot_box import BallotBox
from bot.runtime.channel_hints import ChannelGroups
from bot.runtime.first_use import MatchOnFirstUse
from bot.runtime.middleware import DeduplicateEvents, RefuseOverlongIds
from bot.runtime.unit_of_work import RapporteurApp
from bot.settings import Environment, Settings, SettingsError
from bot.slack.ids import MenuAction
from bot.slack.outbound import Outbound
from bot.web.board import BoardPages
from storage.rules import set_default_procedure
from storage.visibility import set_defaults as set_visibility_defaults

log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    session_factory: sessionmaker[Session],
    *,
    jobs: Jobs | None = None,
    verify_requests: bool = True,
    socket_mode: bool = False,
) -> RapporteurApp:
    """Build the Bolt app with every listener registered.

    Over HTTP, request signatures are verified unless `verify_requests` is False, which only
    a development environment allows (raises SettingsError otherwise). Socket Mode has no
    signatures: Slack authenticates the WebSocket with the app token instead.
    """
    settings.require("slack_bot_token")
    if socket_mode:
        verify_requests = False
    elif verify_requests:
        settings.require("slack_signing_secret")
    elif settings.environment is not Environment.DEVELOPMENT:
        raise SettingsError(
            "Request verification can only be turned off with ENVIRONMENT=development"
        )
    jobs = jobs or Jobs()
    # A group that chose no procedure (/wg procedure) decides by DECISION_PROCEDURE: every
    # session of the app carries it (storage.rules.procedure_of).
    set_default_procedure(session_factory, settings.decision_procedure)
    # So does what its tallies show (TALLIES, BALLOTS: storage.visibility).
    set_visibility_defaults(session_factory, tallies=settings.tallies, ballots=settings.ballots)
    instance_id = new_instance_id()
    slack = Outbound.connect(settings.slack_bot_token or "", settings.slack_api_url)
    notices = Notices(slack)
    app = RapporteurApp(
        session_factory=session_factory,
        jobs=jobs,
        notices=notices,
        organizers=frozenset(settings.organizer_user_ids),
        client=slack.quick,
        signing_secret=settings.slack_signing_secret or "unused-in-development",
        token_verification_enabled=False,
        request_verification_enabled=verify_requests,
        process_before_response=True,
        logger=logging.getLogger("bolt"),
    )
    app.use(RefuseOverlongIds())
    app.use(DeduplicateEvents())
    # Each person is matched to the participant list after their first request.
    app.use(MatchOnFirstUse(FirstUse(slack.client, session_factory)))
    errors.install(app, notices)

    # Each feature gets what it uses, and nothing else.
    cards = CardUpdates(
        session_factory, jobs, slack.client, settings.card_update_interval, owner=instance_id
    )
    posts = CardPosts(session_factory, slack.client, slack.once, notices, cards, owner=instance_id)
    hints = ChannelGroups()
    compiles = Compiles(
        session_factory, slack.client, notices, report_options(settings), instance_id
    )
    # App Home: published after the changes that concern a person, coalesced per person.
    homes = Homes(
        session_factory,
        slack,
        jobs,
        organizers=frozenset(settings.organizer_user_ids),
        rule=settings.adoption_rule,
        zone=settings.workshop_timezone,
    )
    # Bolt tries listeners in order, so the vote buttons, the busiest by far, come first.
    votes.register(
        app,
        ballots=BallotBox(session_factory),
        confirmations=Confirmations(jobs, notices, settings.vote_confirmation_interval),
        cards=cards,
        notices=notices,
        homes=homes,
    )
    # Texts that evolve (edit, withdraw, amend, merge): voters told, amendments in threads.
    text_changes = TextChanges(session_factory, slack.client, ThreadPosts(slack.client), notices)
    deadline_rules = DeadlineRules(
        zone=settings.workshop_timezone,
        remind_before=timedelta(minutes=settings.reminder_minutes_before),
        default_procedure=settings.decision_procedure.value,
    )
    wg.register(
        app,
        hints=hints,
        cards=cards,
        names=partial(refresh_name, slack.client, session_factory),
        compiles=compiles,
        deadline_rules=deadline_rules,
        tell_channel=partial(tell_channel, slack.client),
        public_url=settings.public_url,
        homes=homes,
        changes=text_changes,
        notices=notices,
    )
    recommend.register(
        app,
        hints=hints,
        slack=slack,
        posts=posts,
        notices=notices,
    )
    home.register(app, homes=homes, cards=cards, compiles=compiles, notices=notices)
    objection_listener.register(app, slack=slack, cards=cards, notices=notices)
    shortcut.register(app, hints=hints, slack=slack, notices=notices)
    discussion.register(app, cards=cards)
    # The card's menu `⋯`: each option's handler (bot/ui/card_menu.py lists the options).
    reservation_posts = ReservationPosts(session_factory, ThreadPosts(slack.client), notices)
    card_menu.register(
        app,
        handlers={
            MenuAction.RESERVATION: partial(reservations.open_form, slack=slack, notices=notices),
            MenuAction.EDIT: partial(edit_listener.open_edit, slack=slack, notices=notices),
            MenuAction.WITHDRAW: partial(
                withdraw_listener.open_withdraw, slack=slack, notices=notices
            ),
            MenuAction.AMEND: partial(amendment_listener.open_amend, slack=slack, notices=notices),
            MenuAction.MERGE: partial(merge_listener.open_merge, slack=slack, notices=notices),
        },
    )
    reservations.register(app, posts=reservation_posts, cards=cards)
    edit_listener.register(app, changes=text_changes, cards=cards, notices=notices)
    withdraw_listener.register(app, changes=text_changes, cards=cards)
    amendment_listener.register(
        app, slack=slack, changes=text_changes, cards=cards, notices=notices
    )
    merge_listener.register(app, changes=text_changes, cards=cards, notices=notices)
    # Work left undone by a crash or a refusal is found and done again (started by the
    # server that runs the app: bot.slack.server, bot.slack.socket_mode); so is work due at
    # a time: a group's deadline, its reminders.
    deadline_jobs = DeadlineJobs(
        session_factory, slack.client, cards, deadline_rules, closed=homes.touch_group
    )
    # The plenary board: read-only pages under /board/ (bot.slack.web hands them over).
    app.board = BoardPages(
        session_factory, title=settings.workshop_title, rule=settings.adoption_rule
    )
    app.background = Background(
        session_factory,
        instance_id,
        {
            sweep.KIND: sweep.Sweep(
                session_factory, posts, cards, compiles, reservation_posts, text_changes
            ),
            **deadline_jobs.handlers(),
        },
    )
    return app
