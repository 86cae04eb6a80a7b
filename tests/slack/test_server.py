"""The production gunicorn set-up (shared with the benchmarks' bare-Bolt ceiling)."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from bot.settings import Settings, SettingsError, load_settings
from bot.slack import server
from bot.slack.server import gunicorn_options


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_each_worker_freezes_its_loaded_heap(unfrozen):
    """Objects alive once the app is loaded are kept out of every later full collection."""
    options = gunicorn_options(load_settings(), host="127.0.0.1", port=3000)
    assert gc.get_freeze_count() == 0
    keep = [object() for _ in range(1000)]  # stands for the loaded app

    options["post_worker_init"](object())

    assert gc.get_freeze_count() >= len(keep)
    assert (options["worker_class"], options["workers"]) == (
        "gthread",
        load_settings().web_concurrency,
    )


class Served(Exception):
    """Raised instead of running gunicorn: serve_http got that far."""


@pytest.fixture
def no_gunicorn(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """serve_http up to the point of starting gunicorn; records what it would serve."""
    seen: dict[str, Any] = {}

    class FakeServer:
        def __init__(self, settings: Settings, options: dict[str, Any], verify: bool) -> None:
            seen.update(settings=settings, verify=verify)

        def run(self) -> None:
            raise Served

    monkeypatch.setattr(server, "GunicornServer", FakeServer)
    monkeypatch.setattr(server, "upgrade", lambda engine: None)
    return seen


def settings_for(tmp_path, **values: Any) -> Settings:
    values.setdefault("slack_bot_token", "xoxb-test")
    values.setdefault("slack_signing_secret", None)
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        **values,
    )


def test_skipped_verification_in_development_needs_no_signing_secret(
    no_gunicorn, tmp_path, sqlite_template
):
    settings = settings_for(tmp_path, environment="development")
    with pytest.raises(Served):
        server.serve_http(settings, host="127.0.0.1", port=1, verify_requests=False)
    assert no_gunicorn["verify"] is False
    shutil.copy(sqlite_template, tmp_path / "db.sqlite")  # what serve_http's upgrade leaves
    web = server.build_web_app(settings, verify_requests=False)  # what each worker loads
    if web.app.background is not None:
        # Its threads would outlive the test, logging into other tests' captured logs.
        web.app.background.stop()
    web.app.jobs.shutdown(wait=True)


def test_production_refuses_skipped_verification(no_gunicorn, tmp_path):
    settings = settings_for(tmp_path, slack_signing_secret="s")
    with pytest.raises(SettingsError, match="--insecure-skip-verification"):
        server.serve_http(settings, host="127.0.0.1", port=1, verify_requests=False)


@pytest.mark.parametrize("environment", ["production", "development"])
def test_verified_requests_need_the_signing_secret(no_gunicorn, tmp_path, environment):
    settings = settings_for(tmp_path, environment=environment)
    with pytest.raises(SettingsError, match="Missing setting: SLACK_SIGNING_SECRET"):
        server.serve_http(settings, host="127.0.0.1", port=1)
