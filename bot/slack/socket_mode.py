"""Socket Mode: the app opens the connection to Slack, for networks that allow no inbound one.

`rapporteur serve --socket` connects (retrying a failing start a few times, and naming
SLACK_APP_TOKEN if Slack refuses it), then serves until SIGTERM or SIGINT. On the way out it
stops taking envelopes, lets those in hand finish, and drains the background work (card
updates, confirmations) as the HTTP workers do: a restart loses nothing.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType

from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError

from bot.app import create_app
from bot.settings import Settings, SettingsError
from bot.slack.clients import failure_reason
from bot.slack.server import freeze_heap
from storage.engines import make_engine
from storage.schema import upgrade
from storage.sessions import make_session_factory

log = logging.getLogger(__name__)

# Seconds between pings of the connection. slack_sdk gives a connection up after five
# failed pings (when it does not see it close first), so a dropped one is replaced within
# about 5 s instead of the 50 s its default of 10 s would allow.
PING_INTERVAL = 1.0
CONNECT_ATTEMPTS = 5
# Slack's answers to apps.connections.open that no retry will change.
TOKEN_REFUSED = frozenset(
    {"invalid_auth", "not_authed", "not_allowed_token_type", "token_revoked", "account_inactive"}
)


def serve_socket(settings: Settings) -> None:
    """Connect to Slack over Socket Mode and serve until told to stop."""
    settings.require("slack_bot_token", "slack_app_token")
    engine = make_engine(settings.database_url, pool_size=settings.web_threads)
    upgrade(engine)
    app = create_app(settings, make_session_factory(engine), socket_mode=True)
    handler = SocketModeHandler(app, settings.slack_app_token, ping_interval=PING_INTERVAL)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    freeze_heap()
    if app.background is not None:
        app.background.start()
    try:
        connect(handler)
        log.info("connected over Socket Mode")
        stop.wait()
        log.info("stopping: finishing the envelopes and background work in hand")
    finally:
        handler.close()  # no new envelopes; the ones being handled finish first
        app.jobs.shutdown(wait=True)
        if app.background is not None:
            app.background.stop()


def connect(handler: SocketModeHandler, attempts: int = CONNECT_ATTEMPTS) -> None:
    """Open the connection; raises SettingsError if the token is refused or Slack stays away."""
    for attempt in range(1, attempts + 1):
        try:
            handler.connect()
            return
        except SlackApiError as error:
            reason = failure_reason(error)
            if reason in TOKEN_REFUSED:
                raise SettingsError(
                    f"SLACK_APP_TOKEN was refused by Slack ({reason}): use the app-level token "
                    "(xapp-…) with the connections:write scope, from Basic Information"
                ) from None
        except OSError as error:
            reason = failure_reason(error)
        if attempt == attempts:
            raise SettingsError(
                f"Could not open a Socket Mode connection ({reason}) after {attempts} attempts; "
                "check SLACK_API_URL and the network"
            )
        log.warning("Socket Mode connection failed, retrying", extra={"error": reason})
        time.sleep(min(2.0**attempt, 10.0))
