"""Wording shown both in Slack and in the Word document, served to each as ``shared/<file>``."""

from __future__ import annotations

from pathlib import Path

from jinja2 import BaseLoader, FileSystemLoader, PrefixLoader

SHARED_DIR = Path(__file__).parent
PREFIX = "shared"


def shared_loader() -> BaseLoader:
    """A loader serving this folder as ``shared/<file>``, for any template environment."""
    return PrefixLoader({PREFIX: FileSystemLoader(SHARED_DIR)})
