"""Decoding of request bodies as Slack's servers see them (form, JSON, multipart)."""

from __future__ import annotations

import contextlib
import json
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

#: Fields that clients send as JSON-encoded strings inside form bodies.
JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks")


class BodyError(ValueError):
    """The request body could not be decoded."""


def parse_form(body: bytes) -> dict[str, str]:
    """Decode an application/x-www-form-urlencoded body (last value wins)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BodyError("form body is not UTF-8") from exc
    return dict(parse_qsl(text, keep_blank_values=True))


def parse_json_object(body: bytes) -> dict[str, Any]:
    """Decode a JSON object body."""
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BodyError("invalid JSON body") from exc
    if not isinstance(value, dict):
        raise BodyError("JSON body must be an object")
    return value


def multipart_parts(content_type: str, body: bytes) -> list[Message]:
    """Split a multipart/form-data body into its parts."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise BodyError("malformed multipart body")
    return list(message.iter_parts())  # type: ignore[attr-defined]


def part_bytes(part: Message) -> bytes:
    """Return the decoded payload bytes of a multipart part."""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def parse_multipart_fields(content_type: str, body: bytes) -> dict[str, Any]:
    """Decode multipart form fields; file parts become ``{"filename", "size"}`` summaries."""
    fields: dict[str, Any] = {}
    for part in multipart_parts(content_type, body):
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        data = part_bytes(part)
        filename = part.get_filename()
        if filename is not None:
            fields[name] = {"filename": filename, "size": len(data)}
        else:
            fields[name] = data.decode("utf-8", errors="replace")
    return fields


def multipart_file(content_type: str, body: bytes) -> tuple[bytes, str | None]:
    """Return (bytes, filename) of the uploaded file in a multipart body."""
    parts = multipart_parts(content_type, body)
    if not parts:
        raise BodyError("empty multipart body")
    chosen = next((p for p in parts if p.get_filename() is not None), None)
    if chosen is None:
        names = {p.get_param("name", header="content-disposition"): p for p in parts}
        chosen = names.get("file") or parts[0]
    return part_bytes(chosen), chosen.get_filename()


def decode_json_fields(params: dict[str, Any]) -> dict[str, Any]:
    """Parse JSON-encoded string values (blocks, view, attachments, files...) in place."""
    for key in JSON_FIELDS:
        value = params.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            # an undecodable value is left as a string; validation reports it
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params


def read_chunked(rfile: Any) -> bytes:
    """Read a Transfer-Encoding: chunked body from a file-like socket reader."""
    chunks: list[bytes] = []
    while True:
        size_line = rfile.readline(65537)
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                pass
            return b"".join(chunks)
        chunks.append(rfile.read(size))
        rfile.readline(65537)
