"""Idempotency: a Slack delivery is claimed once, across sessions."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Person, ProcessedRequest
from storage.requests import first_delivery
from storage.sessions import transaction


def test_a_key_is_claimed_once(session):
    assert first_delivery(session, "Ev1")
    assert not first_delivery(session, "Ev1")
    assert first_delivery(session, "Ev2")
    assert sorted(session.scalars(select(ProcessedRequest.key))) == ["Ev1", "Ev2"]


def test_a_refused_claim_keeps_the_rest_of_the_transaction(session_factory):
    with transaction(session_factory) as session:
        assert first_delivery(session, "Ev1")
    with transaction(session_factory) as session:
        session.add(Person(user_id="UKEEP"))
        session.flush()
        assert not first_delivery(session, "Ev1")  # claimed by an earlier request
    with session_factory() as session:
        assert session.get(Person, "UKEEP") is not None
        assert list(session.scalars(select(ProcessedRequest.key))) == ["Ev1"]


def test_long_keys_are_cut_to_the_stored_length(session):
    long_key = "k" * 250
    assert first_delivery(session, long_key)
    assert not first_delivery(session, long_key[:200] + "different tail")
    assert list(session.scalars(select(ProcessedRequest.key))) == [long_key[:200]]
