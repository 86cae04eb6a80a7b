"""Web API behaviour of the emulator, exercised with the real slack_sdk WebClient."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import Emulator
from tests.emulator.conftest import APP_TOKEN, BOT_TOKEN

SECTION = {"type": "section", "block_id": "intro", "text": {"type": "mrkdwn", "text": "*Hi*"}}


def post_raw(url: str, body: bytes, headers: dict[str, str]) -> dict[str, object]:
    """POST bytes with urllib and decode the JSON answer."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=5) as resp:
        result: dict[str, object] = json.loads(resp.read())
        return result


def test_auth_test_identity(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T0EMULATOR"
    assert answer["user_id"] and answer["bot_id"] and answer["url"].startswith("https://")


def test_post_then_update_round_trip(emulator: Emulator, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C123", text="draft", blocks=[SECTION])
    assert posted["channel"] == "C123"
    assert posted["message"]["blocks"] == [SECTION]

    updated = client.chat_update(channel="C123", ts=posted["ts"], text="final")
    assert updated["ts"] == posted["ts"] and updated["text"] == "final"

    [stored] = emulator.messages("C123")
    assert stored["ts"] == posted["ts"]
    assert stored["text"] == "final"
    assert stored["blocks"] == [SECTION], "chat.update without blocks keeps the previous blocks"
    assert stored["updates"] == 1


def test_update_of_unknown_message_is_rejected(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.chat_update(channel="C123", ts="1700000000.000001", text="x")
    assert err.value.response["error"] == "message_not_found"


def test_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(20)]
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 20
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)


def test_posting_to_a_user_lands_in_a_dm_channel(emulator: Emulator, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U777", text="psst")
    assert posted["channel"].startswith("D")
    assert emulator.messages(posted["channel"])[0]["text"] == "psst"


def test_delete_and_ephemeral(emulator: Emulator, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="bye")["ts"]
    assert client.chat_delete(channel="C1", ts=ts)["ts"] == ts
    assert emulator.messages() == []
    eph = client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    assert float(eph["message_ts"]) > float(ts)
    assert emulator.messages() == [], "ephemeral messages are not stored"


def test_message_without_content_is_rejected(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("chat.postMessage", json={"channel": "C1"})
    assert err.value.response["error"] == "no_text"


def test_calls_are_recorded_with_decoded_params(emulator: Emulator) -> None:
    form = urllib.parse.urlencode(
        {"channel": "C9", "text": "form", "blocks": json.dumps([SECTION])}
    ).encode()
    answer = post_raw(
        emulator.api_url + "chat.postMessage",
        form,
        {"Authorization": f"Bearer {BOT_TOKEN}"},
    )
    assert answer["ok"] is True
    [call] = emulator.calls("chat.postMessage")
    assert call["params"]["blocks"] == [SECTION], "JSON string in a form body is decoded"
    assert call["token"] == BOT_TOKEN
    assert call["response"]["ts"] == answer["ts"]
    assert call["time"] > 0


def test_missing_token_is_not_authed(emulator: Emulator) -> None:
    body = json.dumps({"channel": "C1", "text": "x"}).encode()
    answer = post_raw(
        emulator.api_url + "chat.postMessage", body, {"Content-Type": "application/json"}
    )
    assert answer == {"ok": False, "error": "not_authed"}
    assert emulator.calls("chat.postMessage")[0]["token"] is None


def test_token_types_are_enforced(emulator: Emulator) -> None:
    app_client = WebClient(base_url=emulator.api_url, token=APP_TOKEN)
    with pytest.raises(SlackApiError) as err:
        app_client.chat_postMessage(channel="C1", text="x")
    assert err.value.response["error"] == "not_allowed_token_type"
    bot_client = WebClient(base_url=emulator.api_url, token=BOT_TOKEN)
    with pytest.raises(SlackApiError) as err:
        bot_client.apps_connections_open(app_token=BOT_TOKEN)
    assert err.value.response["error"] == "not_allowed_token_type"


def test_allowed_tokens_reject_others() -> None:
    with Emulator(tokens=["xoxb-good"]) as emu:
        assert WebClient(base_url=emu.api_url, token="xoxb-good").auth_test()["ok"]
        with pytest.raises(SlackApiError) as err:
            WebClient(base_url=emu.api_url, token="xoxb-bad").auth_test()
        assert err.value.response["error"] == "invalid_auth"


def test_unknown_method_is_recorded(emulator: Emulator, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("reactions.explode", params={"name": "boom"})
    assert err.value.response.status_code == 200
    assert err.value.response["error"] == "unknown_method"
    assert emulator.calls("reactions.explode")[0]["params"] == {"name": "boom"}


def test_directory_methods_are_deterministic(emulator: Emulator, client: WebClient) -> None:
    user = client.users_info(user="U42")["user"]
    assert user == client.users_info(user="U42")["user"]
    assert user["id"] == "U42" and user["tz"] and user["profile"]["display_name"]
    emulator.add_user("U42", real_name="Amina Diallo", profile={"display_name": "amina"})
    seeded = client.users_info(user="U42")["user"]
    assert seeded["real_name"] == "Amina Diallo" and seeded["profile"]["display_name"] == "amina"

    channel = client.conversations_info(channel="C42")["channel"]
    assert channel["id"] == "C42" and channel["is_channel"] and not channel["is_member"]
    assert client.conversations_join(channel="C42")["channel"]["is_member"] is True
    with pytest.raises(SlackApiError):
        client.users_info(user="nobody")


def test_hundreds_of_concurrent_calls(emulator: Emulator) -> None:
    client = WebClient(base_url=emulator.api_url, token=BOT_TOKEN, timeout=10)

    def post(i: int) -> str:
        return str(client.chat_postMessage(channel="C1", text=f"m{i}")["ts"])

    with ThreadPoolExecutor(max_workers=64) as pool:
        stamps = list(pool.map(post, range(300)))
    assert len(set(stamps)) == 300
    assert len(emulator.calls("chat.postMessage")) == 300
    assert len(emulator.messages("C1")) == 300


def test_wait_for_and_reset(emulator: Emulator, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="one")
    client.chat_postMessage(channel="C2", text="two")
    [call] = emulator.wait_for("chat.postMessage", predicate=lambda c: c["params"]["text"] == "two")
    assert call["params"]["channel"] == "C2"
    with pytest.raises(TimeoutError, match=r"expected 3 call\(s\).*chat.postMessage"):
        emulator.wait_for("chat.postMessage", count=3, timeout=0.1)
    emulator.reset()
    assert emulator.calls() == [] and emulator.messages() == []
