"""The Slack app manifest, with the request URLs filled in."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

import templates

SLACK_TEMPLATES = Path(templates.__file__).parent / "slack"


def render_manifest(url: str, *, socket: bool = False) -> str:
    """manifest.yml for an app served at `url` (e.g. https://rapporteur.example.org)."""
    env = Environment(
        loader=FileSystemLoader(SLACK_TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("manifest.yml.j2").render(url=url.rstrip("/"), socket=socket)
