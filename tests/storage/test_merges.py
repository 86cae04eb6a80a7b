"""storage.merges: one open recommendation into another of its group, by its rapporteur or
an organizer; what it covered moves along."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from storage import groups, merges, revisions, votes
from storage.actors import Actor
from storage.errors import ChannelNotLinked, NotPermitted, VotingClosed
from storage.models import Choice, TextStatus
from storage.texts import Refused, Voter, life
from tests.factories import ORGANIZER, RAPPORTEUR, delegate, linked_group, submitted


@pytest.fixture
def recs(session: Session):
    linked_group(session)
    linked_group(session, "financial-investigation", "CFI")
    made = [submitted(session, delegate(f"UDEL{n}"), text=f"Text {n}") for n in range(1, 4)]
    made.append(
        submitted(session, delegate("UDEL9"), text="Trace assets", key="financial-investigation")
    )
    return made


def reason(refused) -> str:
    return refused.value.params["reason"]


def test_merged_its_voters_named_and_the_target_covers_it(session, recs):
    ee1, ee2, ee3, _ = recs
    votes.cast(session, actor=Actor("UV1"), recommendation_id=ee2.id, choice=Choice.SUPPORT)
    merged = merges.merge(session, actor=RAPPORTEUR, source_id=ee2.id, target_id=ee1.id)
    assert (merged.source_number, merged.target_number) == ("EE-2", "EE-1")
    assert merged.voters == (Voter("UV1", Choice.SUPPORT),)
    assert (ee2.status, ee2.merged_into_id, ee2.status_by) == ("merged", ee1.id, RAPPORTEUR.user_id)
    assert life(session, ee1).covers == ("EE-2",)
    # Merging the one that covers it moves what it covered along.
    moved = merges.merge_numbers(
        session, actor=ORGANIZER, channel_id="CEE", source="EE-1", target="ee-3"
    )
    assert moved.moved == (ee2.id,)
    assert life(session, ee3).covers == ("EE-1", "EE-2")


def test_the_rules(session, recs):
    ee1, ee2, ee3, fi1 = recs
    cases = [
        (ee1.id, ee1.id, "same"),
        (ee1.id, fi1.id, "other_group"),
    ]
    for source, target, expected in cases:
        with pytest.raises(Refused) as refused:
            merges.merge(session, actor=ORGANIZER, source_id=source, target_id=target)
        assert reason(refused) == expected
    revisions.withdraw(session, actor=ORGANIZER, recommendation_id=ee3.id)
    with pytest.raises(Refused) as refused:
        merges.merge(session, actor=ORGANIZER, source_id=ee1.id, target_id=ee3.id)
    assert reason(refused) == "target_withdrawn"
    with pytest.raises(Refused) as refused:
        merges.merge(session, actor=ORGANIZER, source_id=ee3.id, target_id=ee1.id)
    assert reason(refused) == "withdrawn"
    merges.merge(session, actor=ORGANIZER, source_id=ee2.id, target_id=ee1.id)
    with pytest.raises(Refused) as refused:
        merges.merge(session, actor=ORGANIZER, source_id=ee1.id, target_id=ee2.id)
    assert reason(refused) == "target_merged"
    with pytest.raises(NotPermitted):
        merges.merge(session, actor=delegate("UDEL1"), source_id=ee1.id, target_id=ee3.id)


def test_the_command_in_the_group_s_channel_only(session, recs):
    with pytest.raises(Refused) as refused:
        merges.merge_numbers(
            session, actor=ORGANIZER, channel_id="CFI", source="EE-2", target="EE-1"
        )
    assert (reason(refused), refused.value.params["group"]) == (
        "other_group",
        "Financial investigation",
    )
    with pytest.raises(ChannelNotLinked):
        merges.merge_numbers(
            session, actor=ORGANIZER, channel_id="CNONE", source="EE-2", target="EE-1"
        )
    with pytest.raises(Refused) as refused:
        merges.merge_numbers(
            session, actor=ORGANIZER, channel_id="CEE", source="EE-7", target="EE-1"
        )
    assert reason(refused) == "unknown_number"


def test_the_merge_form_offers_the_other_open_ones(session, recs):
    ee1, ee2, ee3, _ = recs
    revisions.withdraw(session, actor=ORGANIZER, recommendation_id=ee3.id)
    form = merges.merge_form(session, actor=RAPPORTEUR, recommendation_id=ee1.id)
    assert [t.number for t in form.targets] == ["EE-2"]
    merges.merge(session, actor=ORGANIZER, source_id=ee2.id, target_id=ee1.id)
    with pytest.raises(Refused) as refused:
        merges.merge_form(session, actor=RAPPORTEUR, recommendation_id=ee1.id)
    assert reason(refused) == "no_targets"
    groups.set_open(session, actor=ORGANIZER, channel_id="CEE", is_open=False)
    with pytest.raises(VotingClosed):
        merges.merge_form(session, actor=RAPPORTEUR, recommendation_id=ee1.id)
    assert ee1.status == TextStatus.OPEN.value
