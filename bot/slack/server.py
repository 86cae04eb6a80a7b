"""Running the app: a production WSGI server (gunicorn, threaded workers) or Socket Mode."""

from __future__ import annotations

import gc
import logging
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger

from bot.app import create_app
from bot.settings import Environment, Settings, SettingsError
from bot.slack.web import WebApp
from storage.engines import make_engine
from storage.schema import upgrade
from storage.sessions import make_session_factory

log = logging.getLogger(__name__)

BACKLOG = 2048  # bursts of clicks queue here instead of being refused


def build_web_app(settings: Settings, *, verify_requests: bool = True) -> WebApp:
    """A WSGI app with its own engine (call after fork)."""
    engine = make_engine(settings.database_url, pool_size=settings.web_threads)
    app = create_app(settings, make_session_factory(engine), verify_requests=verify_requests)
    if app.background is not None:
        app.background.start()  # after the fork: threads do not survive one
    return WebApp(app)


class GunicornServer(BaseApplication):  # type: ignore[misc]
    """Gunicorn, configured in code: N workers × M threads, a deep listen backlog."""

    def __init__(self, settings: Settings, options: dict[str, Any], verify_requests: bool) -> None:
        self.settings = settings
        self.options = options
        self.verify_requests = verify_requests
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WebApp:
        return build_web_app(self.settings, verify_requests=self.verify_requests)


class StructuredGunicornLogger(GunicornLogger):  # type: ignore[misc]
    """Gunicorn's own log lines in the app's format (JSON in production), secrets masked."""

    formatter: logging.Formatter | None = None

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if self.formatter is not None:
            for handler in self.error_log.handlers + self.access_log.handlers:
                handler.setFormatter(self.formatter)


def freeze_heap(_worker: Any = None) -> None:
    """Keep the loaded app out of the garbage collector's way.

    A worker holds a few hundred thousand objects once the app is loaded (SQLAlchemy, Bolt,
    slack_sdk, Jinja); they live as long as the worker. A full collection walked them all,
    stopping every thread for a noticeable pause, and under a burst of votes that ran every few
    seconds: it was the slowest percent of the acks. Frozen, they are never scanned again,
    and a full collection only walks what requests left behind. Called by gunicorn once a
    worker has loaded the app (`post_worker_init`, given the worker), by `bot.wsgi` for
    other gunicorn command lines, and by Socket Mode.
    """
    gc.collect()
    gc.freeze()


def _worker_exit(_server: Any, worker: Any) -> None:
    """Graceful shutdown: let queued card updates and uploads finish."""
    app = getattr(worker, "wsgi", None)
    if isinstance(app, WebApp):
        app.app.jobs.shutdown(wait=True)
        if app.app.background is not None:
            app.app.background.stop()


def serve_http(settings: Settings, *, host: str, port: int, verify_requests: bool = True) -> None:
    """Create or upgrade the schema, then serve /slack/events and /healthz.

    The signing secret is required unless verification is skipped, which only
    ENVIRONMENT=development allows; raises SettingsError naming what is missing.
    """
    if not verify_requests and settings.environment is not Environment.DEVELOPMENT:
        raise SettingsError(
            "--insecure-skip-verification is for development only (set ENVIRONMENT=development)"
        )
    settings.require("slack_bot_token", *(("slack_signing_secret",) if verify_requests else ()))
    upgrade(make_engine(settings.database_url, pool_size=1))
    options = gunicorn_options(settings, host=host, port=port)
    GunicornServer(settings, options, verify_requests).run()


def gunicorn_options(settings: Settings, *, host: str, port: int) -> dict[str, Any]:
    """The production gunicorn set-up (also what bench/ serves its bare Bolt ceiling with)."""
    StructuredGunicornLogger.formatter = (
        logging.getLogger().handlers[0].formatter if logging.getLogger().handlers else None
    )
    return {
        "logger_class": StructuredGunicornLogger,
        "bind": f"{host}:{port}",
        "workers": settings.web_concurrency,
        "worker_class": "gthread",
        "threads": settings.web_threads,
        "backlog": BACKLOG,
        "timeout": 60,
        "graceful_timeout": 30,
        "keepalive": 5,
        "post_worker_init": freeze_heap,
        "worker_exit": _worker_exit,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": settings.log_level.lower(),
        "proc_name": "rapporteur",
    }
