"""Parsing Slack payloads into plain values (defensive: payloads may be hostile)."""

from __future__ import annotations

import re
from typing import Any

ID_MAX = 32  # Slack's user and channel ids are short; storage keeps 32 characters

USER_MENTION = re.compile(r"^<@([UW][A-Z0-9]{1,30})(?:\|([^>]*))?>$")
# <!channel>, <!here>, <!everyone>, <!subteam^S1|@team>, <!date^…|fallback>: Slack's specials.
SPECIAL = re.compile(r"<!([^>|^]*)(?:\^[^>|]*)?(?:\|([^>]*))?>")
USER_REF = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
CHANNEL_REF = re.compile(r"<#(C[A-Z0-9]+)(?:\|([^>]*))?>")
LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


def text_of(value: Any) -> str:
    """A string field, or '' for anything else."""
    return value if isinstance(value, str) else ""


def user_of(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The acting user's id and name from any payload shape."""
    if isinstance(body.get("user_id"), str):
        return body["user_id"], text_of(body.get("user_name")) or None
    user = body.get("user")
    if isinstance(user, dict) and isinstance(user.get("id"), str):
        name = user.get("name") or user.get("username")
        return user["id"], name if isinstance(name, str) else None
    event = body.get("event")
    if isinstance(event, dict) and isinstance(event.get("user"), str):
        return event["user"], None
    return None, None


def ids_fit(body: dict[str, Any], user_id: str | None) -> bool:
    """Whether the acting user's and the channel's ids fit what Slack issues (and we store)."""
    channel = body.get("channel_id")
    if not isinstance(channel, str):
        container = body.get("channel")
        channel = container.get("id") if isinstance(container, dict) else None
    return all(len(value) <= ID_MAX for value in (user_id, channel) if isinstance(value, str))


def parse_mention(text: str) -> tuple[str, str | None] | None:
    """`<@U123>` or `<@U123|name>` → (user id, name); None if it is not one mention."""
    match = USER_MENTION.match(text.strip())
    if not match:
        return None
    return match.group(1), (match.group(2) or None)


def decode_slack_text(text: str) -> str:
    """Turn Slack's encoding of typed text back into what the person typed.

    `<!channel>` → `@channel`, `<@U1|ana>` → `@ana`, `<#C1|general>` → `#general`,
    `<https://x|label>` → `https://x`, then `&lt; &gt; &amp;` → `< > &`. Mentions the person
    typed out literally (`&lt;!channel&gt;`) come back readable too, never as Slack syntax,
    so the text can be shown anywhere without pinging anyone.
    """
    text = _readable_mentions(text)
    text = LINK.sub(lambda m: m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return _readable_mentions(text)


def _readable_mentions(text: str) -> str:
    # Until nothing changes: a label can hold the makings of another mention
    # (`<<!subteam^S1|!channel>>`). Each pass shortens the text, so this ends.
    while True:
        done = SPECIAL.sub(_special, text)
        done = USER_REF.sub(lambda m: "@" + (m.group(2) or m.group(1)), done)
        done = CHANNEL_REF.sub(lambda m: "#" + (m.group(2) or m.group(1)), done)
        if done == text:
            return text
        text = done


def _special(match: re.Match[str]) -> str:
    name, label = match.group(1), match.group(2)
    if name in ("channel", "here", "everyone") or not label:
        return "@" + name
    return label
