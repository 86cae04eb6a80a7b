"""Fixtures for the report tests: default options and a compile-and-read-back helper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from bot.report import ReportOptions, build_outcome_document
from storage.records import WorkshopRecord
from tests.factories import records as f

from .readback import Report

TITLE = "Regional Workshop on Cross-Border Cooperation"
SAMPLES = f.SAMPLES


@pytest.fixture
def options() -> ReportOptions:
    """Options of a typical workshop, default rule and template."""
    return f.options(TITLE)


@pytest.fixture
def compile_report(options: ReportOptions) -> Callable[..., Report]:
    """Compile a record (with option overrides) and read the .docx back."""

    def compile_(record: WorkshopRecord, **overrides: Any) -> Report:
        return Report(build_outcome_document(record, replace(options, **overrides)))

    return compile_


@pytest.fixture
def multiscript_record() -> WorkshopRecord:
    """Four groups whose texts, titles and names use every script of the workshop."""
    return f.multiscript_workshop()
