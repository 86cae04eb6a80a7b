"""The board's pages: HTML from templates/web (autoescaped), and its stylesheet and script."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

import templates
from bot.ui.deadline import when
from storage.board import BoardGroup, BoardRecommendation, BoardState
from templates.shared import shared_loader

WEB_DIR = Path(templates.__file__).parent / "web"
ASSETS = {"board.css": "text/css; charset=utf-8", "board.js": "text/javascript; charset=utf-8"}
HEADLINE_WORDS = 12  # a recommendation without a title is shown by its first words
HEADLINE_CHARS = 110  # at most, for scripts written without spaces (Thai, Khmer, Lao)
POLL_MS = 2000  # how often an open board asks whether anything changed


@dataclass(frozen=True)
class View:
    """Which page: the whole workshop (`group` None) or one group, and where arrows lead."""

    group: BoardGroup | None
    previous: str  # URL of the page ArrowLeft opens
    next: str  # URL of the page ArrowRight opens


@cache
def environment() -> Environment:
    """The board's template environment: HTML-escaped values, shared wording available."""
    return Environment(
        loader=ChoiceLoader([shared_loader(), FileSystemLoader(WEB_DIR)]),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def asset(name: str) -> bytes:
    """The stylesheet or script, as served."""
    return (WEB_DIR / name).read_bytes()


@cache
def design_version() -> str:
    """A digest of the templates, stylesheet and script: a new release is a new page."""
    digest = hashlib.sha256()
    for path in sorted(WEB_DIR.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def view_for(state: BoardState, group_key: str | None, base: str) -> View | None:
    """The page for `group_key` (None: the whole workshop); None if no group has that key.

    The arrows go round: the workshop, each group in order, and back to the workshop.
    """
    pages = [base] + [f"{base}/{g.key}" for g in state.groups]
    if group_key is None:
        group, index = None, 0
    else:
        group = state.group(group_key)
        if group is None:
            return None
        index = 1 + state.groups.index(group)
    return View(group, pages[index - 1], pages[(index + 1) % len(pages)])


def render_page(state: BoardState, view: View, *, title: str, base: str, etag: str) -> str:
    """The board page: every group, or one at full size."""
    version = design_version()
    return (
        environment()
        .get_template("board.html.j2")
        .render(
            title=title,
            groups=[view.group] if view.group else state.groups,
            focus=view.group,
            view=view,
            base=base,
            etag=etag,
            poll_ms=POLL_MS,
            css=f"{base}/board.css?v={version}",
            js=f"{base}/board.js?v={version}",
            headline=headline,
            deadline=deadline,
            signature=signature,
        )
    )


def render_not_found() -> str:
    """What any path that shows no board answers (unknown or revoked link alike)."""
    return environment().get_template("not_found.html.j2").render()


def headline(rec: BoardRecommendation) -> str:
    """Its title, or its first words (cut with `…`, never inside a character's marks)."""
    if rec.title and rec.title.strip():
        return " ".join(rec.title.split())
    words = rec.text.split()
    text = " ".join(words[:HEADLINE_WORDS])
    if len(text) > HEADLINE_CHARS:
        cut = HEADLINE_CHARS - 1
        space = text.rfind(" ", 0, cut + 1)
        if space > cut * 0.6:  # at a space if one is near (scripts without them: anywhere)
            cut = space
        # Thai, Lao and Khmer vowels and tone marks combine with the letter before them.
        while cut > 1 and unicodedata.category(text[cut])[0] == "M":
            cut -= 1
        text = text[:cut].rstrip()
    return text + ("…" if text != " ".join(words) else "")


def deadline(group: BoardGroup) -> dict[str, Any] | None:
    """When an open group's voting closes by itself: `time`, `day` and `zone`; else None."""
    if not group.is_open or group.deadline_at is None:
        return None
    return when(group.deadline_at, group.deadline_zone or "UTC")


def signature(rec: BoardRecommendation) -> str:
    """What the page compares to highlight a recommendation whose line changed."""
    counts = rec.counts
    parts = [
        f"{counts.support}/{counts.oppose}/{counts.abstain}",
        str(rec.adopted),
        ",".join(rec.objections),
        ",".join(rec.reservations),
        rec.status,
    ]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:12]
