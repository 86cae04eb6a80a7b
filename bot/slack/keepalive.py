"""A Web API client that keeps its connections open between calls.

slack_sdk's WebClient sends every call through `urllib.request.urlopen`, which opens a new
connection (and, against slack.com, does a new TLS handshake) each time and closes it
after. A vote's confirmation and its card update are two calls among hundreds a minute, so
here each thread keeps one HTTP/1.1 connection per host and reuses it. Everything else (the
retry handlers, errors, rate limits) stays slack_sdk's: only the transport is swapped, and
it answers exactly as urllib would (an HTTPError for a 4xx or 5xx status).
"""

from __future__ import annotations

import http.client
import io
import ssl
import threading
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient

# Errors meaning the server had closed a kept-alive connection before it read our request.
STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class KeepAliveWebClient(WebClient):
    """WebClient with one persistent connection per thread and host (no proxy support)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        parts = urlsplit(url)
        if self.proxy is not None or parts.scheme not in ("http", "https"):
            return super()._perform_urllib_http_request_internal(url, req)  # type: ignore[no-any-return]
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = dict(req.header_items())
        for attempt in (1, 2):
            connection, reused = self._connection(parts.scheme, parts.netloc)
            try:
                try:
                    connection.request(req.get_method(), path, body=req.data, headers=headers)
                except STALE_CONNECTION:
                    raise
                except OSError as error:  # as urllib reports it, so the retry handlers apply
                    raise URLError(error) from error
                response = connection.getresponse()
                body = response.read()
            except STALE_CONNECTION:
                self._drop(parts.scheme, parts.netloc)
                if reused and attempt == 1:
                    continue  # a kept-alive connection the server had closed: once more, afresh
                raise
            except BaseException:
                self._drop(parts.scheme, parts.netloc)
                raise
            break
        if response.will_close:
            self._drop(parts.scheme, parts.netloc)
        if response.status >= 400:
            raise HTTPError(
                url, response.status, response.reason, response.headers, io.BytesIO(body)
            )
        if response.headers.get_content_type() == "application/gzip":
            return {"status": response.status, "headers": response.headers, "body": body}
        charset = response.headers.get_content_charset() or "utf-8"
        return {
            "status": response.status,
            "headers": response.headers,
            "body": body.decode(charset),
        }

    def _connection(self, scheme: str, netloc: str) -> tuple[http.client.HTTPConnection, bool]:
        """This thread's connection to the host, and whether it was used before."""
        pool: dict[tuple[str, str], http.client.HTTPConnection] = self._pool()
        connection = pool.get((scheme, netloc))
        if connection is not None:
            return connection, True
        if scheme == "https":
            context = self.ssl if isinstance(self.ssl, ssl.SSLContext) else None
            connection = http.client.HTTPSConnection(netloc, timeout=self.timeout, context=context)
        else:
            connection = http.client.HTTPConnection(netloc, timeout=self.timeout)
        pool[(scheme, netloc)] = connection
        return connection, False

    def _drop(self, scheme: str, netloc: str) -> None:
        connection = self._pool().pop((scheme, netloc), None)
        if connection is not None:
            connection.close()

    def _pool(self) -> dict[tuple[str, str], http.client.HTTPConnection]:
        pool = getattr(self._local, "pool", None)
        if pool is None:
            pool = self._local.pool = {}
        return pool
