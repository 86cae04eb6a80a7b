"""Block Kit / view validation: what Slack rejects, the emulator rejects."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import Emulator
from bot.emulator.blocks import validate_blocks, validate_view


def section(text: str, **extra: Any) -> dict[str, Any]:
    """A mrkdwn section block."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(label: str, action_id: str = "go") -> dict[str, Any]:
    """A button element."""
    return {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": action_id}


def modal(**extra: Any) -> dict[str, Any]:
    """A minimal valid modal."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": "report",
        "title": {"type": "plain_text", "text": "Report"},
        "submit": {"type": "plain_text", "text": "Save"},
        "blocks": [
            {
                "type": "input",
                "block_id": "summary",
                "label": {"type": "plain_text", "text": "Summary"},
                "element": {"type": "plain_text_input", "action_id": "text"},
            }
        ],
    }
    view.update(extra)
    return view


def test_section_text_limit_via_webclient(client: WebClient) -> None:
    assert client.chat_postMessage(channel="C1", text="ok", blocks=[section("x" * 3000)])["ok"]
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="too long", blocks=[section("x" * 3001)])
    answer = err.value.response
    assert answer["error"] == "invalid_blocks"
    assert answer["errors"] == [
        "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    ]


def test_update_is_validated_too(emulator: Emulator, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="ok")["ts"]
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel="C1", ts=ts, text="x", blocks=[section("y")] * 51)
    assert err.value.response["error"] == "invalid_blocks"
    assert emulator.messages("C1")[0]["updates"] == 0


def test_top_level_text_limit(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="x" * 40001)
    assert err.value.response["error"] == "msg_too_long"


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section("x")] * 51, "/blocks"),
        ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}], "/fields/0"),
        ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}], "/text/text"),
        ([{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}], "/text/type"),
        ([{"type": "actions", "elements": [button("b" * 76)]}], "/elements/0/text/text"),
        ([{"type": "actions", "elements": [button("ok", "a" * 256)]}], "/action_id"),
        ([section("x", block_id="b" * 256)], "/blocks/0/block_id"),
        ([section("x", block_id="same"), section("y", block_id="same")], "/blocks/1/block_id"),
        ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}], "/elements"),
        ([section("")], "/text/text"),
        ([{"type": "sparkles"}], "/blocks/0/type"),
        ([{"type": "actions", "elements": [{"type": "plain_text_input"}]}], "/elements/0/type"),
    ],
)
def test_rejected_blocks(blocks: list[dict[str, Any]], pointer: str) -> None:
    errors = validate_blocks(blocks)
    assert errors, "expected a validation error"
    assert any(pointer in e for e in errors), errors


def test_valid_rich_message_passes() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Working group 3"}},
        section("Summary", accessory=button("Edit", "edit")),
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 10},
        {"type": "actions", "elements": [button("Approve", "approve"), button("Reject", "reject")]},
    ] + [section(str(i)) for i in range(45)]
    assert validate_blocks(blocks) == []


def test_view_limits() -> None:
    assert validate_view(modal(), kind="modal") == ([], [])
    title_errors, _ = validate_view(
        modal(title={"type": "plain_text", "text": "t" * 25}), kind="modal"
    )
    assert title_errors == ["must be less than 25 characters [json-pointer:/view/title/text]"]
    meta_errors, _ = validate_view(modal(private_metadata="m" * 3001), kind="modal")
    assert "private_metadata" in meta_errors[0]
    cb_errors, _ = validate_view(modal(callback_id="c" * 256), kind="modal")
    assert "callback_id" in cb_errors[0]
    no_submit, _ = validate_view(modal(submit=None), kind="modal")
    assert "submit" in no_submit[0]
    _, block_errors = validate_view({"type": "home", "blocks": [section("x")] * 101}, kind="home")
    assert block_errors == ["must be less than 101 items [json-pointer:/view/blocks]"]


def test_views_open_update_and_errors(emulator: Emulator, client: WebClient) -> None:
    opened = client.views_open(trigger_id="1.2.abc", view=modal(external_id="ext-1"))["view"]
    assert opened["id"].startswith("V") and opened["callback_id"] == "report"
    assert opened["hash"] and opened["state"] == {"values": {}}

    with pytest.raises(SlackApiError) as err:
        client.views_open(trigger_id="1.2.abc", view=modal())
    assert err.value.response["error"] == "exchanged_trigger_id"

    updated = client.views_update(view_id=opened["id"], view=modal(private_metadata="m1"))
    assert updated["view"]["id"] == opened["id"]
    assert updated["view"]["private_metadata"] == "m1"
    by_external = client.views_update(external_id="ext-1", view=modal(private_metadata="m2"))
    assert by_external["view"]["id"] == opened["id"]
    assert emulator.views()[opened["id"]]["private_metadata"] == "m2"

    with pytest.raises(SlackApiError) as err:
        client.views_update(view_id=opened["id"], view=modal(), hash="stale")
    assert err.value.response["error"] == "hash_conflict"
    with pytest.raises(SlackApiError) as err:
        client.views_update(view_id="V404", view=modal())
    assert err.value.response["error"] == "not_found"
    with pytest.raises(SlackApiError) as err:
        client.views_open(
            trigger_id="9.9.x", view=modal(title={"type": "plain_text", "text": "t" * 30})
        )
    assert err.value.response["error"] == "invalid_arguments"
    assert "/view/title/text" in err.value.response["response_metadata"]["messages"][0]
    with pytest.raises(SlackApiError) as err:
        client.views_push(trigger_id="9.9.y", view=modal(blocks=[section("s" * 3001)]))
    assert err.value.response["error"] == "invalid_blocks"


def test_views_publish_stores_latest_home(emulator: Emulator, client: WebClient) -> None:
    home = {"type": "home", "blocks": [section("Welcome")]}
    first = client.views_publish(user_id="U1", view=home)["view"]
    second = client.views_publish(user_id="U1", view={**home, "blocks": [section("Again")]})
    assert second["view"]["id"] == first["id"]
    stored = emulator.home_view("U1")
    assert stored is not None and stored["blocks"][0]["text"]["text"] == "Again"
    assert emulator.home_view("U2") is None
    with pytest.raises(SlackApiError) as err:
        client.views_publish(user_id="U1", view=modal())
    assert err.value.response["error"] == "invalid_arguments"
