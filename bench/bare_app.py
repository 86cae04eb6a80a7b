"""The ceiling: a bare Bolt app that verifies a vote click and acks it, doing nothing else.

Served exactly like `rapporteur serve` (the same gunicorn options, WEB_CONCURRENCY and
WEB_THREADS from the same settings), so the only difference the vote benchmark sees is what
Rapporteur does per click. Run: ``python -m bench.bare_app --port 3001``.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from gunicorn.app.base import BaseApplication
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.listeners.votes import VOTE_ACTION_IDS
from bot.logs import configure
from bot.settings import Settings, load_settings
from bot.slack.clients import request_client
from bot.slack.server import gunicorn_options


def create_bare_app(settings: Settings) -> App:
    """A Bolt app with request verification on and one listener: ack the vote buttons."""
    token = settings.slack_bot_token or ""
    app = App(
        client=request_client(token, settings.slack_api_url),
        signing_secret=settings.slack_signing_secret,
        token_verification_enabled=False,
        request_verification_enabled=True,
        process_before_response=True,
        logger=logging.getLogger("bolt"),
    )

    @app.action(VOTE_ACTION_IDS)
    def vote(ack: Ack) -> None:
        ack()

    return app


class _Health:
    """/healthz like the real app, everything else to Bolt's own WSGI adapter."""

    def __init__(self, app: App) -> None:
        self.handler = SlackRequestHandler(app)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
            return [b"ok"]
        return self.handler(environ, start_response)


class BareServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn with Rapporteur's production options, serving the bare app."""

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> _Health:
        return _Health(create_bare_app(self.settings))


def main(argv: list[str] | None = None) -> None:
    """Serve the bare app until SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3001)
    args = parser.parse_args(argv)
    settings = load_settings()
    settings.require("slack_bot_token", "slack_signing_secret")
    configure(settings.log_format, settings.log_level)
    options = gunicorn_options(settings, host=args.host, port=args.port)
    options["proc_name"] = "bare-bolt"
    BareServer(settings, options).run()


if __name__ == "__main__":
    main()
