"""Ids in button values and private_metadata: typed, round-tripped, hostile values refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.slack.parse import ID_MAX
from bot.slack.values import CardRef, FormContext, card_value
from storage.errors import NotFound

HOSTILE = [
    None,
    7,
    b'{"rec": 7}',
    "",
    "7",
    "null",
    "[7]",
    "{}",
    '{"rec"',
    '{"rec": null}',
    '{"rec": 0}',
    '{"rec": -7}',
    '{"rec": 1.5}',
    '{"rec": "seven"}',
    '{"rec": 1000000000000}',
    '{"rec": 7, "group": "e-evidence"}',
    '{"recommendation": 7}',
    '{"rec": 7}' + " " * 10 + "x",
    '{"rec": ' + "9" * 5000 + "}",
]


def test_a_card_value_is_compact_json_and_names_its_recommendation():
    assert card_value(7) == '{"rec":7}'
    assert CardRef.parse(card_value(7)) == CardRef(rec=7)
    assert CardRef.parse(card_value(10**12 - 1)).rec == 10**12 - 1


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_button_value_names_no_recommendation(value: object):
    with pytest.raises(NotFound) as refused:
        CardRef.parse(value)
    assert refused.value.params == {"what": "recommendation"}


def test_values_are_frozen():
    with pytest.raises(ValidationError):
        CardRef(rec=7).rec = 8  # type: ignore[misc]
    with pytest.raises(ValidationError):
        CardRef(rec=0)


@pytest.mark.parametrize("channel", ["C0123ABCD", "D1", "C" * ID_MAX])
def test_a_form_context_round_trips(channel: str):
    dumped = FormContext(channel_id=channel).dump()
    assert dumped == f'{{"channel_id":"{channel}"}}'
    assert FormContext.parse(dumped).channel_id == channel


def test_a_form_without_a_channel_carries_an_empty_context():
    assert FormContext().dump() == "{}"
    assert FormContext.parse("{}") == FormContext()


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "C0123",
        "null",
        '{"channel_id": 5}',
        '{"channel_id": "' + "C" * (ID_MAX + 1) + '"}',
        '{"channel_id": "C1", "user_id": "U1"}',
        '["C1"]',
        "{" * 1000,
    ],
)
def test_a_hostile_private_metadata_gives_an_empty_context(value: object):
    assert FormContext.parse(value) == FormContext()
    assert FormContext.parse(value).channel_id is None
