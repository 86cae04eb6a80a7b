"""Message metadata, conversations.history, chat.getPermalink and users.lookupByEmail."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import Emulator
from tests.emulator.conftest import BOT_TOKEN
from tests.emulator.test_webapi import post_raw

CARD = {"event_type": "rapporteur_card", "event_payload": {"recommendation_id": 7}}


@pytest.fixture
def member(emulator: Emulator) -> str:
    """A public channel the bot was invited to."""
    emulator.add_channel("CEE", is_member=True)
    return "CEE"


def post_form(emulator: Emulator, method: str, **fields: str) -> dict[str, object]:
    body = urllib.parse.urlencode({"token": BOT_TOKEN, **fields}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return post_raw(emulator.api_url + method, body, headers)


def error_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackApiError) as err:
        call()
    return str(err.value.response["error"])


# -- metadata ------------------------------------------------------------------------------


def test_metadata_is_stored_with_the_message(emulator: Emulator, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="CEE", text="EE-1", metadata=CARD)
    assert posted["message"]["metadata"] == CARD
    [stored] = emulator.messages("CEE")
    assert stored["metadata"] == CARD


def test_metadata_may_come_as_a_json_string_in_a_form(emulator: Emulator) -> None:
    answer = post_form(
        emulator, "chat.postMessage", channel="CEE", text="EE-2", metadata=json.dumps(CARD)
    )
    assert answer["ok"], answer
    assert emulator.messages("CEE")[0]["metadata"] == CARD


@pytest.mark.parametrize(
    ("metadata", "error"),
    [
        ("{not json", "invalid_metadata_format"),
        (json.dumps({"event_type": "x"}), "invalid_metadata_schema"),
        (json.dumps({"event_type": "", "event_payload": {}}), "invalid_metadata_schema"),
        (json.dumps({"event_type": "x", "event_payload": "text"}), "invalid_metadata_schema"),
        (json.dumps({"event_type": "x", "event_payload": {"a": "b" * 9000}}), "metadata_too_large"),
    ],
)
def test_malformed_metadata_is_refused(emulator: Emulator, metadata: str, error: str) -> None:
    answer = post_form(emulator, "chat.postMessage", channel="CEE", text="x", metadata=metadata)
    assert (answer["ok"], answer["error"]) == (False, error)
    assert emulator.messages("CEE") == []


# -- conversations.history -----------------------------------------------------------------


def test_history_is_newest_first_with_metadata_only_when_asked(
    emulator: Emulator, client: WebClient, member: str
) -> None:
    stamps = [
        client.chat_postMessage(channel=member, text=f"m{n}", metadata=CARD)["ts"] for n in range(3)
    ]
    client.chat_postMessage(channel="COTHER", text="elsewhere")
    plain = client.conversations_history(channel=member)
    assert [m["ts"] for m in plain["messages"]] == stamps[::-1]
    assert plain["has_more"] is False and plain["response_metadata"]["next_cursor"] == ""
    assert all("metadata" not in m and "channel" not in m for m in plain["messages"])
    full = client.conversations_history(channel=member, include_all_metadata=True)
    assert [m["metadata"] for m in full["messages"]] == [CARD] * 3
    assert full["messages"][0]["text"] == "m2" and full["messages"][0]["type"] == "message"


def test_history_pages_with_a_cursor(client: WebClient, member: str) -> None:
    stamps = [client.chat_postMessage(channel=member, text=str(n))["ts"] for n in range(7)]
    seen, cursor, pages = [], None, 0
    while True:
        page = client.conversations_history(channel=member, limit=3, cursor=cursor)
        pages += 1
        seen += [m["ts"] for m in page["messages"]]
        cursor = page["response_metadata"]["next_cursor"]
        assert page["has_more"] is bool(cursor)
        if not cursor:
            break
    assert pages == 3 and seen == stamps[::-1]


def test_history_between_oldest_and_latest(client: WebClient, member: str) -> None:
    stamps = [client.chat_postMessage(channel=member, text=str(n))["ts"] for n in range(5)]

    def listed(**bounds: object) -> list[str]:
        return [m["ts"] for m in client.conversations_history(channel=member, **bounds)["messages"]]

    assert listed(oldest=stamps[1], latest=stamps[3]) == [stamps[2]]
    assert listed(oldest=stamps[1], latest=stamps[3], inclusive=True) == stamps[3:0:-1]
    assert listed(oldest=stamps[3]) == [stamps[4]]
    assert listed(latest=stamps[1]) == [stamps[0]]


def test_history_limits_and_the_form_encoding(emulator: Emulator, member: str) -> None:
    client = WebClient(base_url=emulator.api_url, token=BOT_TOKEN)
    for n in range(3):
        client.chat_postMessage(channel=member, text=str(n), metadata=CARD)
    answer = post_form(
        emulator, "conversations.history", channel=member, limit="2000", include_all_metadata="true"
    )
    assert len(answer["messages"]) == 3 and answer["messages"][0]["metadata"] == CARD
    answer = post_form(emulator, "conversations.history", channel=member, limit="1")
    assert len(answer["messages"]) == 1 and answer["has_more"] is True


def test_history_leaves_out_thread_replies(client: WebClient, member: str) -> None:
    parent = client.chat_postMessage(channel=member, text="parent")["ts"]
    client.chat_postMessage(channel=member, text="reply", thread_ts=parent)
    assert [m["text"] for m in client.conversations_history(channel=member)["messages"]] == [
        "parent"
    ]


def test_history_errors(emulator: Emulator, client: WebClient, member: str) -> None:
    assert error_of(lambda: client.conversations_history(channel="CNOTJOINED")) == "not_in_channel"
    client.conversations_join(channel="CNOTJOINED")
    assert client.conversations_history(channel="CNOTJOINED")["messages"] == []
    assert client.conversations_history(channel="G123")["ok"], "a private channel it posts in"
    assert error_of(lambda: client.conversations_history(channel="X1")) == "channel_not_found"
    bad = lambda **kw: lambda: client.conversations_history(channel=member, **kw)  # noqa: E731
    assert error_of(bad(cursor="bm9wZQ==")) == "invalid_cursor"
    assert error_of(bad(cursor="%%%")) == "invalid_cursor"
    assert error_of(bad(oldest="yesterday")) == "invalid_ts_oldest"
    assert error_of(bad(latest="NaN")) == "invalid_ts_latest"


# -- chat.getPermalink ------------------------------------------------------------------------


def test_permalink_of_a_message(client: WebClient) -> None:
    ts = client.chat_postMessage(channel="CEE", text="EE-1")["ts"]
    answer = client.chat_getPermalink(channel="CEE", message_ts=ts)
    assert answer["channel"] == "CEE"
    assert answer["permalink"] == f"https://emulator.slack/archives/CEE/p{ts.replace('.', '')}"
    reply = client.chat_postMessage(channel="CEE", text="r", thread_ts=ts)["ts"]
    link = client.chat_getPermalink(channel="CEE", message_ts=reply)["permalink"]
    assert link.endswith(f"/p{reply.replace('.', '')}?thread_ts={ts}&cid=CEE")
    missing = lambda: client.chat_getPermalink(channel="CEE", message_ts="1.000001")  # noqa: E731
    assert error_of(missing) == "message_not_found"


# -- users.lookupByEmail ----------------------------------------------------------------------


def test_lookup_by_email(emulator: Emulator, client: WebClient) -> None:
    emulator.add_user("URITA", real_name="Rita", profile={"email": "Rita@Example.GOV"})
    found = client.users_lookupByEmail(email="rita@example.gov")["user"]
    assert (found["id"], found["real_name"]) == ("URITA", "Rita")
    assert client.users_lookupByEmail(email="user.u0abc@example.org")["user"]["id"] == "U0ABC"
    assert client.users_info(user="U0ABC")["user"]["profile"]["email"] == "user.u0abc@example.org"
    lookup = lambda email: lambda: client.users_lookupByEmail(email=email)  # noqa: E731
    assert error_of(lookup("nobody@example.gov")) == "users_not_found"
    assert error_of(lookup("user.urita@example.org")) == "users_not_found", "Rita has another"
    assert error_of(lookup("rapporteur@example.org")) == "users_not_found", "bots have none"
