"""SlackSender: send requests to an app's HTTP endpoint exactly as Slack does, signed (v0).

See https://api.slack.com/authentication/verifying-requests-from-slack.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.signature import SignatureVerifier

from bot.emulator import payloads
from bot.emulator.control import EmulatorClient
from bot.emulator.payloads import state_value_select, state_value_text
from bot.emulator.state import APP_ID, TEAM_ID

__all__ = [
    "SentResponse",
    "SlackSender",
    "signature_headers",
    "state_value_select",
    "state_value_text",
]

USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def signature_headers(
    secret: str, body: bytes | str, timestamp: int | str | None = None
) -> dict[str, str]:
    """Return the ``X-Slack-Request-Timestamp`` / ``X-Slack-Signature`` headers for a body."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


@dataclass
class SentResponse:
    """The app's answer to a request sent by :class:`SlackSender`."""

    status: int
    headers: dict[str, str]
    text: str
    elapsed: float = 0.0
    request_body: bytes = field(default=b"", repr=False)

    @property
    def ok(self) -> bool:
        """True for a 2xx status."""
        return 200 <= self.status < 300

    def json(self) -> Any:
        """Decode the body as JSON."""
        return json.loads(self.text)


class SlackSender:
    """Sends slash commands, interactions and events to ``endpoint_url`` like Slack."""

    def __init__(
        self,
        endpoint_url: str,
        signing_secret: str,
        *,
        emulator_url: str | None = None,
        team_id: str = TEAM_ID,
        api_app_id: str = APP_ID,
        timeout: float = 10.0,
    ) -> None:
        self.endpoint_url = endpoint_url
        self.signing_secret = signing_secret
        self.team_id = team_id
        self.api_app_id = api_app_id
        self.timeout = timeout
        self.emulator = EmulatorClient(emulator_url) if emulator_url else None

    # -- transport ----------------------------------------------------------------

    def raw(
        self,
        body: bytes,
        headers: dict[str, str] | None = None,
        *,
        sign: bool = True,
        timestamp: int | str | None = None,
    ) -> SentResponse:
        """POST arbitrary bytes, signed unless ``sign=False`` (``timestamp`` overrides the clock)."""
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json,*/*"}
        if sign:
            all_headers.update(signature_headers(self.signing_secret, body, timestamp))
        elif timestamp is not None:
            all_headers["X-Slack-Request-Timestamp"] = str(timestamp)
        all_headers.update(headers or {})
        request = urllib.request.Request(
            self.endpoint_url, data=body, headers=all_headers, method="POST"
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                status, resp_headers, data = resp.status, dict(resp.headers.items()), resp.read()
        except urllib.error.HTTPError as exc:
            status, resp_headers, data = exc.code, dict(exc.headers.items()), exc.read()
        return SentResponse(
            status=status,
            headers=resp_headers,
            text=data.decode("utf-8", errors="replace"),
            elapsed=time.monotonic() - started,
            request_body=body,
        )

    def unsigned(self, body: bytes, headers: dict[str, str] | None = None) -> SentResponse:
        """POST bytes without any signature headers."""
        return self.raw(body, headers, sign=False)

    def form(self, fields: dict[str, str], **kwargs: Any) -> SentResponse:
        """POST a signed form body."""
        body = urllib.parse.urlencode(fields).encode()
        return self.raw(body, {"Content-Type": FORM}, **kwargs)

    def interaction(self, payload: dict[str, Any], **kwargs: Any) -> SentResponse:
        """POST a signed ``payload=<json>`` interaction body."""
        return self.form({"payload": json.dumps(payload)}, **kwargs)

    def _response_url(self, **context: str | None) -> str:
        """Get a fresh response URL from the emulator, or a Slack-shaped placeholder."""
        if self.emulator is not None:
            return self.emulator.response_url(**context)
        return f"https://hooks.slack.com/actions/{self.team_id}/0000000000/emulator"

    # -- Slack requests ---------------------------------------------------------------

    def command(
        self,
        user_id: str,
        channel_id: str,
        command: str,
        text: str = "",
        *,
        user_name: str | None = None,
        trigger_id: str | None = None,
    ) -> SentResponse:
        """Send a slash command."""
        fields = payloads.command_payload(
            user_id=user_id,
            channel_id=channel_id,
            command=command,
            text=text,
            user_name=user_name,
            trigger_id=trigger_id,
            response_url=self._response_url(channel_id=channel_id, user_id=user_id),
            team_id=self.team_id,
            api_app_id=self.api_app_id,
        )
        return self.form(fields)

    def block_action(
        self,
        user_id: str,
        *,
        channel_id: str,
        message_ts: str,
        action_id: str,
        value: str | None = None,
        block_id: str | None = None,
        user_name: str | None = None,
        trigger_id: str | None = None,
    ) -> SentResponse:
        """Send a ``block_actions`` click on a message element (message looked up in the emulator)."""
        message = self._find_message(channel_id, message_ts)
        payload = payloads.block_actions_payload(
            user_id=user_id,
            channel_id=channel_id,
            message=message,
            action_id=action_id,
            value=value,
            block_id=block_id,
            user_name=user_name,
            response_url=self._response_url(
                channel_id=channel_id, message_ts=message_ts, user_id=user_id
            ),
            trigger_id=trigger_id,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
        )
        return self.interaction(payload)

    def message_shortcut(
        self,
        user_id: str,
        *,
        channel_id: str,
        message: dict[str, Any] | str,
        callback_id: str,
        user_name: str | None = None,
        trigger_id: str | None = None,
    ) -> SentResponse:
        """Send a ``message_action`` (a message shortcut) on ``message``: the message dict, or
        the ts of one the emulator holds."""
        if isinstance(message, str):
            message = self._find_message(channel_id, message)
        payload = payloads.message_action_payload(
            user_id=user_id,
            channel_id=channel_id,
            message=message,
            callback_id=callback_id,
            user_name=user_name,
            response_url=self._response_url(channel_id=channel_id, user_id=user_id),
            trigger_id=trigger_id,
            team_id=self.team_id,
        )
        return self.interaction(payload)

    def _find_message(self, channel_id: str, ts: str) -> dict[str, Any]:
        """Return the stored message from the emulator, or a minimal stub."""
        if self.emulator is not None:
            for message in self.emulator.messages(channel_id):
                if message.get("ts") == ts:
                    return {k: v for k, v in message.items() if k not in ("channel", "updates")}
        return payloads.minimal_message(ts)

    def view_submission(
        self,
        user_id: str,
        *,
        view: dict[str, Any] | str,
        values: dict[str, Any],
        user_name: str | None = None,
    ) -> SentResponse:
        """Send a ``view_submission``; ``view`` is the view dict or its id in the emulator."""
        if isinstance(view, str):
            if self.emulator is None:
                raise ValueError("a view id needs emulator_url; pass the view dict instead")
            found = self.emulator.views().get(view)
            if found is None:
                raise ValueError(f"the emulator has no view {view!r}")
            view = found
        payload = payloads.view_submission_payload(
            user_id=user_id,
            view=view,
            values=values,
            user_name=user_name,
            team_id=self.team_id,
            api_app_id=self.api_app_id,
        )
        return self.interaction(payload)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> SentResponse:
        """Send an Events API ``event_callback`` (with retry headers when retrying).

        People's messages, replies, edits and deletions: bot.emulator.channel_events.
        """
        envelope = payloads.event_callback(
            event, event_id=event_id, team_id=self.team_id, api_app_id=self.api_app_id
        )
        headers = {"Content-Type": JSON}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        return self.raw(json.dumps(envelope).encode(), headers)

    def url_verification(self, challenge: str = "emulator-challenge") -> SentResponse:
        """Send the Events API ``url_verification`` handshake."""
        body = {"token": payloads.VERIFICATION_TOKEN, "challenge": challenge}
        body["type"] = "url_verification"
        return self.raw(json.dumps(body).encode(), {"Content-Type": JSON})
