"""WSGI entry point for running under your own server command line.

    gunicorn 'bot.wsgi:application' --workers 4 --worker-class gthread --threads 16

Settings come from the environment / .env; run `rapporteur db upgrade` before starting.
"""

from __future__ import annotations

from bot.logs import configure_from
from bot.settings import load_settings
from bot.slack.server import build_web_app, freeze_heap

_settings = load_settings()
configure_from(_settings)
application = build_web_app(_settings)
freeze_heap()  # imported in each worker (or, with --preload, once before the fork)
