"""Groups: seeding, linking, rapporteurs, closing — roles enforced in the operations."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import audit, groups
from storage.errors import ChannelNotLinked, NotPermitted, UnknownGroup
from storage.models import Group
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted


def test_four_groups_are_seeded_with_stable_keys(session):
    keys = {g.key: g.name for g in groups.all_groups(session)}
    assert keys == {
        "e-evidence": "Electronic evidence",
        "financial-investigation": "Financial investigation",
        "asset-confiscation": "Asset confiscation",
        "victim-protection": "Victim and witness protection",
    }
    groups.seed_groups(session)  # idempotent
    assert len(session.scalars(select(Group)).all()) == 4


def test_unknown_key_lists_the_valid_ones(session):
    with pytest.raises(UnknownGroup) as caught:
        groups.link_channel(session, actor=ORGANIZER, channel_id="C1", group_key="cyber")
    assert "e-evidence" in caught.value.params["valid"]
    assert len(caught.value.params["valid"]) == 4


def test_only_organizers_link_and_appoint(session):
    with pytest.raises(NotPermitted):
        groups.link_channel(session, actor=delegate(), channel_id="C1", group_key="e-evidence")
    linked_group(session)
    with pytest.raises(NotPermitted):
        groups.appoint_rapporteur(
            session, actor=RAPPORTEUR, channel_id="CEE", user_id="UX", user_name=None
        )
    assert groups.group_by_key(session, "e-evidence").rapporteur_user_id == RAPPORTEUR.user_id


def test_relinking_moves_the_channel(session):
    groups.link_channel(session, actor=ORGANIZER, channel_id="C1", group_key="e-evidence")
    groups.link_channel(session, actor=ORGANIZER, channel_id="C1", group_key="asset-confiscation")
    assert groups.group_for_channel(session, "C1").key == "asset-confiscation"
    assert groups.group_by_key(session, "e-evidence").channel_id is None


def test_close_and_reopen_by_rapporteur_only(session):
    linked_group(session)
    with pytest.raises(NotPermitted):
        groups.set_open(session, actor=delegate(), channel_id="CEE", is_open=False)
    group, changed = groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    assert (group.is_open, changed) == (False, True)
    _, changed = groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    assert changed is False
    _, changed = groups.set_open(session, actor=ORGANIZER, channel_id="CEE", is_open=True)
    assert changed is True
    with pytest.raises(ChannelNotLinked):
        groups.set_open(session, actor=ORGANIZER, channel_id="CNONE", is_open=False)


def test_every_change_is_audited(session):
    linked_group(session)
    groups.set_open(session, actor=RAPPORTEUR, channel_id="CEE", is_open=False)
    actions = [(e.action, e.actor_user_id) for e in audit.entries(session)]
    assert actions == [
        ("link", ORGANIZER.user_id),
        ("appoint", ORGANIZER.user_id),
        ("close", RAPPORTEUR.user_id),
    ]
    assert [e.action for e in audit.entries(session, group_key="asset-confiscation")] == []


def test_status_counts(session):
    linked_group(session)
    submitted(session)
    rows = {s.key: s for s in groups.status(session)}
    assert rows["e-evidence"].recommendations == 1
    assert rows["e-evidence"].rapporteur_user_id == RAPPORTEUR.user_id
    assert rows["asset-confiscation"].recommendations == 0
