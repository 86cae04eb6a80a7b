"""The plenary board over HTTP: /board/<token>, /board/<token>/<group-key>, read-only.

Every path under /board/ needs a link's token that `/wg board` issued and `/wg board
revoke` has not revoked (storage.board_links); anything else answers the same 404, so a
guess learns nothing. An open page asks again every two seconds with `If-None-Match`: the
answer is 304 from three small queries while nothing changed (storage.board.board_version),
and the page when something did: rendered at most about twice a second per page and
process, however many boards are open (BoardPages._reusable). A request holds a server
thread for milliseconds, never a connection's lifetime, so open boards cannot take the
threads that clicks need.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.web import pages
from storage import board_links
from storage.board import board_state, board_version
from storage.rules import AdoptionRule
from storage.sessions import snapshot

log = logging.getLogger(__name__)

BOARD_PREFIX = "/board/"
PAGES_KEPT = 64  # the last rendering of each page, per process (a page: a link's view)
FRESH_ENOUGH = 0.5  # seconds: how old a page a board that is behind may be given

StartResponse = Callable[..., Any]

# Headers of every board answer: the token in the URL must not leak through a referrer, the
# page runs only its own script and style, and it is never framed or indexed.
SECURITY_HEADERS = [
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Robots-Tag", "noindex, nofollow"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
]


@dataclass(frozen=True)
class Rendered:
    """A page as rendered: its ETag, its bytes, and when the record was read for it."""

    etag: str
    body: bytes
    at: float  # time.monotonic()


class BoardPages:
    """The WSGI application behind /board/ (bot.slack.web hands it those paths)."""

    def __init__(
        self, session_factory: sessionmaker[Session], *, title: str, rule: AdoptionRule
    ) -> None:
        self.session_factory = session_factory
        self.title = title
        self.rule = rule
        self._latest: OrderedDict[str, Rendered] = OrderedDict()  # by page (its URL)
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            return self._answer(environ, start_response)
        except Exception:
            # Said here rather than by the server, whose report would quote the path: the
            # link's token must not reach the logs.
            log.exception("the board could not be shown")
            body = b"The board could not be shown; it is tried again in a moment."
            start_response(
                "500 Internal Server Error",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
                sys.exc_info(),
            )
            return [body]

    def _answer(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        parts = environ.get("PATH_INFO", "")[len(BOARD_PREFIX) :].split("/")
        token, rest = parts[0], parts[1:]
        if method not in ("GET", "HEAD") or len(rest) > 1 or (rest and not rest[0]):
            return _not_found(start_response, method)
        name = rest[0] if rest else None
        base = environ.get("SCRIPT_NAME", "") + BOARD_PREFIX + token
        page = f"{base}/{name or ''}"
        known = environ.get("HTTP_IF_NONE_MATCH", "")
        with snapshot(self.session_factory) as session:
            if not board_links.is_valid(session, token):
                return _not_found(start_response, method)
            if name in pages.ASSETS:
                return _asset(start_response, method, name)
            etag = self._etag(board_version(session), page)
            if _matches(known, etag):
                start_response("304 Not Modified", [("ETag", etag), *_page_headers()])
                return []
            shown = self._reusable(page, etag, known)
            if shown is None:
                read_at = time.monotonic()
                state = board_state(session, rule=self.rule)
                view = pages.view_for(state, name, base)
                if view is None:
                    return _not_found(start_response, method)
                html = pages.render_page(state, view, title=self.title, base=base, etag=etag)
                shown = self._keep(page, Rendered(etag, html.encode("utf-8"), read_at))
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(shown.body))),
            ("ETag", shown.etag),
            *_page_headers(),
        ]
        start_response("200 OK", headers)
        return [] if method == "HEAD" else [shown.body]

    def _etag(self, version: str, page: str) -> str:
        """One page's version: the record's, the page's (its links name its token) and the
        design's, quoted."""
        parts = f"{version}|{page}|{pages.design_version()}|{self.title}"
        return '"' + hashlib.sha256(parts.encode("utf-8")).hexdigest()[:32] + '"'

    def _reusable(self, page: str, etag: str, known: str) -> Rendered | None:
        """The page rendered last, if it may be shown instead of rendering it again.

        Always when it is the current version. While votes stream in, the version changes
        with every click and each poll would render the whole page: a board that polls
        with an older page than the last one rendered gets that one instead, if its record
        was read within FRESH_ENOUGH. Each page is then rendered about twice a second per
        process whatever the number of boards, and a board shows a change within one poll
        interval plus FRESH_ENOUGH. A page loaded afresh (no If-None-Match), or a board
        that already has the last page rendered, always gets the current version.
        """
        with self._lock:
            latest = self._latest.get(page)
            if latest is None:
                return None
            self._latest.move_to_end(page)
        if latest.etag == etag:
            return latest
        recent = time.monotonic() - latest.at < FRESH_ENOUGH
        return latest if known and recent and not _matches(known, latest.etag) else None

    def _keep(self, page: str, shown: Rendered) -> Rendered:
        with self._lock:
            held = self._latest.get(page)
            if held is None or held.at <= shown.at:
                self._latest[page] = shown
                self._latest.move_to_end(page)
            while len(self._latest) > PAGES_KEPT:
                self._latest.popitem(last=False)
        return shown


def _matches(header: str, etag: str) -> bool:
    """Whether If-None-Match names this ETag (a proxy may have made it weak: W/"…")."""
    wanted = etag.strip('"')
    for item in header.split(","):
        item = item.strip()
        if item.removeprefix("W/").strip('"') == wanted:
            return True
    return False


def _page_headers() -> list[tuple[str, str]]:
    # no-cache: the browser may keep the page, and must ask each time whether it changed.
    return [("Cache-Control", "no-cache"), *SECURITY_HEADERS]


def _asset(start_response: StartResponse, method: str, name: str) -> list[bytes]:
    body = pages.asset(name)
    start_response(
        "200 OK",
        [
            ("Content-Type", pages.ASSETS[name]),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "private, max-age=86400"),  # its URL names its version
            *SECURITY_HEADERS,
        ],
    )
    return [] if method == "HEAD" else [body]


def _not_found(start_response: StartResponse, method: str) -> list[bytes]:
    body = pages.render_not_found().encode("utf-8")
    start_response(
        "404 Not Found",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *SECURITY_HEADERS,
        ],
    )
    return [] if method == "HEAD" else [body]
