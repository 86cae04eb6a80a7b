"""The production gunicorn set-up (shared with the benchmarks' bare-Bolt ceiling)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.server import gunicorn_options
from bot.settings import load_settings


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
