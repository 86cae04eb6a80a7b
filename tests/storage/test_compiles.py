"""Compiling: who may compile which document, and the audit entry it leaves."""

from __future__ import annotations

import pytest

from storage import audit
from storage.actors import Actor
from storage.compiles import authorize, record_compile
from storage.errors import ChannelNotLinked, NotPermitted
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group


def test_the_whole_workshop_is_for_organizers(session):
    assert authorize(session, actor=ORGANIZER, channel_id="CANY", whole_workshop=True) is None
    with pytest.raises(NotPermitted) as refused:
        authorize(session, actor=RAPPORTEUR, channel_id="CEE", whole_workshop=True)
    assert refused.value.params == {"action": "compile all", "needed": "organizer"}


def test_a_group_document_is_for_its_rapporteur_or_an_organizer(session):
    linked_group(session, key="financial-investigation", channel="CFI")
    for actor in (RAPPORTEUR, ORGANIZER):
        key = authorize(session, actor=actor, channel_id="CFI", whole_workshop=False)
        assert key == "financial-investigation"
    with pytest.raises(NotPermitted) as refused:
        authorize(session, actor=delegate(), channel_id="CFI", whole_workshop=False)
    assert refused.value.params["needed"] == "rapporteur"


def test_a_group_document_needs_a_linked_channel(session):
    with pytest.raises(ChannelNotLinked) as refused:
        authorize(session, actor=ORGANIZER, channel_id="CNONE", whole_workshop=False)
    assert refused.value.params == {"channel_id": "CNONE"}


def test_record_compile_writes_an_audit_entry(session):
    actor = Actor("URAP1", request_id="req-7")
    record_compile(session, actor=actor, group_key="e-evidence", recommendations=3, file_id="F1")
    record_compile(session, actor=ORGANIZER, group_key=None, recommendations=0, file_id=None)

    entries = audit.entries(session)
    stored = [
        (e.actor_user_id, e.action, e.group_key, e.target, e.detail, e.request_id) for e in entries
    ]
    assert stored == [
        ("URAP1", "compile", "e-evidence", "F1", {"recommendations": 3}, "req-7"),
        (ORGANIZER.user_id, "compile", None, None, {"recommendations": 0}, None),
    ]
