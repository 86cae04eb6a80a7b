"""The app factory: settings and a session factory in, a wired Bolt app out."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.jobs import Jobs
from bot.listeners import register_all
from bot.runtime import errors
from bot.runtime.services import Services
from bot.runtime.unit_of_work import RapporteurApp
from bot.settings import Environment, Settings, SettingsError
from bot.slack.clients import background_client, paced_client, request_client
from bot.slack.parse import ids_fit
from storage.requests import first_delivery

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
    token = settings.slack_bot_token or ""
    services = Services(
        settings=settings,
        session_factory=session_factory,
        jobs=jobs or Jobs(),
        client=background_client(token, settings.slack_api_url),
        quick_client=request_client(token, settings.slack_api_url),
        paced_client=paced_client(token, settings.slack_api_url),
    )
    app = RapporteurApp(
        client=services.quick_client,
        signing_secret=settings.slack_signing_secret or "unused-in-development",
        token_verification_enabled=False,
        request_verification_enabled=verify_requests,
        process_before_response=True,
        logger=logging.getLogger("bolt"),
    )
    app.services = services
    app.use(RefuseOverlongIds())
    app.use(DeduplicateEvents())
    errors.install(app, services)
    register_all(app, services)
    return app


class RefuseOverlongIds(Middleware):  # type: ignore[misc]
    """A user or channel id longer than Slack issues (and storage keeps) is refused: a 400.

    After the signature check (Bolt's own middleware runs first), before any listener.
    """

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        actor = req.context.get("actor")  # the unit of work found the acting user already
        if not ids_fit(req.body, actor.user_id if actor else None):
            return BoltResponse(status=400, body="malformed user or channel id")
        return next()


class DeduplicateEvents(Middleware):  # type: ignore[misc]
    """Process each Events API delivery once, across retries and instances.

    A Middleware class rather than a function: Bolt builds no keyword arguments for it, and
    it runs on every request, votes included.
    """

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body = req.body
        if body.get("type") == "event_callback":
            event_id = body.get("event_id")
            if not isinstance(event_id, str) or not event_id:
                return BoltResponse(status=400, body="missing event_id")
            if not first_delivery(req.context["session"], "event:" + event_id):
                return BoltResponse(status=200, body="")
        return next()
