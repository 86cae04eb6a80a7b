"""Malformed and hostile input: a 4xx or a polite message — never a crash, nothing stored."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.slack.parse import (
    CHANNEL_REF,
    SPECIAL,
    USER_REF,
    decode_slack_text,
    parse_mention,
    user_of,
)
from storage.models import Person
from tests.harness import ORGANIZER, Harness, rec_value

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def stored_nothing(h: Harness) -> bool:
    status = h.wg(ORGANIZER, "CZ", "status")
    return "1 recommendation" not in status and h.emulator.calls("chat.postMessage") == []


@FAST
@given(text=st.text(max_size=400))
def test_any_wg_arguments_get_a_polite_answer(harness: Harness, text: str):
    response = harness.slack.command("UDEL1", "C1", "/wg", text)
    assert response.status == 200
    body = response.json()
    assert body["text"] and "Traceback" not in body["text"]


@FAST
@given(payload=json_values)
def test_any_interaction_payload_is_refused_cleanly(harness: Harness, payload: object):
    response = harness.slack.form({"payload": json.dumps(payload)})
    assert response.status < 500, response.text
    assert "Traceback" not in response.text


@FAST
@given(
    body=st.text(max_size=300).map(str.encode),
    kind=st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/plain"]),
)
def test_any_signed_body_is_refused_cleanly(harness: Harness, body: bytes, kind: str):
    response = harness.slack.raw(body, {"Content-Type": kind})
    assert response.status < 500, response.text


def test_undecodable_bytes_are_refused(harness: Harness):
    response = harness.slack.unsigned(b"\x80\xff payload", {"Content-Type": "application/json"})
    assert 400 <= response.status < 500


@FAST
@given(
    action_id=st.text(max_size=40),
    value=st.one_of(st.text(max_size=30), st.integers(), st.none()),
)
def test_vote_clicks_with_garbage_change_nothing(harness: Harness, action_id: str, value: object):
    payload = {
        "type": "block_actions",
        "user": {"id": "UDEL1", "name": "x"},
        "channel": {"id": "C1"},
        "actions": [{"action_id": action_id, "value": value, "block_id": "b", "type": "button"}],
        "team": {"id": "T1"},
    }
    response = harness.slack.form({"payload": json.dumps(payload)})
    assert response.status < 500


def test_huge_and_hostile_modal_fields(harness: Harness):
    harness.wg(ORGANIZER, "CZ", "link e-evidence")
    view = harness.open_modal("UDEL1", "CZ")
    response = harness.submit_modal("UDEL1", view, text="x" * 100_000, title="t" * 10_000)
    assert response.json()["response_action"] == "errors"
    response = harness.submit_modal("UDEL1", view, text="ok", group="no-such-group")
    assert response.status == 200 and "Traceback" not in response.text
    assert stored_nothing(harness)


@given(st.text())
@example("&lt;&lt;!subteam^S1|!channel&gt;&gt;")
@example("&lt;&lt;&lt;!date^1|!date^2|!here&gt;&gt;&gt;")
def test_parsers_never_raise_nor_leave_slack_syntax(text: str):
    decoded = decode_slack_text(text)
    for syntax in (SPECIAL, USER_REF, CHANNEL_REF):
        assert syntax.search(decoded) is None, decoded
    mention = parse_mention(text)
    assert mention is None or mention[0].startswith(("U", "W"))


@given(json_values)
def test_user_of_never_raises(body: object):
    user_id, name = user_of(body if isinstance(body, dict) else {"user": body})
    assert user_id is None or isinstance(user_id, str)
    assert name is None or isinstance(name, str)


def test_recommend_prefill_never_carries_slack_syntax_and_says_what_was_cut(harness: Harness):
    harness.wg(ORGANIZER, "CZ", "link e-evidence")
    typed = "&lt;!channel&gt; and &lt;@U999&gt;: " + "ល" * 3500
    view = harness.open_modal("UDEL1", "CZ", typed)
    sent = json.dumps([c["params"] for c in harness.emulator.calls("views.open")])
    assert "<!channel>" not in sent and "<@U999>" not in sent
    (text,) = [b for b in view["blocks"] if b.get("block_id") == "text_block"]
    assert text["element"]["initial_value"].startswith("@channel and @U999: ល")
    assert len(text["element"]["initial_value"]) == 3000
    notes = json.dumps([b for b in view["blocks"] if b["type"] == "context"])
    assert "3,520 characters" in notes and "at most 3,000" in notes


def test_replies_repeat_at_most_a_short_piece_of_what_was_typed(harness: Harness):
    huge = "Z" * 100_000
    for text in (f"country {huge}", f"link {huge}", huge):
        reply = harness.wg(ORGANIZER, "CZ", text)
        assert "ZZZZ" in reply.upper() and len(reply) < 1_000


def test_ids_longer_than_slack_issues_are_refused_and_store_nothing(harness: Harness):
    harness.wg(ORGANIZER, "CZ", "link e-evidence")
    card = harness.recommend("UDEL1", "CZ", "Preserve subscriber data")
    long_id = "U" + "9" * 40
    assert harness.slack.command(long_id, "CZ", "/wg", "country VN").status == 400
    fields = {"command": "/wg", "text": "country VN", "user_id": long_id, "channel_id": "CZ"}
    assert harness.slack.form(fields, sign=False).status == 401  # the signature comes first
    assert harness.slack.command("UDEL2", "C" + "7" * 40, "/wg", "link e-evidence").status == 400
    click = harness.slack.block_action(
        long_id,
        channel_id="CZ",
        message_ts=card["ts"],
        action_id="vote_support",
        value=rec_value(card["message"]),
        block_id="vote_buttons",
    )
    assert click.status == 400
    harness.settle()
    status = harness.wg(ORGANIZER, "CZ", "status")
    assert "0 votes" in status and long_id not in status
    with harness.app.session_factory() as session:
        assert session.get(Person, long_id) is None
