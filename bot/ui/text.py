"""Block Kit text helpers that respect Slack's size limits."""

from __future__ import annotations

from typing import Any

from bot.ui.render import escape_mrkdwn

SECTION_TEXT_MAX = 3000


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": text}


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    """A plain_text object, cut to its limit."""
    return {"type": "plain_text", "text": text[:limit], "emoji": True}


def section(text: str) -> dict[str, Any]:
    """A section holding already-formatted mrkdwn (at most 3,000 characters)."""
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> dict[str, Any]:
    """A context block with one mrkdwn element."""
    return {"type": "context", "elements": [mrkdwn(text[:SECTION_TEXT_MAX])]}


def chunk_escaped(text: str, limit: int = SECTION_TEXT_MAX) -> list[str]:
    """Escape user text for mrkdwn and split it into pieces of at most `limit` characters.

    Escaping lengthens text (`&` becomes `&amp;`), so a 3,000-character text may need several
    sections. Pieces break at a line end or space where possible, never inside an entity.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        escaped = escape_mrkdwn(char)
        if size + len(escaped) > limit:
            pieces.append(_flush(current, pieces))
            size = sum(len(p) for p in current)
        current.append(escaped)
        size += len(escaped)
    if current or not pieces:
        pieces.append("".join(current))
    return [p for p in pieces if p] or [""]


def _flush(current: list[str], _pieces: list[str]) -> str:
    """Take a piece off the front of `current`, preferring to cut after a newline or space."""
    cut = len(current)
    floor = max(0, len(current) - 400)
    for index in range(len(current) - 1, floor - 1, -1):
        if current[index] in ("\n", " "):
            cut = index + 1
            break
    piece = "".join(current[:cut])
    del current[:cut]
    return piece


def sections_for_user_text(text: str) -> list[dict[str, Any]]:
    """User text as one or more sections, escaped and split to fit."""
    return [section(piece) for piece in chunk_escaped(text)]
